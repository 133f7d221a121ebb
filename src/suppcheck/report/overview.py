"""The answer first: what every human format shows before the details.

One line per supplement (its state and the headline of its most important caution), the daily
totals against their limits, the questions to ask merged and de-duplicated, and the findings
grouped by what they are about. Pure functions of the Report, so every format shows the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from suppcheck.model import (
    Coverage,
    Finding,
    Kind,
    NutrientTotal,
    Report,
    Resolved,
    Severity,
    Source,
    Unresolved,
    format_amount,
)
from suppcheck.report import wording


class State:
    """The words for a supplement's state, beside the three severities (wording.LABEL)."""

    NOT_UNDERSTOOD = "NOT UNDERSTOOD"
    NOTHING_FOUND = "NOTHING FOUND"
    NOT_COVERED = "NOT COVERED"


STATE_SYMBOL = {State.NOT_UNDERSTOOD: "?", State.NOTHING_FOUND: "\u25cb", State.NOT_COVERED: "-"}
STATE_SYMBOL_ASCII = {State.NOT_UNDERSTOOD: "?", State.NOTHING_FOUND: "o", State.NOT_COVERED: "-"}


class SupplementLine(NamedTuple):
    """One line of the summary: a supplement (or another input that was not understood)."""

    id: str | None  # the supplement's id; None when not understood
    name: str  # as understood, or as typed when not understood
    dose: str | None  # "25 mg a day"
    severity: Severity | None  # the highest, when flagged
    state: str | None  # a State word when not flagged
    headline: str  # the title of its most important finding, or what its state means
    more: int  # how many more findings are about it
    dose_problem: str | None  # the dose was written but not read: why


def _key(finding: Finding) -> tuple[int, str]:
    return (-finding.rule.severity.rank, finding.rule.id)


def ordered(findings: tuple[Finding, ...] | list[Finding]) -> list[Finding]:
    """Most severe first, then rule id."""
    return sorted(findings, key=_key)


def folds(report: Report) -> dict[int, list[Finding]]:
    """id() of each finding that leads a group (its rule's `group`, the same supplements,
    conditions and medications) -> the group's other findings, most severe first. A person reads
    the group as one finding under the lead's title, each rule's point a reason."""
    by_key: dict[tuple[object, ...], list[Finding]] = {}
    for finding in ordered(report.findings):
        key = wording.group_key(finding)
        if key is not None:
            by_key.setdefault(key, []).append(finding)
    # The lead is the first in report order: the most severe, then the lowest rule id, as
    # the JSON report lists them, so a script finds the same lead.
    return {id(found[0]): found[1:] for found in by_key.values() if len(found) > 1}


def members(report: Report, finding: Finding) -> list[Finding]:
    """The findings a shown finding stands for: itself, then what is folded under it."""
    return [finding, *folds(report).get(id(finding), [])]


def _shown(report: Report, findings: list[Finding]) -> list[Finding]:
    """`findings` without those folded under another finding's group."""
    folded = {id(f) for rest in folds(report).values() for f in rest}
    return [f for f in findings if id(f) not in folded]


def block_sources(findings: list[Finding]) -> list[Source]:
    """The sources of several findings, each once, in order."""
    return list(dict.fromkeys(s for f in findings for s in f.rule.sources))


def supplement_lines(report: Report) -> list[SupplementLine]:
    """Flagged supplements first (most severe first), then those not understood, then those
    checked with nothing found, then those not covered; the order typed within each."""
    profile = report.profile
    dose_problems = {u.input: u.reason for u in profile.unresolved if u.kind is Kind.SUPPLEMENT}
    coverage = {s.supplement.input: s.coverage for s in report.statuses}
    # Known medications whose dose was not read: their reason says what was still checked.
    checked = {m.input for m in profile.medications if m.dose_problem is not None}
    lines: list[tuple[tuple[int, int], SupplementLine]] = []
    for position, item in enumerate(profile.supplements):
        problem = dose_problems.pop(item.input, None)
        if problem is not None and item.dose_problem:
            problem = f"the dose could not be read: {item.dose_problem}"
        lines.append(((_rank(report, item, coverage), position), _line(report, item, problem)))
    for position, unknown in enumerate(profile.unresolved):
        if unknown.kind is Kind.SUPPLEMENT and unknown.input not in dose_problems:
            continue  # a dose problem of a supplement above
        label = "" if unknown.kind is Kind.SUPPLEMENT else f"{unknown.kind.value} "
        lines.append(
            (
                (10, position),
                SupplementLine(
                    id=None,
                    name=f"{label}{unknown.input}",
                    dose=None,
                    severity=None,
                    state=State.NOT_UNDERSTOOD,
                    headline=wording.with_condition_hint(
                        _not_understood(unknown, checked=unknown.input in checked), unknown
                    ),
                    more=0,
                    dose_problem=None,
                ),
            )
        )
    other = other_findings(report)
    if other:
        rank = 2 - other[0].rule.severity.rank
        first = other[0].rule
        line = SupplementLine(None, OTHER_GROUP, None, first.severity, None, first.title,
                              len(other) - 1, None)  # fmt: skip
        lines.append(((rank, len(profile.supplements)), line))
    return [line for _, line in sorted(lines, key=lambda pair: pair[0])]


def other_findings(report: Report) -> list[Finding]:
    """The findings about no supplement: a medication, a condition."""
    return _shown(report, ordered([f for f in report.findings if not f.supplements]))


def _not_understood(unknown: Unresolved, *, checked: bool) -> str:
    text = unknown.reason if checked else f"{unknown.reason}, not checked"
    if unknown.suggestions:
        verb = "one of " if len(unknown.suggestions) > 1 else ""
        text += f". Did you mean {verb}{', '.join(unknown.suggestions)}?"
    return text


def _rank(report: Report, item: Resolved, coverage: dict[str, Coverage]) -> int:
    mine = findings_about(report, item.id)
    if mine:
        return 2 - mine[0].rule.severity.rank  # warning 0, caution 1, info 2
    return {Coverage.CHECKED: 20, Coverage.NOT_COVERED: 30}.get(
        coverage.get(item.input, Coverage.NOT_COVERED), 30
    )


def findings_about(report: Report, supplement_id: str) -> list[Finding]:
    return _shown(report, ordered([f for f in report.findings if supplement_id in f.supplements]))


def _line(report: Report, item: Resolved, problem: str | None) -> SupplementLine:
    mine = findings_about(report, item.id)
    dose = wording.daily_dose(item.dose) if item.dose else None
    if mine:
        return SupplementLine(
            item.id,
            item.name,
            dose,
            mine[0].rule.severity,
            None,
            mine[0].rule.title,
            len(mine) - 1,
            problem,
        )
    status = next((s for s in report.statuses if s.supplement.input == item.input), None)
    if status is not None and status.coverage is Coverage.CHECKED:
        return SupplementLine(
            item.id,
            item.name,
            dose,
            None,
            State.NOTHING_FOUND,
            "checked, no caution found; that is not evidence of safety",
            0,
            problem,
        )
    return SupplementLine(
        item.id,
        item.name,
        dose,
        None,
        State.NOT_COVERED,
        f"no rule covers it with {wording.condition_names(report)}",
        0,
        problem,
    )


def total_sentence(total: NutrientTotal) -> str:
    """ "Iron: 65 mg a day, ABOVE the upper limit of 45 mg for adults 19 years and older"."""
    limit = total.upper_limit
    assert limit is not None
    verdict = "ABOVE the upper limit" if total.over_limit else "within the upper limit"
    return (
        f"{format_amount(total.total)} {total.unit} a day, {verdict} of "
        f"{format_amount(limit.amount)} {limit.unit} for {limit.population}"
    )


def shown_totals(report: Report) -> list[NutrientTotal]:
    return [t for t in report.totals if t.products and t.upper_limit is not None]


_NORMAL = re.compile(r"[^a-z0-9]+")


def questions(report: Report, *, every: bool = False) -> tuple[list[str], int]:
    """The questions to ask, most severe finding first, each asked once; and how many more
    `every=True` would give.

    By default the first question of each warning and caution (of each info finding when
    there is nothing more severe), so that the summary stays short; `every` gives them all.
    """
    findings = ordered(report.findings)
    serious = [f for f in findings if f.rule.severity is not Severity.INFO] or findings
    chosen = _merge(q for f in serious for q in f.rule.ask[:1])
    everything = _merge(q for f in findings for q in f.rule.ask)
    if every:
        return everything, 0
    return chosen, len(everything) - len(chosen)


def _merge(questions: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    merged = []
    for question in questions:
        key = _NORMAL.sub(" ", question.casefold()).strip()
        if key not in seen:
            seen.add(key)
            merged.append(question)
    return merged


class Group(NamedTuple):
    title: str  # the supplement's name, or OTHER_GROUP
    findings: list[Finding]  # most severe first
    see_also: list[Finding]  # findings shown under another supplement that name this one too


OTHER_GROUP = "Your medications and conditions"


def groups(report: Report) -> list[Group]:
    """The findings by supplement, in the summary's order; each finding shown once, under the
    first supplement it names in that order (the others point to it)."""
    names = {item.id: item.name for item in report.profile.supplements}
    order: list[str] = []
    for line in supplement_lines(report):
        if line.id is not None and line.id not in order:
            order.append(line.id)
    shown: dict[str, list[Finding]] = {item_id: [] for item_id in order}
    see_also: dict[str, list[Finding]] = {item_id: [] for item_id in order}
    other: list[Finding] = []
    for finding in _shown(report, ordered(report.findings)):
        named = [i for i in order if i in finding.supplements]
        if not named:
            other.append(finding)
            continue
        shown[named[0]].append(finding)
        for item_id in named[1:]:
            see_also[item_id].append(finding)
    result = [Group(names[i], shown[i], see_also[i]) for i in order if shown[i] or see_also[i]]
    if other:
        result.append(Group(OTHER_GROUP, other, []))
    return result


def group_of(report: Report, finding: Finding) -> str:
    """The title of the group a finding is shown in."""
    for group in groups(report):
        if finding in group.findings:
            return group.title
    return OTHER_GROUP


def plan_lines(report: Report) -> list[str]:
    """When to take what, as sentences: the day's plan and the gap each rule asks for."""
    from suppcheck.engine.plan import make_plan

    plan = make_plan(report)
    if plan is None:
        return []
    lines = []
    if plan.possible:
        lines.append("A day that keeps every gap the rules below ask for (times are examples):")
        for slot, names in plan.schedule:
            clock = f"{int(7 + slot.hour) % 24:02d}:{round(slot.hour % 1 * 60):02d}"
            lines.append(f"{clock} {slot.name}: {', '.join(names)}")
    else:
        lines.append(
            "No daily plan keeps every one of these gaps: ask your clinician or pharmacist "
            "which matters most."
        )
    lines += [
        f"{gap.first} and {gap.second} at least {format_amount(gap.hours)} hours apart "
        f"(rule {gap.rule_id})"
        for gap in plan.gaps
    ]
    return lines
