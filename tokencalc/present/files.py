"""Files a command writes (charts, pages): whole or not at all."""

from __future__ import annotations

import os
import tempfile
from typing import Callable

from ..errors import TokencalcError

__all__ = ["write_file"]


def write_file(path: str, write: Callable[[str], None], option: str, suffix: str) -> None:
    """Write ``path`` through ``write(temporary path)``: a temporary file (``suffix``) in the same directory, given
    a new file's mode (0666 less the umask) and renamed when whole, so nothing is left half-written. A failure
    is one line naming ``option``."""
    def failed(exc: OSError) -> TokencalcError:
        return TokencalcError(f"{option}: cannot write {path[:80]!r}: {exc.strerror or exc}")

    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), suffix=suffix)
    except OSError as exc:
        raise failed(exc) from None
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        raise failed(exc) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
