"""--format markdown: the text report as a Markdown document, for notes, tickets and printing.

The sections and sentences are the text report's (report/text.py, report/wording.py). Every
piece of text, whether the user typed it or a rule file holds it, goes through `escape`, so that
a supplement called `**x**` or `<script>` prints literally and cannot add markup, links or HTML.
"""

from __future__ import annotations

import re
from typing import TextIO

from suppcheck.model import SEVERITY_MEANING, Finding, Report, Severity, Source, format_amount
from suppcheck.printable import readable
from suppcheck.report import wording

SYMBOLS = {Severity.WARNING: "\u25b2", Severity.CAUTION: "\u25c6", Severity.INFO: "\u25cf"}

# The characters CommonMark and GitHub Markdown give a meaning to anywhere in a line (emphasis,
# code, links and images, raw HTML and entities, tables, strikethrough, math). With `[` escaped,
# `(` and `!` cannot start a link or an image. Characters that matter only at the start of a
# line are handled in `escape`.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&$])")
_SPACES = re.compile(r"\s+")


def escape(text: str) -> str:
    """Text printed literally: control characters made visible, newlines folded, markup escaped."""
    flat = _SPACES.sub(" ", text).strip()
    visible = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in flat)
    escaped = _SPECIAL.sub(r"\\\1", visible)
    # "- ", "+ ", "= " or "1. " at the start of a line would begin a list or a heading
    escaped = re.sub(r"^([-+=])(?=[-+=\s]|$)", r"\\\1", escaped)
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", escaped)


def typed(text: str) -> str:
    """What the user typed: shortened like the text report does, then escaped."""
    return escape(readable(text))


def link(source: Source) -> str:
    title = escape(source.title)
    if source.url and source.url.startswith("https://") and not re.search(r"[\s<>]", source.url):
        return f"[{title}](<{source.url}>)"
    return title


class MarkdownFormatter:
    def write(self, report: Report, out: TextIO) -> None:
        out.write("\n".join(_lines(report)).rstrip("\n") + "\n")


def _lines(report: Report) -> list[str]:
    info = report.rule_base
    lines = [
        "# Supplement caution report",
        "",
        f"*suppcheck rule base {escape(info.version)}, reviewed {escape(info.reviewed)}, "
        f"{report.rule_count} rules*",
        "",
    ]
    extra = wording.rule_files_sentence(info)
    if extra is not None:
        lines += [f"**{escape(extra)}**", ""]
    lines += [
        f"**{escape(wording.headline(report))}**",
        "",
    ]
    lines += _understood(report)
    lines += _not_understood(report)
    lines += _findings(report)
    lines += _supplements(report)
    lines += _totals(report)
    if report.notes:
        lines += ["## Notes", "", *(f"- {escape(note)}" for note in report.notes), ""]
    lines += [
        "---",
        "",
        f"*{escape(wording.ABSENCE_IS_NOT_SAFETY)}*",
        "",
        f"**{escape(wording.CLINICIAN_PROMPT)}**",
        "",
        escape(wording.DISCLAIMER),
    ]
    return lines


def _understood(report: Report) -> list[str]:
    profile = report.profile
    lines = ["## What was checked", ""]
    rows = wording.understood_rows(report)
    if rows:
        lines += ["| | You entered | Understood as | Daily dose |", "|---|---|---|---|"]
        for label, item in rows:
            dose = escape(wording.daily_dose(item.dose)) if item.dose else ""
            lines.append(f"| {label} | {typed(item.input)} | **{escape(item.name)}** | {dose} |")
    else:
        lines.append("Nothing that suppcheck understood.")
    activity = (
        "active or flaring" if profile.active else "not marked active (use --active in a flare)"
    )
    lines += ["", f"Disease activity: {escape(activity)}."]
    if profile.from_saved_profile:
        lines += ["", escape("Includes your saved profile (suppcheck profile show).")]
    return [*lines, ""]


def _not_understood(report: Report) -> list[str]:
    unresolved = report.profile.unresolved
    if not unresolved and not report.not_added:
        return []
    lines = ["## Not understood: names not checked, doses not counted", ""]
    lines += [
        f"- **{typed(item.input)}**: {escape(wording.unresolved_sentence(item))}"
        for item in unresolved
    ]
    lines += [f"- {escape(readable(message))}" for message in report.not_added]
    hint = "Check the spelling, or run `suppcheck list supplements` to see known names."
    return [*lines, "", escape(hint), ""]


def _findings(report: Report) -> list[str]:
    if not report.findings:
        return []
    summary = wording.findings_summary(report)
    lines = [f"## Findings: {summary}", ""]
    for severity in reversed(Severity):
        group = [f for f in report.findings if f.rule.severity is severity]
        if not group:
            continue
        lines += [
            f"### {SYMBOLS[severity]} {severity.value.upper()}: "
            f"{escape(SEVERITY_MEANING[severity])}",
            "",
        ]
        for finding in group:
            lines += _finding(finding, report)
    return lines


def _finding(finding: Finding, report: Report) -> list[str]:
    rule = finding.rule
    symbol = SYMBOLS[rule.severity]
    lines = [
        f"#### {symbol} {rule.severity.value.upper()}: {escape(rule.title)}",
        "",
        f"- **Rule:** {escape(rule.id)}",
        f"- **Evidence:** {escape(wording.evidence_phrase(rule.evidence.value))}",
    ]
    about = wording.about(report, finding)
    if about:
        lines.append(f"- **About:** {escape(', '.join(about))}")
    lines.append("")
    if finding.because:
        lines += ["**Why this applies to you:**", ""]
        lines += [f"- {escape(reason)}" for reason in finding.because]
        lines.append("")
    lines += [f"**The concern:** {escape(rule.rationale)}", ""]
    lines += [f"**What to do:** {escape(rule.advice)}", ""]
    if rule.ask:
        lines += ["**Ask your clinician:**", ""]
        lines += [f"- {escape(question)}" for question in rule.ask]
        lines.append("")
    lines += ["**Sources:**", ""]
    lines += [f"- {link(source)}" for source in rule.sources]
    return [*lines, ""]


def _supplements(report: Report) -> list[str]:
    if not report.statuses:
        return []
    lines = ["## Each supplement", ""]
    for status in report.statuses:
        sentence = wording.status_sentence(status, report)
        lines.append(f"- **{escape(status.supplement.name)}**: {escape(sentence)}")
    return [*lines, ""]


def _totals(report: Report) -> list[str]:
    shown = [t for t in report.totals if t.products and t.upper_limit is not None]
    if not shown:
        return []
    lines = ["## Daily totals", ""]
    for total in shown:
        limit = total.upper_limit
        assert limit is not None
        verdict = "**ABOVE the upper limit**" if total.over_limit else "within the upper limit"
        lines.append(
            f"- **{escape(total.name)}**: "
            f"{escape(f'{format_amount(total.total)} {total.unit} a day')}, {verdict} "
            + escape(
                f"of {format_amount(limit.amount)} {limit.unit} for {limit.population} "
                f"({limit.source.title})"
            )
        )
    return [*lines, ""]


def make_formatter(*, color: bool | None = None) -> MarkdownFormatter:
    del color  # a document has no colour
    return MarkdownFormatter()
