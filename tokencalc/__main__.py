"""``python -m tokencalc``: the same as the ``tokencalc`` command."""

from .cli import main

if __name__ == "__main__":  # pragma: no branch
    main()
