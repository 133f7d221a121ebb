"""--format html: one self-contained, printable page for an appointment.

The sections and sentences are the text report's (report/text.py, report/wording.py). The page
has inline CSS only: no scripts, no fonts, images or style sheets from anywhere, so it opens
offline and sends nothing. Every piece of text goes through `html.escape`. Severity is a word and
a symbol as well as a colour, so the page reads the same printed in black and white.
"""

from __future__ import annotations

import html
import re
from typing import TextIO

from suppcheck.model import Finding, Report, Rule, Severity, Source
from suppcheck.printable import readable, visible
from suppcheck.report import Detail, Options, overview, wording
from suppcheck.report.overview import STATE_SYMBOL

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #1a1a1a; background: #fff; max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; padding-bottom: .2rem;
  border-bottom: 2px solid #1a1a1a; }
h3 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
h4 { font-size: 1rem; margin: 0 0 .4rem; }
p { margin: .4rem 0; }
ul { margin: .3rem 0 .6rem; padding-left: 1.4rem; }
.meta { color: #4a4a4a; margin: 0; }
.for { font-size: 1.1rem; margin: .2rem 0; }
.headline { font-size: 1.1rem; font-weight: 700; padding: .6rem 1rem; margin: .8rem 0;
  border: 2px solid #1a1a1a; border-radius: 6px; background: #f4f4f4; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
table.overview { table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border: 1px solid #bbb; }
th { background: #eee; }
tbody th { background: none; }
.c-name { width: 18%; } .c-dose { width: 14%; } .c-result { width: 21%; }
ul.cell { list-style: none; padding: 0; margin: 0; }
ul.cell li { margin: 0 0 .15rem; }
.input { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .92em;
  overflow-wrap: anywhere; }
.dose { white-space: nowrap; }
.totals li, .questions li { margin: .15rem 0; }
.finding { border: 1px solid #999; border-left: 8px solid #666; border-radius: 6px;
  padding: .8rem 1rem; margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
.finding.warning { border-left-color: #b00020; }
.finding.caution { border-left-color: #a05a00; }
.finding.info { border-left-color: #1f5fa8; }
.badge { display: inline-block; font-weight: 700; font-size: .85em; letter-spacing: .03em;
  padding: 0 .35rem; border: 2px solid currentColor; border-radius: 4px; margin-right: .3rem;
  white-space: nowrap; }
.badge.warning { color: #b00020; }
.badge.caution { color: #8a4b00; }
.badge.info { color: #1f5fa8; }
.badge.state { color: #333; border-style: dashed; }
.rule-meta { color: #4a4a4a; font-size: .92rem; margin: 0 0 .5rem; }
.label { font-weight: 700; }
.over { font-weight: 700; color: #b00020; }
.seed { color: #4a4a4a; font-size: .92em; }
.notes-box .write-here { height: 7rem; border: 1px solid #999; border-radius: 4px; }
.closing { margin-top: 1.2rem; padding-top: .6rem; border-top: 2px solid #1a1a1a; }
.prompt { font-weight: 700; }
.disclaimer { color: #333; font-size: .95rem; }
.details { margin-top: 2rem; break-before: page; page-break-before: always; }
a { color: #0b4f9c; overflow-wrap: anywhere; }
@media print {
  html { font-size: 9.5pt; }
  body { font-size: 9.5pt; line-height: 1.3; max-width: none; padding: 0; }
  h2 { margin: .8rem 0 .3rem; font-size: 1.15rem; }
  p { margin: .2rem 0; }
  ul { margin: .1rem 0 .3rem; }
  th, td { padding: .15rem .4rem; }
  .finding { padding: .4rem .7rem; margin: .5rem 0; border-left-width: 6px; }
  h2, h3, .group { break-after: avoid; page-break-after: avoid; }
  .headline { background: none; padding: .3rem .6rem; margin: .4rem 0; }
  tr, .closing, .notes-box { break-inside: avoid; page-break-inside: avoid; }
  .notes-box .write-here { height: 5rem; }
  a { color: inherit; text-decoration: none; }
  a[href]::after { content: " <" attr(href) ">"; font-size: .85em; overflow-wrap: anywhere; }
}
@page { size: A4; margin: 14mm 14mm; }
"""


def _rule_files(report: Report) -> list[str]:
    extra = wording.rule_files_sentence(report.rule_base)
    return [] if extra is None else [f'<p class="meta"><strong>{esc(extra)}</strong></p>']


def esc(text: str) -> str:
    """Text printed literally: control characters made visible, then HTML-escaped."""
    return html.escape(visible(text, newlines=True), quote=True)


def typed(text: str) -> str:
    """What the user typed: shortened and made visible like the text report does, escaped."""
    return html.escape(readable(text), quote=True)


def link(source: Source) -> str:
    title = esc(source.title)
    if source.url and re.fullmatch(r"https://[^\s<>\"']+", source.url):
        return f'<a href="{esc(source.url)}">{title}</a>'
    if source.url:
        return f"{title} ({esc(source.url)})"
    return f'{title} <span class="seed">{esc(wording.SEED_NOTE)}</span>'


class HtmlFormatter:
    def __init__(self, options: Options) -> None:
        self.options = options

    def write(self, report: Report, out: TextIO) -> None:
        out.write("\n".join(_page(report, self.options)) + "\n")


def badge(severity: Severity) -> str:
    return (
        f'<span class="badge {severity.value}">{wording.SYMBOL[severity]} '
        f"{wording.WORD[severity]}</span>"
    )


def state_badge(state: str) -> str:
    return f'<span class="badge state">{esc(STATE_SYMBOL[state])} {esc(state)}</span>'


def _page(report: Report, options: Options) -> list[str]:
    info = report.rule_base
    meta = []
    if options.for_name:
        meta.append(f'<p class="for"><span class="label">For:</span> {typed(options.for_name)}</p>')
    date = f"{esc(options.date)} \u00b7 " if options.date else ""
    meta.append(
        f'<p class="meta">{date}suppcheck rule base {esc(info.version)}, reviewed '
        f"{esc(info.reviewed)}, {report.rule_count} rules</p>"
    )
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="referrer" content="no-referrer">',
        "<title>Supplement caution report (suppcheck)</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        '<div class="summary">',
        "<header>",
        "<h1>Supplement caution report</h1>",
        *meta,
        *_rule_files(report),
        f'<p class="headline">{esc(wording.headline(report))}</p>',
        "</header>",
        "<main>",
    ]
    body = _summary(report, options)
    closing_summary = [
        '<footer class="closing">',
        f"<p><em>{esc(wording.ABSENCE_IS_NOT_SAFETY)}</em></p>",
        f'<p class="prompt">{esc(wording.CLINICIAN_PROMPT)}</p>',
        f'<p class="disclaimer">{esc(wording.DISCLAIMER)}</p>',
        "</footer>",
    ]
    if options.detail is Detail.QUIET:
        return [*head, *body, "</main>", *closing_summary, "</div>", "</body>", "</html>"]
    details = ['<div class="details">', *_details(report, options), *_understood(report)]
    if report.notes:
        details += ["<section>", "<h2>Notes</h2>", "<ul>"]
        details += [f"<li>{esc(note)}</li>" for note in report.notes]
        details += ["</ul>", "</section>"]
    details.append("</div>")
    return [
        *head,
        *body,
        *_notes_box(),
        "</main>",
        *closing_summary,
        "</div>",
        *details,
        "</body>",
        "</html>",
    ]


def _notes_box() -> list[str]:
    return [
        '<section class="notes-box">',
        "<h2>Clinician's notes</h2>",
        '<div class="write-here"></div>',
        "</section>",
    ]


def _summary(report: Report, options: Options) -> list[str]:
    lines: list[str] = []
    rows = overview.supplement_lines(report)
    if rows:
        lines += [
            "<section>",
            "<h2>Your supplements</h2>",
            '<table class="overview">',
            '<colgroup><col class="c-name"><col class="c-dose"><col class="c-result"><col>'
            "</colgroup>",
            '<thead><tr><th scope="col">Supplement</th><th scope="col">Daily dose</th>'
            '<th scope="col">Result</th><th scope="col">Findings</th></tr></thead>',
            "<tbody>",
        ]
        for row in rows:
            if row.severity is not None:
                result = badge(row.severity)
                mine = (
                    overview.findings_about(report, row.id)
                    if row.id is not None
                    else overview.other_findings(report)
                )
                items = [f"<li>{badge(f.rule.severity)} {esc(f.rule.title)}</li>" for f in mine]
                cell = '<ul class="cell">' + "".join(items) + "</ul>"
            else:
                result = state_badge(row.state or "")
                cell = esc(row.headline)
            if row.dose_problem:
                cell += (
                    f'<p class="problem">{state_badge(overview.State.NOT_UNDERSTOOD)} '
                    f"{esc(row.dose_problem)}</p>"
                )
            lines.append(
                f'<tr><th scope="row">{typed(row.name)}</th>'
                f'<td class="dose">{esc(row.dose or "")}</td><td>{result}</td><td>{cell}</td></tr>'
            )
        lines += ["</tbody>", "</table>", "</section>"]
    if report.profile.unresolved:
        hint = wording.spelling_hint(report, code=lambda c: f"<code>{c}</code>")  # no typed text
        lines.append(f"<p>{hint}</p>")
    lines += _totals(report)
    questions, more = overview.questions(report, every=options.detail is Detail.FULL)
    if questions:
        lines += ["<section>", "<h2>Ask your clinician</h2>", '<ul class="questions">']
        lines += [f"<li>{esc(q)}</li>" for q in questions]
        lines.append("</ul>")
        if more:
            lines.append(f'<p class="meta">{more} more in the details below.</p>')
        lines.append("</section>")
    plan = overview.plan_lines(report)
    if plan:
        lines += ["<section>", "<h2>When to take what</h2>", f"<p>{esc(plan[0])}</p>", "<ul>"]
        lines += [f"<li>{esc(text)}</li>" for text in plan[1:]]
        lines += ["</ul>", "</section>"]
    return lines


def _details(report: Report, options: Options) -> list[str]:
    groups = overview.groups(report)
    if not groups:
        return []
    lines = ["<section>", f"<h2>Details: {esc(wording.details_summary(report))}</h2>"]
    for group in groups:
        lines.append(f'<h3 class="group">{esc(group.title)}</h3>')
        for finding in group.findings:
            lines += _finding(finding, report, options)
        for finding in group.see_also:
            where = esc(overview.group_of(report, finding))
            lines.append(
                f'<p class="see-also">{badge(finding.rule.severity)} '
                f"{esc(finding.rule.title)} (see {where} above)</p>"
            )
    return [*lines, "</section>"]


def _understood(report: Report) -> list[str]:
    profile = report.profile
    lines = ["<section>", "<h2>What was checked</h2>"]
    rows = wording.understood_rows(report)
    if rows:
        lines += [
            "<table>",
            '<thead><tr><th scope="col"></th><th scope="col">You entered</th>'
            '<th scope="col">Understood as</th><th scope="col">Daily dose</th></tr></thead>',
            "<tbody>",
        ]
        for label, item in rows:
            dose = esc(wording.daily_dose(item.dose)) if item.dose else ""
            lines.append(
                f'<tr><th scope="row">{label}</th><td class="input">{typed(item.input)}</td>'
                f"<td><strong>{esc(item.name)}</strong>{wording.confirmed_mark(item)}</td>"
                f'<td class="dose">{dose}</td></tr>'
            )
        lines += ["</tbody>", "</table>"]
    else:
        lines.append("<p>Nothing that suppcheck understood.</p>")
    activity = (
        "active or flaring" if profile.active else "not marked active (use --active in a flare)"
    )
    lines.append(f'<p><span class="label">Disease activity:</span> {esc(activity)}</p>')
    stage = wording.life_stage_words(profile)
    if stage is not None:
        lines.append(f'<p><span class="label">Life stage:</span> {esc(stage)}</p>')
    if profile.from_saved_profile:
        lines.append("<p>Includes your saved profile (suppcheck profile show).</p>")
    return [*lines, "</section>"]


def _finding(finding: Finding, report: Report, options: Options) -> list[str]:
    rule = finding.rule
    severity = rule.severity
    full = options.detail is Detail.FULL
    grouped = overview.members(report, finding)
    lines = [
        f'<article class="finding {severity.value}" id="{esc(rule.id)}">',
        f"<h4>{badge(severity)} {esc(rule.title)}</h4>",
    ]
    if len(grouped) > 1:
        ids = ", ".join(f.rule.id for f in grouped)
        lines.append(f'<p class="rule-meta">{len(grouped)} rules, one finding: {esc(ids)}</p>')
    else:
        lines.append(f'<p class="rule-meta">rule {esc(rule.id)} | evidence: '
                     f"{esc(_evidence(rule, full))}</p>")  # fmt: skip
    about = wording.about(report, finding)
    if len(about) > 1 or (about and not finding.supplements):
        lines.append(f'<p><span class="label">About:</span> {esc(", ".join(about))}</p>')
    because = list(dict.fromkeys(reason for f in grouped for reason in f.because))
    if because:
        lines.append('<p class="label">Why this applies to you:</p>')
        lines += ["<ul>", *(f"<li>{esc(reason)}</li>" for reason in because), "</ul>"]
    if len(grouped) > 1:
        lines += ['<p class="label">The reasons:</p>', '<ul class="reasons">']
        # Each rule keeps its anchor (#rule-id); the lead's is the article's own.
        lines += [_reason(member.rule, full, member is not finding) for member in grouped]
        lines.append("</ul>")
    else:
        if full:
            lines.append(f'<p><span class="label">The concern:</span> {esc(rule.rationale)}</p>')
        lines.append(f'<p><span class="label">What to do:</span> {esc(rule.advice)}</p>')
    asks = list(dict.fromkeys(q for f in grouped for q in f.rule.ask))
    if full and asks:
        lines.append('<p class="label">Ask your clinician:</p>')
        lines += ["<ul>", *(f"<li>{esc(question)}</li>" for question in asks), "</ul>"]
    lines.append('<p class="label">Sources:</p>')
    sources = overview.block_sources(grouped)
    lines += ["<ul>", *(f"<li>{link(source)}</li>" for source in sources), "</ul>"]
    return [*lines, "</article>"]


def _evidence(rule: Rule, full: bool) -> str:
    return wording.evidence_phrase(rule.evidence.value) if full else rule.evidence.value


def _reason(rule: Rule, full: bool, anchor: bool) -> str:
    """One rule's point inside a grouped finding, as a list item."""
    concern = f'<br><span class="label">The concern:</span> {esc(rule.rationale)}' if full else ""
    anchored = f' id="{esc(rule.id)}"' if anchor else ""
    return (
        f"<li{anchored}>{badge(rule.severity)} {esc(rule.title)} "
        f'<span class="rule-meta">(rule {esc(rule.id)}, evidence: {esc(_evidence(rule, full))})'
        f'</span>{concern}<br><span class="label">What to do:</span> {esc(rule.advice)}</li>'
    )


def _totals(report: Report) -> list[str]:
    shown = overview.shown_totals(report)
    if not shown and not report.not_added:
        return []
    lines = ["<section>", "<h2>Daily totals against upper limits</h2>", '<ul class="totals">']
    for total in shown:
        sentence = esc(overview.total_sentence(total))
        if total.over_limit:
            sentence = f'<span class="over">{wording.SYMBOL[Severity.WARNING]} {sentence}</span>'
        breakdown = esc(total.breakdown)
        lines.append(f"<li><strong>{esc(total.name)}</strong>: {sentence} ({breakdown})</li>")
    lines += [
        f'<li><span class="label">? not counted:</span> {typed(message)}</li>'
        for message in report.not_added
    ]
    limits = wording.limits_line(report.profile) if shown else None
    lines.append("</ul>")
    if limits is not None:
        lines.append(f"<p>{esc(limits)}</p>")
    return [*lines, "</section>"]


def make_formatter(*, color: bool | None = None, options: Options | None = None) -> HtmlFormatter:
    del color  # a page is styled by its CSS, never by terminal escape codes
    return HtmlFormatter(options or Options())
