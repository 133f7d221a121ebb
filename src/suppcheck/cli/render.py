"""Report options from the command line, and a long report paged on a terminal."""

from __future__ import annotations

import datetime
import io
import os
import shutil
import sys

from suppcheck.model import Report
from suppcheck.report import Detail, Format, Options, get_formatter


def report_date(environ: dict[str, str] | None = None) -> str:
    """Today, or the date SOURCE_DATE_EPOCH names (reproducible output, as build tools do)."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()


def options_for(*, quiet: bool, details: bool, for_name: str | None) -> Options:
    detail = Detail.QUIET if quiet else Detail.FULL if details else Detail.NORMAL
    return Options(detail=detail, for_name=for_name or None, date=report_date())


class _Buffer(io.StringIO):
    """The report as the terminal would get it: its encoding, so that its symbols fit."""

    def __init__(self, encoding: str | None) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str | None:  # type: ignore[override]
        return self._encoding


def render_paged(report: Report, fmt: Format, color: bool | None, options: Options) -> bool:
    """On a terminal, with a pager: render the report for the screen and page it if it is
    longer than the screen, else print it. False when this is not the case (the caller prints
    it as usual): a pipe, JSON, or no pager."""
    from suppcheck.cli.pager import page, pager_command, should_page

    if fmt is Format.JSON or not sys.stdout.isatty() or pager_command() is None:
        return False
    size = shutil.get_terminal_size()
    if color is None:
        color = not os.environ.get("NO_COLOR")
    buffer = _Buffer(getattr(sys.stdout, "encoding", None))
    get_formatter(fmt, color=color, options=options._replace(width=size.columns)).write(
        report, buffer
    )
    text = buffer.getvalue()
    if should_page(sys.stdout, text, size.lines) and page(text):
        return True
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return True
