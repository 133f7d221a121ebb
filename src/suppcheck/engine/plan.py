"""When to take what: a simple daily schedule that keeps the gaps rules ask for.

Rules with `action: separate` and `separate_hours: N` say that two things (a medication and a
supplement, or two supplements) should be taken N hours apart. From the findings of such rules
this proposes a day of a few fixed moments and puts each thing at one of them so that every gap
is kept, or says plainly that no such day exists. A day repeats, so the gap from bedtime to the
next morning counts too. Pure: no I/O.
"""

from __future__ import annotations

from typing import NamedTuple

from suppcheck.model import Action, Finding, Report


class Slot(NamedTuple):
    name: str
    hour: float  # hours after waking


# A plain day: waking at 7, breakfast at 8, lunch at 12, dinner at 18, bed at 22.
SLOTS = (
    Slot("on waking, on an empty stomach", 0),
    Slot("with breakfast", 1),
    Slot("with lunch", 5),
    Slot("with dinner", 11),
    Slot("at bedtime", 15),
)
DAY = 24.0
WAKING = 7  # the clock time of slot hour 0, for the example times shown


def clock(slot: Slot) -> str:
    """The slot's example time of day: "07:00" for waking."""
    return f"{int(WAKING + slot.hour) % 24:02d}:{round(slot.hour % 1 * 60):02d}"


class Gap(NamedTuple):
    first: str  # display names
    second: str
    hours: float
    rule_id: str
    title: str


class Plan(NamedTuple):
    gaps: tuple[Gap, ...]
    # (slot, names taken then), in the order of the day; empty when no plan keeps every gap
    schedule: tuple[tuple[Slot, tuple[str, ...]], ...]

    @property
    def possible(self) -> bool:
        return bool(self.schedule)


def apart(a: float, b: float) -> float:
    """Hours between two moments of a day that repeats (22:00 and 07:00 are 9 hours apart)."""
    d = abs(a - b) % DAY
    return min(d, DAY - d)


def gaps_of(findings: tuple[Finding, ...], names: dict[str, str]) -> list[Gap]:
    """The gaps the fired `separate` rules ask for: each medication with each supplement the
    finding names, or each pair of supplements when it names no medication."""
    gaps = []
    for finding in sorted(findings, key=lambda f: f.rule.id):
        rule = finding.rule
        if rule.action is not Action.SEPARATE or rule.separate_hours is None:
            continue
        supplements = [names.get(i, i) for i in finding.supplements]
        medications = [names.get(i, i) for i in finding.medications]
        if medications:
            pairs = [(m, s) for m in medications for s in supplements]
        else:
            pairs = [(a, b) for n, a in enumerate(supplements) for b in supplements[n + 1 :]]
        gaps += [Gap(a, b, rule.separate_hours, rule.id, rule.title) for a, b in pairs if a != b]
    return gaps


def schedule(gaps: list[Gap], slots: tuple[Slot, ...] = SLOTS) -> dict[str, Slot] | None:
    """A slot for every name in `gaps` keeping every gap, or None when there is none.

    Depth-first search, names in order of first mention, earliest slot first: a handful of
    names and five slots is at most a few thousand steps.
    """
    order: list[str] = []
    for gap in gaps:
        for name in (gap.first, gap.second):
            if name not in order:
                order.append(name)
    chosen: dict[str, Slot] = {}

    def fits(name: str, slot: Slot) -> bool:
        for gap in gaps:
            other = gap.second if gap.first == name else gap.first if gap.second == name else None
            if other in chosen and apart(chosen[other].hour, slot.hour) < gap.hours:
                return False
        return True

    def place(index: int) -> bool:
        if index == len(order):
            return True
        name = order[index]
        for slot in slots:
            if fits(name, slot):
                chosen[name] = slot
                if place(index + 1):
                    return True
                del chosen[name]
        return False

    return dict(chosen) if place(0) else None


def make_plan(report: Report) -> Plan | None:
    """The day's plan for the gaps the report's findings ask for; None when they ask for none."""
    profile = report.profile
    names = {item.id: item.name for item in (*profile.supplements, *profile.medications)}
    gaps = gaps_of(report.findings, names)
    if not gaps:
        return None
    placed = schedule(gaps)
    if placed is None:
        return Plan(tuple(gaps), ())
    day = tuple(
        (slot, tuple(name for name, at in placed.items() if at == slot))
        for slot in SLOTS
        if slot in placed.values()
    )
    return Plan(tuple(gaps), day)
