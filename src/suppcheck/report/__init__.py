"""Report formats behind one contract: `get_formatter(fmt).write(report, out)`.

Each format lives in its own module and is imported only when asked for, so that `--format json`
never pays for rich.
"""

from __future__ import annotations

import enum
import importlib
from typing import NamedTuple, Protocol, TextIO

from suppcheck.model import Report


class Format(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


class Detail(str, enum.Enum):
    """How much of the report the human formats show (JSON always has everything)."""

    QUIET = "quiet"  # the summary only
    NORMAL = "normal"  # the summary, then per finding: title, why, what to do, sources
    FULL = "full"  # and the full concern, the evidence explained, every question


class Options(NamedTuple):
    detail: Detail = Detail.NORMAL
    for_name: str | None = None  # whom a printed report is for (--for)
    date: str | None = None  # the date printed on the page (html, markdown)
    width: int | None = None  # text: the width to wrap at (None: the terminal's, or 80)


class Formatter(Protocol):
    def write(self, report: Report, out: TextIO) -> None: ...


_MODULES = {
    Format.TEXT: "suppcheck.report.text",
    Format.JSON: "suppcheck.report.jsonout",
    Format.MARKDOWN: "suppcheck.report.markdown",
    Format.HTML: "suppcheck.report.html",
}


def get_formatter(
    fmt: Format, *, color: bool | None = None, options: Options | None = None
) -> Formatter:
    """The formatter for `fmt`; `color` only matters to the text format (None: decide from env);
    `options` only to the human formats."""
    module = importlib.import_module(_MODULES[fmt])
    formatter: Formatter = module.make_formatter(color=color, options=options or Options())
    return formatter
