"""Report formats behind one contract: `get_formatter(fmt).write(report, out)`.

Each format lives in its own module and is imported only when asked for, so that `--format json`
never pays for rich.
"""

from __future__ import annotations

import enum
import importlib
from typing import Protocol, TextIO

from suppcheck.model import Report


class Format(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


class Formatter(Protocol):
    def write(self, report: Report, out: TextIO) -> None: ...


_MODULES = {
    Format.TEXT: "suppcheck.report.text",
    Format.JSON: "suppcheck.report.jsonout",
    Format.MARKDOWN: "suppcheck.report.markdown",
    Format.HTML: "suppcheck.report.html",
}


def get_formatter(fmt: Format, *, color: bool | None = None) -> Formatter:
    """The formatter for `fmt`; `color` only matters to the text format (None: decide from env)."""
    module = importlib.import_module(_MODULES[fmt])
    formatter: Formatter = module.make_formatter(color=color)
    return formatter
