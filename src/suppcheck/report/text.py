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

from suppcheck.model import Finding, Report, Rule, Severity
from suppcheck.printable import readable, visible
from suppcheck.report import Detail, Options, overview, wording

SEVERITY_STYLE = {
    Severity.WARNING: "bold red",
    Severity.CAUTION: "bold yellow",
    Severity.INFO: "bold cyan",
}
SYMBOLS_UNICODE = wording.SYMBOL
SYMBOLS_ASCII = {Severity.WARNING: "!!", Severity.CAUTION: "! ", Severity.INFO: "i "}
# No green: "nothing found" must not read as "safe".
STATE_STYLE = {
    overview.State.NOT_UNDERSTOOD: "bold magenta",
    overview.State.NOTHING_FOUND: "bold",
    overview.State.NOT_COVERED: "magenta",
}


class TextFormatter:
    def __init__(self, color: bool | None, options: Options) -> None:
        self.color = color
        self.options = options

    def write(self, report: Report, out: TextIO) -> None:
        console = _console(out, self.color, self.options.width)
        encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "")
        unicode = encoding.startswith("utf")
        _Writer(console, report, unicode, self.options).write()


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich would exit with status 1 here; the caller decides the exit status instead.
        raise BrokenPipeError


def _console(out: TextIO, color: bool | None, width: int | None = None) -> Console:
    if width is None and not out.isatty():
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

    def __init__(self, console: Console, report: Report, unicode: bool, options: Options) -> None:
        self.console = console
        self.width = console.width
        self.report = report
        self.symbols = SYMBOLS_UNICODE if unicode else SYMBOLS_ASCII
        self.states = overview.STATE_SYMBOL if unicode else overview.STATE_SYMBOL_ASCII
        self.options = options
        self.full = options.detail is Detail.FULL
        self.lines: list[Text] = []

    def write(self) -> None:
        self.title()
        self.summary()
        if self.options.detail is not Detail.QUIET:
            self.details()
            self.understood()
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
        for part in parts:  # every string is shown literally: rule files hold text from outside
            if isinstance(part, tuple):
                text.append(visible(part[0]), style=part[1])
            else:
                text.append(visible(part))
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
        if self.options.for_name:
            self.line("For: ", (readable(self.options.for_name), "bold"))
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

    def severity(self, severity: Severity) -> tuple[str, str]:
        return (f"{self.symbols[severity]} {wording.WORD[severity]}", SEVERITY_STYLE[severity])

    def summary(self) -> None:
        lines = overview.supplement_lines(self.report)
        if lines:
            self.heading("Your supplements")
            for item in lines:
                if item.severity is not None:
                    label = self.severity(item.severity)
                else:
                    assert item.state is not None
                    label = (f"{self.states[item.state]} {item.state}", STATE_STYLE[item.state])
                extra = f" (+{item.more} more)" if item.more else ""
                dose = f" ({item.dose})" if item.dose else ""
                self.line(
                    label,
                    "  ",
                    (readable(item.name), "bold"),
                    dose,
                    ": ",
                    item.headline,
                    extra,
                    indent=2,
                    hang=4,
                )
                if item.dose_problem:
                    self.line(
                        (f"? {overview.State.NOT_UNDERSTOOD}", "bold magenta"),
                        "  ",
                        readable(item.dose_problem),
                        indent=4,
                        hang=4,
                    )
        if self.report.profile.unresolved:
            self.line(
                wording.spelling_hint(self.report),
                indent=2,
            )
        self.totals()
        questions, more = overview.questions(self.report, every=self.full)
        if questions:
            self.heading("Ask your clinician")
            for question in questions:
                self.line("- ", question, indent=2, hang=2)
            if more:
                self.line((f"({more} more in the details: --details)", "dim"), indent=2)
        plan = overview.plan_lines(self.report)
        if plan:
            self.heading("When to take what")
            for text in plan:
                self.line(text, indent=2, hang=4)

    def totals(self) -> None:
        shown = overview.shown_totals(self.report)
        if not shown and not self.report.not_added:
            return
        self.heading("Daily totals against upper limits")
        for total in shown:
            style = "bold red" if total.over_limit else ""
            self.line(
                (total.name, "bold"),
                ": ",
                (overview.total_sentence(total), style),
                f" ({total.breakdown})",
                indent=2,
                hang=4,
            )
        limits = wording.limits_line(self.report.profile) if shown else None
        if limits is not None:
            self.line((limits, "dim"), indent=2)
        for message in self.report.not_added:
            self.line(("? not counted: ", "bold magenta"), readable(message), indent=2, hang=4)

    def details(self) -> None:
        groups = overview.groups(self.report)
        if not groups:
            return
        self.heading(f"Details: {wording.details_summary(self.report)}")
        for group in groups:
            self.blank()
            self.line((f"== {group.title} ==", "bold"))
            for finding in group.findings:
                self.finding(finding)
            for finding in group.see_also:
                self.blank()
                self.line(
                    self.severity(finding.rule.severity),
                    "  ",
                    finding.rule.title,
                    f" (see {overview.group_of(self.report, finding)} above)",
                    hang=3,
                )

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
                wording.confirmed_mark(item),
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
        stage = wording.life_stage_words(profile)
        if stage is not None:
            self.line(f"{'life stage':<11} ", stage, indent=2)
        if profile.from_saved_profile:
            self.line(("includes your saved profile (suppcheck profile show)", "dim"), indent=2)

    def finding(self, finding: Finding) -> None:
        rule = finding.rule
        grouped = overview.members(self.report, finding)
        self.blank()
        self.line(self.severity(rule.severity), "  ", (rule.title, "bold"), hang=3)
        if len(grouped) > 1:
            ids = ", ".join(f.rule.id for f in grouped)
            self.line((f"{len(grouped)} rules, one finding: {ids}", "dim"), indent=3, hang=2)
        else:
            self.line((f"rule {rule.id} | evidence: {self.evidence(rule)}", "dim"), indent=3)
        about = wording.about(self.report, finding)
        if len(about) > 1 or (about and not finding.supplements):
            self.line(("About: ", "bold"), ", ".join(about), indent=3)
        because = list(dict.fromkeys(reason for f in grouped for reason in f.because))
        if because:
            self.line(("Why this applies to you:", "bold"), indent=3)
            for reason in because:
                self.line("- ", reason, indent=5, hang=2)
        if len(grouped) > 1:
            self.line(("The reasons:", "bold"), indent=3)
            for member in grouped:
                self.reason(member.rule)
        else:
            if self.full:
                self.line(("The concern: ", "bold"), rule.rationale, indent=3)
            self.line(("What to do: ", "bold"), rule.advice, indent=3)
        asks = list(dict.fromkeys(q for f in grouped for q in f.rule.ask))
        if self.full and asks:
            self.line(("Ask your clinician:", "bold"), indent=3)
            for question in asks:
                self.line("- ", question, indent=5, hang=2)
        self.line(("Sources:", "bold"), indent=3)
        for source in overview.block_sources(grouped):
            seed = "" if source.url else f" {wording.SEED_NOTE}"
            self.line("- ", source.title, (seed, "dim"), indent=5, hang=2)
            if source.url:
                # on a line of its own and never wrapped: a URL cut in two cannot be opened
                self.lines.append(Text(" " * 7 + visible(source.url), style="dim"))

    def evidence(self, rule: Rule) -> str:
        return wording.evidence_phrase(rule.evidence.value) if self.full else rule.evidence.value

    def reason(self, rule: Rule) -> None:
        """One rule's point inside a grouped finding."""
        self.line("- ", self.severity(rule.severity), "  ", rule.title, indent=5, hang=2)
        self.line((f"rule {rule.id} | evidence: {self.evidence(rule)}", "dim"), indent=7)
        if self.full:
            self.line(("The concern: ", "bold"), rule.rationale, indent=7)
        self.line(("What to do: ", "bold"), rule.advice, indent=7)

    def notes(self) -> None:
        if not self.report.notes:
            return
        self.heading("Notes")
        for note in self.report.notes:
            self.line("- ", note, indent=2, hang=2)

    def closing(self) -> None:
        self.blank()
        if self.options.detail is Detail.NORMAL and self.report.findings:
            self.line(("For the full concern, the evidence and every question: --details", "dim"))
        self.line((wording.ABSENCE_IS_NOT_SAFETY, "italic"))
        self.line((wording.CLINICIAN_PROMPT, "bold"))
        self.line((wording.DISCLAIMER, "dim"))


def make_formatter(*, color: bool | None = None, options: Options | None = None) -> TextFormatter:
    return TextFormatter(color, options or Options())
