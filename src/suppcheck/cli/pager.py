"""Paging a long report the way git does: only on a terminal, only when it is longer than the
screen, through $PAGER (default `less -FRX`); `--no-pager`, a pipe or a file never page."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from typing import TextIO

DEFAULT_PAGER = "less -FRX"


def pager_command(environ: dict[str, str] | None = None) -> list[str] | None:
    """The pager to run, or None for none (PAGER set empty or to `cat`, as git reads it)."""
    env = os.environ if environ is None else environ
    command = env.get("SUPPCHECK_PAGER", env.get("PAGER", DEFAULT_PAGER))
    words = shlex.split(command) if command.strip() else []
    if not words or words == ["cat"]:
        return None
    return words


def should_page(out: TextIO, text: str, lines: int | None = None) -> bool:
    """Page when `out` is a terminal and `text` is longer than the screen."""
    if not out.isatty():
        return False
    height = lines if lines is not None else shutil.get_terminal_size().lines
    return text.count("\n") >= height


def page(text: str, out: TextIO = sys.stdout) -> bool:
    """Show `text` through the pager; False when there is none or it could not be started
    (the caller then prints the text itself)."""
    command = pager_command()
    if command is None:
        return False
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git: quit if one screen, keep colours, leave it shown
    out.flush()
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode(getattr(out, "encoding", None) or "utf-8", "replace"))
        process.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager early: nothing more to show
    process.wait()
    return True
