"""Reading a file the tool opens: only a regular file, and never more than a bound.

Every file suppcheck reads (a regimen, the saved profile, a rule file, the rule cache) goes
through `read_bounded`. A named pipe, a device or a socket is refused rather than read: opening
a FIFO would wait for a writer for ever, and /dev/zero would never end. O_NONBLOCK makes the
open itself return at once; the type is checked on the open descriptor (fstat), so the file
cannot be swapped between the check and the read. Kept free of imports beyond os and stat: the
rule cache uses it on every start-up.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path is a directory, a named pipe, a device or a socket: it is not read."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def open_regular(path: Path, *, follow: bool = True, pipes: bool = False) -> int:
    """A descriptor on `path` if it is a regular file; OSError otherwise (NotRegularFile says
    what it is). Without `follow`, a symbolic link is refused. With `pipes`, a pipe or a
    character device the user named (`--input <(cat a.yaml)`, `--input /dev/stdin`) is the
    deliberate exception: it is read, blocking, as standard input would be."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if pipes and (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
            os.set_blocking(fd, True)
        elif not stat.S_ISREG(mode):
            raise NotRegularFile(f"it is {_kind(mode)}, not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


class TooLarge(OSError):
    """The file holds more than the bound it was read with."""


def read_bounded(path: Path, limit: int, *, follow: bool = True, pipes: bool = False) -> bytes:
    """The whole of a regular file of at most `limit` bytes; OSError for anything else."""
    fd = open_regular(path, follow=follow, pipes=pipes)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"it is larger than the limit of {limit:,} bytes")
    return data
