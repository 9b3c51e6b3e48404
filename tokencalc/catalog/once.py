"""Load once, under a lock: the catalog's memo, safe when many threads ask for it first.

``functools.cache`` lets two threads that miss at the same moment both compute, so one thread
could hold a system object the cache no longer holds. :func:`once` computes each entry exactly
once per process, under one re-entrant lock (loaders call one another), and then answers
without the lock.
"""

from __future__ import annotations

import functools
import threading
from types import MappingProxyType
from typing import Any, Callable

__all__ = ["once", "LOCK"]

LOCK = threading.RLock()


def once(func: Callable[..., Any]) -> Callable[..., Any]:
    """Memoize ``func`` (hashable positional arguments): computed once per process, under :data:`LOCK`;
    a dict it returns is handed out read-only (a mapping proxy)."""
    memo: dict = {}

    @functools.wraps(func)
    def wrapper(*args):
        try:
            return memo[args]
        except KeyError:
            pass
        with LOCK:
            if args not in memo:
                value = func(*args)
                memo[args] = MappingProxyType(value) if isinstance(value, dict) else value  # read-only
            return memo[args]

    def cache_clear() -> None:
        with LOCK:
            memo.clear()

    wrapper.cache_clear = cache_clear
    return wrapper
