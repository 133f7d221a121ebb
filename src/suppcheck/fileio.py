"""Writing files: atomically (a temporary file in the same folder, then os.replace), or, for a
report the user asked for, into whatever `-o` names as the user meant it."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def write_atomic_text(
    path: Path, write: Callable[[TextIO], None], *, mode: int | None = None
) -> None:
    """Call `write` with a text stream; `path` changes only if it returns without error.

    The temporary file is created readable only by its owner (mkstemp), so that health data is
    never readable by others, even for a moment; `mode` is given to the finished file.
    """
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
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


def write_output(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write a report where `-o` says, as the user meant it (docs/user-guide.md):

    - a symbolic link is followed: its target is written, the link stays;
    - a named pipe, a device or any other file that is not a regular file is written into
      directly (`-o /dev/stdout`, `-o fifo`), never replaced by a regular file;
    - an existing regular file keeps its permissions and, when it has other hard links, is
      rewritten in place so that every link sees the new report;
    - anything else is written atomically, readable only by its owner (a report is health data).
    """
    target = Path(os.path.realpath(path))
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None and (not stat.S_ISREG(info.st_mode) or info.st_nlink > 1):
        with open(target, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as out:
            write(out)
        return
    mode = stat.S_IMODE(info.st_mode) if info is not None else None
    write_atomic_text(target, write, mode=mode)
