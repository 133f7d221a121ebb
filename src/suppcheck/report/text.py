"""--format text: the report for people, through rich.

Everything is built from `rich.text.Text` with styles, never from markup strings, so text the
user typed is printed literally. Severity is always a word and a symbol, never colour alone.
rich honours NO_COLOR, FORCE_COLOR and pipes (no escape codes when stdout is not a terminal).
"""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console
from rich.text import Text

from suppcheck.model import Coverage, Finding, Report, Severity, format_amount
from suppcheck.printable import readable
from suppcheck.report import wording

SEVERITY_STYLE = {
    Severity.WARNING: "bold red",
    Severity.CAUTION: "bold yellow",
    Severity.INFO: "bold cyan",
}
SYMBOLS_UNICODE = {Severity.WARNING: "\u25b2", Severity.CAUTION: "\u25c6", Severity.INFO: "\u25cf"}
SYMBOLS_ASCII = {Severity.WARNING: "!!", Severity.CAUTION: "! ", Severity.INFO: "i "}
COVERAGE_STYLE = {
    Coverage.FLAGGED: "bold",
    Coverage.CHECKED: "green",
    Coverage.NOT_COVERED: "magenta",
}


class TextFormatter:
    def __init__(self, color: bool | None) -> None:
        self.color = color

    def write(self, report: Report, out: TextIO) -> None:
        console = _console(out, self.color)
        encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "")
        symbols = SYMBOLS_UNICODE if encoding.startswith("utf") else SYMBOLS_ASCII
        _Writer(console, report, symbols).write()


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich would exit with status 1 here; the caller decides the exit status instead.
        raise BrokenPipeError


def _console(out: TextIO, color: bool | None) -> Console:
    width = None
    if not out.isatty():
        width = 80
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit():
            width = max(40, min(int(columns), 200))
    force = color  # False also overrides FORCE_COLOR: files never get escape codes
    return _Console(
        file=out,
        force_terminal=force,
        no_color=True if color is False else None,
        highlight=False,
        markup=False,
        emoji=False,
        width=width,
        soft_wrap=False,
    )


class _Writer:
    """Builds the whole report as one Text and prints it once: one console.print per line
    costs rich's per-call terminal checks dozens of times over."""

    def __init__(self, console: Console, report: Report, symbols: dict[Severity, str]) -> None:
        self.console = console
        self.width = console.width
        self.report = report
        self.symbols = symbols
        self.lines: list[Text] = []

    def write(self) -> None:
        self.title()
        self.understood()
        self.not_understood()
        self.findings()
        self.supplements()
        self.totals()
        self.notes()
        self.closing()
        self.console.print(Text("\n").join(self.lines), soft_wrap=True)

    def blank(self) -> None:
        self.lines.append(Text())

    # --- helpers ---------------------------------------------------------------------------

    def line(self, *parts: str | tuple[str, str], indent: int = 0, hang: int = 0) -> None:
        """Print styled parts wrapped to the width, continuation lines indented by `hang` more.

        Wrapping is done here rather than with rich's Padding, which pads every line with
        trailing spaces to the full width.
        """
        text = Text()
        for part in parts:
            if isinstance(part, tuple):
                text.append(part[0], style=part[1])
            else:
                text.append(part)
        width = max(20, self.width - indent)
        for number, piece in enumerate(text.wrap(self.console, width - hang)):
            piece.rstrip()
            prefix = " " * (indent + (hang if number else 0))
            self.lines.append(Text(prefix) + piece)

    def heading(self, title: str) -> None:
        self.blank()
        self.line((title, "bold underline"))

    # --- sections --------------------------------------------------------------------------

    def title(self) -> None:
        info = self.report.rule_base
        self.line(("suppcheck: supplement caution report", "bold"))
        self.line(
            (
                f"rule base {info.version}, reviewed {info.reviewed}, "
                f"{self.report.rule_count} rules",
                "dim",
            )
        )
        extra = wording.rule_files_sentence(info)
        if extra is not None:
            self.line((extra, "bold"))
        self.blank()
        self.line((wording.headline(self.report), "bold"))

    def understood(self) -> None:
        profile = self.report.profile
        self.heading("What was checked")
        rows = wording.understood_rows(self.report)
        for label, item in rows:
            dose = f", {wording.daily_dose(item.dose)}" if item.dose else ""
            self.line(
                f"{label:<11} ",
                readable(item.input),
                " -> ",
                (item.name, "bold"),
                dose,
                indent=2,
                hang=12,
            )
        if not rows:
            self.line("nothing that suppcheck understood", indent=2)
        self.line(
            f"{'activity':<11} ",
            "active or flaring"
            if profile.active
            else "not marked active (use --active in a flare)",
            indent=2,
        )
        if profile.from_saved_profile:
            self.line(("includes your saved profile (suppcheck profile show)", "dim"), indent=2)

    def not_understood(self) -> None:
        unresolved = self.report.profile.unresolved
        not_added = self.report.not_added
        if not unresolved and not not_added:
            return
        self.heading("Not understood: names not checked, doses not counted")
        for item in unresolved:
            self.line(
                ("? ", "bold magenta"),
                (readable(item.input), "bold"),
                "  ",
                wording.unresolved_sentence(item),
                indent=2,
            )
        for message in not_added:
            self.line(("? ", "bold magenta"), readable(message), indent=2)
        self.line(
            "Check the spelling, or run `suppcheck list supplements` to see known names.", indent=2
        )

    def findings(self) -> None:
        if not self.report.findings:
            return
        self.heading(f"Findings: {wording.findings_summary(self.report)}")
        for finding in self.report.findings:
            self.finding(finding)

    def finding(self, finding: Finding) -> None:
        rule = finding.rule
        style = SEVERITY_STYLE[rule.severity]
        self.blank()
        self.line(
            (f"{self.symbols[rule.severity]} {rule.severity.value.upper()}", style),
            "  ",
            (rule.title, "bold"),
            hang=3,
        )
        self.line(
            (f"rule {rule.id} | evidence: {wording.evidence_phrase(rule.evidence.value)}", "dim"),
            indent=3,
        )
        about = wording.about(self.report, finding)
        if about:
            self.line(("About: ", "bold"), ", ".join(about), indent=3)
        if finding.because:
            self.line(("Why this applies to you:", "bold"), indent=3)
            for reason in finding.because:
                self.line("- ", reason, indent=5, hang=2)
        self.line(("The concern: ", "bold"), rule.rationale, indent=3)
        self.line(("What to do: ", "bold"), rule.advice, indent=3)
        self.line(("Ask your clinician:", "bold"), indent=3)
        for question in rule.ask:
            self.line("- ", question, indent=5, hang=2)
        sources = "; ".join(s.title + (f" <{s.url}>" if s.url else "") for s in rule.sources)
        self.line(("Sources: ", "bold"), sources, indent=3)

    def supplements(self) -> None:
        if not self.report.statuses:
            return
        self.heading("Each supplement")
        for status in self.report.statuses:
            self.line(
                (status.supplement.name, "bold"),
                ": ",
                (wording.status_sentence(status, self.report), COVERAGE_STYLE[status.coverage]),
                indent=2,
            )

    def totals(self) -> None:
        shown = [t for t in self.report.totals if t.products and t.upper_limit is not None]
        if not shown:
            return
        self.heading("Daily totals")
        for total in shown:
            limit = total.upper_limit
            assert limit is not None
            verdict = (
                ("ABOVE the upper limit", "bold red")
                if total.over_limit
                else ("within the upper limit", "green")
            )
            self.line(
                (total.name, "bold"),
                f": {format_amount(total.total)} {total.unit} a day, ",
                verdict,
                f" of {format_amount(limit.amount)} {limit.unit} for "
                f"{limit.population} ({limit.source.title})",
                indent=2,
            )

    def notes(self) -> None:
        if not self.report.notes:
            return
        self.heading("Notes")
        for note in self.report.notes:
            self.line("- ", note, indent=2, hang=2)

    def closing(self) -> None:
        self.blank()
        self.line((wording.ABSENCE_IS_NOT_SAFETY, "italic"))
        self.line((wording.CLINICIAN_PROMPT, "bold"))
        self.line((wording.DISCLAIMER, "dim"))


def make_formatter(*, color: bool | None = None) -> TextFormatter:
    return TextFormatter(color)
