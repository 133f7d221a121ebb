"""--format json: the report data, indented by two spaces (never through rich).

The text is what `json.dumps(data, indent=2, ensure_ascii=False)` writes (a test compares the two
on many reports), but made here from the C string quoter alone: importing the json package costs
about a millisecond of every `check --format json`, and the report holds only dicts, lists, text,
numbers, booleans and None.
"""

from __future__ import annotations

import math
from typing import Any, TextIO

from suppcheck.model import Report
from suppcheck.report.data import report_to_dict

try:
    from _json import encode_basestring as _quote
except ImportError:  # a Python without the C accelerator: the json package has the same
    from json.encoder import encode_basestring as _quote


class JsonFormatter:
    def write(self, report: Report, out: TextIO) -> None:
        out.write(dumps(report_to_dict(report)))
        out.write("\n")


def make_formatter(*, color: bool | None = None, options: object = None) -> JsonFormatter:
    del color, options  # JSON has no colour, and always has everything
    return JsonFormatter()


def dumps(data: Any) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False)` for JSON-ready data."""
    parts: list[str] = []
    _write(data, "\n", parts)
    return "".join(parts)


def _write(value: Any, newline: str, parts: list[str]) -> None:
    """Append `value`'s text; `newline` is a newline and the indent of the current level."""
    if isinstance(value, str):
        parts.append(_quote(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(_float(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + "  "
        opening = "{"
        for key, item in value.items():
            parts.append(f"{opening}{inner}{_quote(key)}: ")
            _write(item, inner, parts)
            opening = ","
        parts.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        opening = "["
        for item in value:
            parts.append(opening + inner)
            _write(item, inner, parts)
            opening = ","
        parts.append(newline + "]")
    else:
        raise TypeError(f"not JSON data: {type(value).__name__}")  # a bug, never user input


def _float(value: float) -> str:
    if math.isfinite(value):
        return float.__repr__(value)
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
