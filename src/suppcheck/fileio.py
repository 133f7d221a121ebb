"""Writing files atomically: a temporary file in the same folder, then os.replace."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def write_atomic_text(path: Path, write: Callable[[TextIO], None]) -> None:
    """Call `write` with a text stream; `path` changes only if it returns without error."""
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        # backslashreplace: text that came from bytes that are not UTF-8 (a command-line
        # argument, for one) is written as \udcff rather than failing the whole write.
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
