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

from suppcheck.model import (
    SEVERITY_MEANING,
    Coverage,
    Finding,
    Report,
    Severity,
    Source,
    format_amount,
)
from suppcheck.printable import readable
from suppcheck.report import wording

SYMBOLS = {Severity.WARNING: "\u25b2", Severity.CAUTION: "\u25c6", Severity.INFO: "\u25cf"}
COVERAGE_CLASS = {
    Coverage.FLAGGED: "flagged",
    Coverage.CHECKED: "checked",
    Coverage.NOT_COVERED: "not-covered",
}

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #1a1a1a; background: #fff; max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; padding-bottom: .25rem;
  border-bottom: 2px solid #1a1a1a; }
h3 { font-size: 1.05rem; margin: 0 0 .5rem; }
p { margin: .4rem 0; }
ul { margin: .3rem 0 .6rem; padding-left: 1.4rem; }
.meta { color: #4a4a4a; margin: 0; }
.headline { font-size: 1.1rem; font-weight: 700; padding: .75rem 1rem; margin: 1rem 0;
  border: 2px solid #1a1a1a; border-radius: 6px; background: #f4f4f4; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border: 1px solid #bbb; }
th { background: #eee; }
.input { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .92em;
  overflow-wrap: anywhere; }
.dose { white-space: nowrap; }
.unresolved li, .totals li, .statuses li { margin: .25rem 0; }
.finding { border: 1px solid #999; border-left: 8px solid #666; border-radius: 6px;
  padding: .8rem 1rem; margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
.finding.warning { border-left-color: #b00020; }
.finding.caution { border-left-color: #a05a00; }
.finding.info { border-left-color: #1f5fa8; }
.badge { display: inline-block; font-weight: 700; letter-spacing: .04em; padding: .05rem .5rem;
  border: 2px solid currentColor; border-radius: 4px; margin-right: .4rem; white-space: nowrap; }
.warning .badge, .badge.warning { color: #b00020; }
.caution .badge, .badge.caution { color: #8a4b00; }
.info .badge, .badge.info { color: #1f5fa8; }
.rule-meta { color: #4a4a4a; font-size: .92rem; margin: 0 0 .5rem; }
.label { font-weight: 700; }
.over { font-weight: 700; color: #b00020; }
.status-flagged { font-weight: 700; }
.status-checked { color: #1d5e20; }
.status-not-covered { color: #6b2a6b; }
.closing { margin-top: 2rem; padding-top: 1rem; border-top: 2px solid #1a1a1a; }
.prompt { font-weight: 700; }
.disclaimer { color: #333; font-size: .95rem; }
a { color: #0b4f9c; }
@media print {
  html { font-size: 10pt; }
  body { font-size: 10pt; line-height: 1.35; max-width: none; padding: 0; }
  h2 { margin: 1.2rem 0 .5rem; }
  p { margin: .25rem 0; }
  ul { margin: .15rem 0 .35rem; }
  .finding { padding: .5rem .8rem; margin: .6rem 0; }
  h2, .group { break-after: avoid; page-break-after: avoid; }
  .headline { background: none; }
  .finding { border-left-width: 6px; }
  a { color: inherit; text-decoration: none; }
  a[href]::after { content: " <" attr(href) ">"; font-size: .85em; overflow-wrap: anywhere; }
  .closing { break-inside: avoid; page-break-inside: avoid; }
}
@page { margin: 18mm 16mm; }
"""


def _rule_files(report: Report) -> list[str]:
    extra = wording.rule_files_sentence(report.rule_base)
    return [] if extra is None else [f'<p class="meta"><strong>{esc(extra)}</strong></p>']


def esc(text: str) -> str:
    """Text printed literally: control characters made visible, then HTML-escaped."""
    return html.escape("".join(ch if ch.isprintable() or ch in "\n\t" else repr(ch)[1:-1]
                               for ch in text), quote=True)  # fmt: skip


def typed(text: str) -> str:
    """What the user typed: shortened and made visible like the text report does, escaped."""
    return html.escape(readable(text), quote=True)


def link(source: Source) -> str:
    title = esc(source.title)
    if source.url and re.fullmatch(r"https://[^\s<>\"']+", source.url):
        return f'<a href="{esc(source.url)}">{title}</a>'
    return title


class HtmlFormatter:
    def write(self, report: Report, out: TextIO) -> None:
        out.write("\n".join(_page(report)) + "\n")


def _page(report: Report) -> list[str]:
    info = report.rule_base
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
        "<header>",
        "<h1>Supplement caution report</h1>",
        f'<p class="meta">suppcheck rule base {esc(info.version)}, reviewed '
        f"{esc(info.reviewed)}, {report.rule_count} rules</p>",
        *_rule_files(report),
        f'<p class="headline">{esc(wording.headline(report))}</p>',
        "</header>",
        "<main>",
    ]
    body = [
        *_understood(report),
        *_not_understood(report),
        *_findings(report),
        *_supplements(report),
        *_totals(report),
    ]
    if report.notes:
        body += ["<section>", "<h2>Notes</h2>", "<ul>"]
        body += [f"<li>{esc(note)}</li>" for note in report.notes]
        body += ["</ul>", "</section>"]
    closing = [
        "</main>",
        '<footer class="closing">',
        f"<p><em>{esc(wording.ABSENCE_IS_NOT_SAFETY)}</em></p>",
        f'<p class="prompt">{esc(wording.CLINICIAN_PROMPT)}</p>',
        f'<p class="disclaimer">{esc(wording.DISCLAIMER)}</p>',
        "</footer>",
        "</body>",
        "</html>",
    ]
    return head + body + closing


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
                f'<td><strong>{esc(item.name)}</strong></td><td class="dose">{dose}</td></tr>'
            )
        lines += ["</tbody>", "</table>"]
    else:
        lines.append("<p>Nothing that suppcheck understood.</p>")
    activity = (
        "active or flaring" if profile.active else "not marked active (use --active in a flare)"
    )
    lines.append(f'<p><span class="label">Disease activity:</span> {esc(activity)}</p>')
    if profile.from_saved_profile:
        lines.append("<p>Includes your saved profile (suppcheck profile show).</p>")
    return [*lines, "</section>"]


def _not_understood(report: Report) -> list[str]:
    unresolved = report.profile.unresolved
    if not unresolved and not report.not_added:
        return []
    lines = [
        "<section>",
        "<h2>Not understood: names not checked, doses not counted</h2>",
        '<ul class="unresolved">',
    ]
    lines += [
        f'<li><strong class="input">{typed(item.input)}</strong>: '
        f"{esc(wording.unresolved_sentence(item))}</li>"
        for item in unresolved
    ]
    lines += [f"<li>{typed(message)}</li>" for message in report.not_added]
    lines += [
        "</ul>",
        "<p>Check the spelling, or run <code>suppcheck list supplements</code> to see known "
        "names.</p>",
        "</section>",
    ]
    return lines


def _findings(report: Report) -> list[str]:
    if not report.findings:
        return []
    summary = wording.findings_summary(report)
    lines = ["<section>", f"<h2>Findings: {esc(summary)}</h2>"]
    for severity in reversed(Severity):
        group = [f for f in report.findings if f.rule.severity is severity]
        if not group:
            continue
        lines.append(
            f'<p class="group"><span class="badge {severity.value}">{SYMBOLS[severity]} '
            f"{severity.value.upper()}</span> {esc(SEVERITY_MEANING[severity])}</p>"
        )
        for finding in group:
            lines += _finding(finding, report)
    return [*lines, "</section>"]


def _finding(finding: Finding, report: Report) -> list[str]:
    rule = finding.rule
    severity = rule.severity
    lines = [
        f'<article class="finding {severity.value}" id="{esc(rule.id)}">',
        f'<h3><span class="badge">{SYMBOLS[severity]} {severity.value.upper()}</span>'
        f"{esc(rule.title)}</h3>",
        f'<p class="rule-meta">rule {esc(rule.id)} | evidence: '
        f"{esc(wording.evidence_phrase(rule.evidence.value))}</p>",
    ]
    about = wording.about(report, finding)
    if about:
        lines.append(f'<p><span class="label">About:</span> {esc(", ".join(about))}</p>')
    if finding.because:
        lines.append('<p class="label">Why this applies to you:</p>')
        lines += ["<ul>", *(f"<li>{esc(reason)}</li>" for reason in finding.because), "</ul>"]
    lines.append(f'<p><span class="label">The concern:</span> {esc(rule.rationale)}</p>')
    lines.append(f'<p><span class="label">What to do:</span> {esc(rule.advice)}</p>')
    if rule.ask:
        lines.append('<p class="label">Ask your clinician:</p>')
        lines += ["<ul>", *(f"<li>{esc(question)}</li>" for question in rule.ask), "</ul>"]
    lines.append('<p class="label">Sources:</p>')
    lines += ["<ul>", *(f"<li>{link(source)}</li>" for source in rule.sources), "</ul>"]
    return [*lines, "</article>"]


def _supplements(report: Report) -> list[str]:
    if not report.statuses:
        return []
    lines = ["<section>", "<h2>Each supplement</h2>", '<ul class="statuses">']
    for status in report.statuses:
        css = COVERAGE_CLASS[status.coverage]
        lines.append(
            f"<li><strong>{esc(status.supplement.name)}</strong>: "
            f'<span class="status-{css}">{esc(wording.status_sentence(status, report))}</span></li>'
        )
    return [*lines, "</ul>", "</section>"]


def _totals(report: Report) -> list[str]:
    shown = [t for t in report.totals if t.products and t.upper_limit is not None]
    if not shown:
        return []
    lines = ["<section>", "<h2>Daily totals</h2>", '<ul class="totals">']
    for total in shown:
        limit = total.upper_limit
        assert limit is not None
        verdict = (
            '<span class="over">\u25b2 ABOVE the upper limit</span>'
            if total.over_limit
            else "within the upper limit"
        )
        lines.append(
            f"<li><strong>{esc(total.name)}</strong>: "
            f"{esc(f'{format_amount(total.total)} {total.unit} a day')}, {verdict} "
            + esc(
                f"of {format_amount(limit.amount)} {limit.unit} for {limit.population} "
                f"({limit.source.title})"
            )
            + "</li>"
        )
    return [*lines, "</ul>", "</section>"]


def make_formatter(*, color: bool | None = None) -> HtmlFormatter:
    del color  # a page is styled by its CSS, never by terminal escape codes
    return HtmlFormatter()
