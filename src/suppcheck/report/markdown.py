"""--format markdown: the text report as a Markdown document, for notes, tickets and printing.

The sections and sentences are the text report's (report/text.py, report/wording.py). Every
piece of text, whether the user typed it or a rule file holds it, goes through `escape`, so that
a supplement called `**x**` or `<script>` prints literally and cannot add markup, links or HTML.
"""

from __future__ import annotations

import re
from typing import TextIO

from suppcheck.model import Finding, Report, Rule, Severity, Source
from suppcheck.printable import readable, visible
from suppcheck.report import Detail, Options, overview, wording
from suppcheck.report.overview import STATE_SYMBOL

# The characters CommonMark and GitHub Markdown give a meaning to anywhere in a line (emphasis,
# code, links and images, raw HTML and entities, tables, strikethrough, math). With `[` escaped,
# `(` and `!` cannot start a link or an image. Characters that matter only at the start of a
# line are handled in `escape`.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&$])")
_SPACES = re.compile(r"\s+")
_AUTOLINK = re.compile(r"(?i)(|\bwww)(:(?=//)|(?<=www)\.|@)")


def escape(text: str) -> str:
    """Text printed literally: control characters made visible, newlines folded, markup escaped."""
    flat = _SPACES.sub(" ", text).strip()
    escaped = _SPECIAL.sub(r"\\\1", visible(flat))
    # GitHub's autolinks make `https://x`, `www.x` and `a@b.x` clickable without any markup;
    # an escaped `:`, `.` or `@` still reads the same but no longer starts a link.
    escaped = _AUTOLINK.sub(r"\1\\\2", escaped)
    # "- ", "+ ", "= " or "1. " at the start of a line would begin a list or a heading
    escaped = re.sub(r"^([-+=])(?=[-+=\s]|$)", r"\\\1", escaped)
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", escaped)


def typed(text: str) -> str:
    """What the user typed: shortened like the text report does, then escaped."""
    return escape(readable(text))


def link(source: Source) -> str:
    title = escape(source.title)
    url = source.url
    if url and url.startswith("https://") and url.isprintable() and not re.search(r"[\s<>]", url):
        return f"[{title}](<{source.url}>)"
    if source.url:
        return f"{title} ({escape(source.url)})"
    return f"{title} {escape(wording.SEED_NOTE)}"


class MarkdownFormatter:
    def __init__(self, options: Options) -> None:
        self.options = options

    def write(self, report: Report, out: TextIO) -> None:
        out.write("\n".join(_lines(report, self.options)).rstrip("\n") + "\n")


def label(severity: Severity) -> str:
    return f"{wording.SYMBOL[severity]} {wording.WORD[severity]}"


def _lines(report: Report, options: Options) -> list[str]:
    info = report.rule_base
    lines = ["# Supplement caution report", ""]
    if options.for_name:
        lines += [f"**For:** {typed(options.for_name)}", ""]
    date = f"{escape(options.date)} · " if options.date else ""
    lines += [
        f"*{date}suppcheck rule base {escape(info.version)}, reviewed {escape(info.reviewed)}, "
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
    lines += _summary(report, options)
    if options.detail is not Detail.QUIET:
        lines += _details(report, options)
        lines += _understood(report)
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


def _summary(report: Report, options: Options) -> list[str]:
    lines: list[str] = []
    rows = overview.supplement_lines(report)
    if rows:
        lines += [
            "## Your supplements",
            "",
            "| Supplement | Daily dose | Result | Most important caution |",
            "|---|---|---|---|",
        ]
        for row in rows:
            if row.severity is not None:
                result = label(row.severity)
            else:
                result = f"{STATE_SYMBOL[row.state or '']} {row.state}"
            extra = f" (+{row.more} more)" if row.more else ""
            headline = escape(row.headline) + extra
            if row.dose_problem:
                headline += f" ? {overview.State.NOT_UNDERSTOOD}: {escape(row.dose_problem)}"
            lines.append(
                f"| **{typed(row.name)}** | {escape(row.dose or '')} | {result} | {headline} |"
            )
        lines.append("")
    if report.profile.unresolved:
        lines += [escape(wording.spelling_hint(report)), ""]
    lines += _totals(report)
    questions, more = overview.questions(report, every=options.detail is Detail.FULL)
    if questions:
        lines += ["## Ask your clinician", "", *(f"- {escape(q)}" for q in questions), ""]
        if more:
            lines += [f"*{more} more in the details (--details).*", ""]
    plan = overview.plan_lines(report)
    if plan:
        lines += ["## When to take what", "", escape(plan[0]), ""]
        lines += [f"- {escape(text)}" for text in plan[1:]]
        lines.append("")
    if options.detail is not Detail.QUIET:
        lines += ["## Clinician's notes", "", *(["&nbsp;", ""] * 4)]
    return lines


def _details(report: Report, options: Options) -> list[str]:
    groups = overview.groups(report)
    if not groups:
        return []
    lines = [f"## Details: {escape(wording.details_summary(report))}", ""]
    for group in groups:
        lines += [f"### {escape(group.title)}", ""]
        for finding in group.findings:
            lines += _finding(finding, report, options)
        for finding in group.see_also:
            where = escape(overview.group_of(report, finding))
            lines += [
                f"- {label(finding.rule.severity)}: {escape(finding.rule.title)} "
                f"(see {where} above)",
                "",
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
            name = f"**{escape(item.name)}**{wording.confirmed_mark(item)}"
            lines.append(f"| {label} | {typed(item.input)} | {name} | {dose} |")
    else:
        lines.append("Nothing that suppcheck understood.")
    activity = (
        "active or flaring" if profile.active else "not marked active (use --active in a flare)"
    )
    lines += ["", f"Disease activity: {escape(activity)}."]
    stage = wording.life_stage_words(profile)
    if stage is not None:
        lines += ["", f"Life stage: {escape(stage)}."]
    if profile.from_saved_profile:
        lines += ["", escape("Includes your saved profile (suppcheck profile show).")]
    return [*lines, ""]


def _finding(finding: Finding, report: Report, options: Options) -> list[str]:
    rule = finding.rule
    full = options.detail is Detail.FULL
    grouped = overview.members(report, finding)
    lines = [f"#### {label(rule.severity)}: {escape(rule.title)}", ""]
    if len(grouped) > 1:
        ids = ", ".join(f.rule.id for f in grouped)
        lines.append(f"- **Rules:** {escape(ids)} ({len(grouped)} rules, one finding)")
    else:
        lines += [
            f"- **Rule:** {escape(rule.id)}",
            f"- **Evidence:** {escape(_evidence(rule, full))}",
        ]
    about = wording.about(report, finding)
    if len(about) > 1 or (about and not finding.supplements):
        lines.append(f"- **About:** {escape(', '.join(about))}")
    lines.append("")
    because = list(dict.fromkeys(reason for f in grouped for reason in f.because))
    if because:
        lines += ["**Why this applies to you:**", ""]
        lines += [f"- {escape(reason)}" for reason in because]
        lines.append("")
    if len(grouped) > 1:
        lines += ["**The reasons:**", ""]
        for member in grouped:
            lines += _reason(member.rule, full)
        lines.append("")
    else:
        if full:
            lines += [f"**The concern:** {escape(rule.rationale)}", ""]
        lines += [f"**What to do:** {escape(rule.advice)}", ""]
    asks = list(dict.fromkeys(q for f in grouped for q in f.rule.ask))
    if full and asks:
        lines += ["**Ask your clinician:**", ""]
        lines += [f"- {escape(question)}" for question in asks]
        lines.append("")
    lines += ["**Sources:**", ""]
    lines += [f"- {link(source)}" for source in overview.block_sources(grouped)]
    return [*lines, ""]


def _evidence(rule: Rule, full: bool) -> str:
    return wording.evidence_phrase(rule.evidence.value) if full else rule.evidence.value


def _reason(rule: Rule, full: bool) -> list[str]:
    """One rule's point inside a grouped finding."""
    lines = [
        f"- {label(rule.severity)}: {escape(rule.title)} "
        f"(rule {escape(rule.id)}, evidence: {escape(_evidence(rule, full))})",
    ]
    if full:
        lines.append(f"  - The concern: {escape(rule.rationale)}")
    lines.append(f"  - What to do: {escape(rule.advice)}")
    return lines


def _totals(report: Report) -> list[str]:
    shown = overview.shown_totals(report)
    if not shown and not report.not_added:
        return []
    lines = ["## Daily totals against upper limits", ""]
    for total in shown:
        sentence = escape(overview.total_sentence(total))
        if total.over_limit:
            sentence = f"**{sentence}**"
        breakdown = escape(total.breakdown)
        lines.append(f"- **{escape(total.name)}**: {sentence} ({breakdown})")
    lines += [f"- ? not counted: {escape(readable(message))}" for message in report.not_added]
    limits = wording.limits_line(report.profile) if shown else None
    if limits is not None:
        lines += ["", escape(limits)]
    return [*lines, ""]


def make_formatter(
    *, color: bool | None = None, options: Options | None = None
) -> MarkdownFormatter:
    del color  # a document has no colour
    return MarkdownFormatter(options or Options())
