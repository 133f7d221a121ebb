"""--format json: the report data, indented by two spaces (never through rich)."""

from __future__ import annotations

import json
from typing import TextIO

from suppcheck.model import Report
from suppcheck.printable import json_text
from suppcheck.report.data import report_to_dict


class JsonFormatter:
    def write(self, report: Report, out: TextIO) -> None:
        out.write(json_text(json.dumps(report_to_dict(report), indent=2, ensure_ascii=False)))
        out.write("\n")


def make_formatter(*, color: bool | None = None, options: object = None) -> JsonFormatter:
    del color, options  # JSON has no colour, and always has everything
    return JsonFormatter()
