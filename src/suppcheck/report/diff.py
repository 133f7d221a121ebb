"""What changed between two JSON reports (`suppcheck diff`, `check --since-last`).

Works on the JSON report's data (report/data.py), not on model objects, so that two reports
saved months apart, by different versions of suppcheck, can be compared. A report is checked
before it is believed: anything that is not the shape of a JSON report is a ReportShapeError
with a sentence saying what is wrong, never a traceback. Pure: no I/O but the stream it writes.
"""

from __future__ import annotations

import textwrap
from typing import Any, NamedTuple, TextIO

from suppcheck.model import format_amount
from suppcheck.printable import readable
from suppcheck.report import wording

DIFF_VERSION = "1"
KINDS = ("conditions", "supplements", "medications")
# The fields of a finding whose change is reported, in the order they are said.
WORDING = ("title", "rationale", "advice")
FIELDS = ("severity", "evidence", *WORDING, "ask", "sources", *KINDS)


class ReportShapeError(ValueError):
    """The data is not a suppcheck JSON report; the message says what is wrong."""


class Item(NamedTuple):
    id: str
    name: str
    dose: str  # "25 mg", or "" (no dose, or not a supplement)


class FindingView(NamedTuple):
    rule_id: str
    fields: dict[str, str]  # FIELDS, each as one comparable string


class Snapshot(NamedTuple):
    """What a JSON report says that a change can be about."""

    rule_base: str
    items: dict[str, dict[str, Item]]  # kind -> id -> item
    not_understood: tuple[str, ...]
    findings: dict[str, FindingView]  # rule id -> finding (one finding per rule)
    highest: str | None
    fully_understood: bool
    headline: str


EMPTY = Snapshot("", {kind: {} for kind in KINDS}, (), {}, None, True, "")


class Changes(NamedTuple):
    rule_base: tuple[str, str] | None  # (old, new) when the version changed
    added: dict[str, list[Item]]  # kind -> items
    removed: dict[str, list[Item]]
    doses: list[tuple[Item, str]]  # (item now, its dose before)
    now_not_understood: list[str]
    now_understood: list[str]
    new_findings: list[FindingView]
    gone_findings: list[FindingView]
    changed_findings: list[tuple[FindingView, list[tuple[str, str, str]]]]  # (field, old, new)
    current: Snapshot

    @property
    def any(self) -> bool:
        return bool(
            self.rule_base
            or any(self.added.values())
            or any(self.removed.values())
            or self.doses
            or self.now_not_understood
            or self.now_understood
            or self.new_findings
            or self.gone_findings
            or self.changed_findings
        )


def _get(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, dict):
        raise ReportShapeError(f"{where} is not an object")
    if key not in data:
        raise ReportShapeError(f"{where} has no {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
        raise ReportShapeError(f"{where}.{key} has the wrong type")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ReportShapeError(f"{where} is not text")
    return value


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ReportShapeError(f"{where} is not a list")
    return tuple(_text(v, f"{where}[{n}]") for n, v in enumerate(value))


def _dose(value: Any, where: str) -> str:
    if value is None:
        return ""
    amount = _get(value, "amount", (int, float), where)
    unit = _text(_get(value, "unit", str, where), f"{where}.unit")
    return f"{format_amount(amount)} {unit}"


def snapshot(data: Any) -> Snapshot:
    """The parts of a JSON report (report_to_dict's shape) that changes are about."""
    if not isinstance(data, dict):
        raise ReportShapeError("not a JSON object")
    version = data.get("schema_version")
    if version != "1":
        raise ReportShapeError(f"schema_version is {version!r}; this suppcheck reads '1'")
    resolved = _get(data, "resolved", dict, "report")
    items: dict[str, dict[str, Item]] = {}
    for kind in KINDS:
        entries = _get(resolved, kind, list, "resolved")
        items[kind] = {}
        for n, entry in enumerate(entries):
            where = f"resolved.{kind}[{n}]"
            item_id = _get(entry, "id", str, where)
            dose = _dose(entry.get("dose"), f"{where}.dose") if kind == "supplements" else ""
            items[kind][item_id] = Item(item_id, _get(entry, "name", str, where), dose)
    unresolved = _get(data, "unresolved", list, "report")
    not_understood = tuple(
        _get(u, "input", str, f"unresolved[{n}]") for n, u in enumerate(unresolved)
    )
    findings: dict[str, FindingView] = {}
    for n, raw in enumerate(_get(data, "findings", list, "report")):
        where = f"findings[{n}]"
        fields = {}
        for name in FIELDS:
            value = _get(raw, name, (str, list), where)
            if name == "sources":
                value = [
                    f"{_get(s, 'title', str, where)} {s.get('url') or ''}".strip() for s in value
                ]
            fields[name] = value if isinstance(value, str) else "; ".join(_texts(value, where))
        rule_id = _get(raw, "rule_id", str, where)
        findings[rule_id] = FindingView(rule_id, fields)
    summary = _get(data, "summary", dict, "report")
    highest = summary.get("highest_severity")
    return Snapshot(
        rule_base=str(_get(_get(data, "rule_base", dict, "report"), "version", str, "rule_base")),
        items=items,
        not_understood=not_understood,
        findings=findings,
        highest=highest if isinstance(highest, str) else None,
        fully_understood=_get(summary, "fully_understood", bool, "summary"),
        headline=_get(summary, "headline", str, "summary"),
    )


def compare(old: Snapshot, new: Snapshot) -> Changes:
    """What `new` says that `old` did not, and the other way round."""
    added = {k: [i for key, i in new.items[k].items() if key not in old.items[k]] for k in KINDS}
    removed = {k: [i for key, i in old.items[k].items() if key not in new.items[k]] for k in KINDS}
    doses = [
        (item, old.items["supplements"][key].dose)
        for key, item in new.items["supplements"].items()
        if key in old.items["supplements"] and old.items["supplements"][key].dose != item.dose
    ]
    changed = []
    for rule_id, finding in new.findings.items():
        before = old.findings.get(rule_id)
        if before is None:
            continue
        fields = [
            (name, before.fields[name], finding.fields[name])
            for name in FIELDS
            if before.fields[name] != finding.fields[name]
        ]
        if fields:
            changed.append((finding, fields))
    return Changes(
        rule_base=(old.rule_base, new.rule_base)
        if old.rule_base and old.rule_base != new.rule_base
        else None,
        added=added,
        removed=removed,
        doses=doses,
        now_not_understood=[u for u in new.not_understood if u not in old.not_understood],
        now_understood=[u for u in old.not_understood if u not in new.not_understood],
        new_findings=[f for key, f in new.findings.items() if key not in old.findings],
        gone_findings=[f for key, f in old.findings.items() if key not in new.findings],
        changed_findings=changed,
        current=new,
    )


def _finding_data(finding: FindingView) -> dict[str, Any]:
    fields = finding.fields
    return {
        "rule_id": finding.rule_id,
        "title": fields["title"],
        "severity": fields["severity"],
        "advice": fields["advice"],
    }


def changes_to_dict(changes: Changes, *, since: str | None = None) -> dict[str, Any]:
    """The changes as JSON-ready data (docs/json-report.md, "The diff report")."""
    current = changes.current
    return {
        "diff_version": DIFF_VERSION,
        "changed": changes.any,
        "since": since,
        "rule_base": {"old": changes.rule_base[0], "new": changes.rule_base[1]}
        if changes.rule_base
        else None,
        "added": {k: [{"id": i.id, "name": i.name} for i in changes.added[k]] for k in KINDS},
        "removed": {k: [{"id": i.id, "name": i.name} for i in changes.removed[k]] for k in KINDS},
        "dose_changes": [
            {"id": item.id, "name": item.name, "old": old or None, "new": item.dose or None}
            for item, old in changes.doses
        ],
        "not_understood": {"added": changes.now_not_understood, "removed": changes.now_understood},
        "findings": {
            "added": [_finding_data(f) for f in changes.new_findings],
            "removed": [_finding_data(f) for f in changes.gone_findings],
            "changed": [
                {
                    **_finding_data(f),
                    "changes": {name: {"old": a, "new": b} for name, a, b in fields},
                }
                for f, fields in changes.changed_findings
            ],
        },
        "summary": {
            "headline": current.headline,
            "highest_severity": current.highest,
            "fully_understood": current.fully_understood,
        },
        "disclaimer": wording.DISCLAIMER,
        "clinician_prompt": wording.CLINICIAN_PROMPT,
    }


def _severity(word: str) -> str:
    return readable(word.upper())


def change_lines(changes: Changes, *, intro: str) -> list[str]:
    """The changes in plain sentences, one paragraph per string (the caller wraps them)."""
    lines = [intro, ""]
    if changes.rule_base:
        old, new = changes.rule_base
        lines.append(f"Rule base: version {readable(old)} -> {readable(new)}")
    labels = {
        "conditions": "Conditions",
        "supplements": "Supplements",
        "medications": "Medications",
    }
    for kind in KINDS:
        if changes.added[kind]:
            names = ", ".join(readable(i.name) for i in changes.added[kind])
            lines.append(f"{labels[kind]} added: {names}")
        if changes.removed[kind]:
            names = ", ".join(readable(i.name) for i in changes.removed[kind])
            lines.append(f"{labels[kind]} removed: {names}")
    for item, old in changes.doses:
        lines.append(
            f"Dose of {readable(item.name)}: {readable(old or 'none given')} -> "
            f"{readable(item.dose or 'none given')}"
        )
    if changes.now_not_understood:
        shown = ", ".join(repr(readable(u)) for u in changes.now_not_understood)
        lines.append(f"Not understood now (not checked): {shown}")
    if changes.now_understood:
        shown = ", ".join(repr(readable(u)) for u in changes.now_understood)
        lines.append(f"Understood now: {shown}")
    if changes.new_findings:
        lines += ["", "New findings:"]
        for f in changes.new_findings:
            lines.append(
                f"  {_severity(f.fields['severity'])}  {readable(f.fields['title'])} "
                f"({readable(f.rule_id)})"
            )
            lines.append(f"    What to do: {readable(f.fields['advice'])}")
    if changes.gone_findings:
        lines += ["", "Findings no longer given:"]
        lines += [
            f"  {_severity(f.fields['severity'])}  {readable(f.fields['title'])} "
            f"({readable(f.rule_id)})"
            for f in changes.gone_findings
        ]
    if changes.changed_findings:
        lines += ["", "Findings that changed:"]
        for f, fields in changes.changed_findings:
            lines.append(
                f"  {_severity(f.fields['severity'])}  {readable(f.fields['title'])} "
                f"({readable(f.rule_id)})"
            )
            for name, old, new in fields:
                if name == "severity":
                    lines.append(f"    severity: {_severity(old)} -> {_severity(new)}")
                elif name in WORDING:
                    lines.append(f"    {name} now reads: {readable(new)}")
                else:
                    lines.append(f"    {name} now: {readable(new) or '(none)'}")
    if not changes.any:
        lines.append("Nothing changed.")
    lines += ["", f"Now: {readable(changes.current.headline)}"]
    lines += ["", wording.CLINICIAN_PROMPT, "", wording.DISCLAIMER]
    return lines


def write_text(changes: Changes, out: TextIO, *, intro: str, width: int = 80) -> None:
    for line in change_lines(changes, intro=intro):
        indent = len(line) - len(line.lstrip(" "))
        wrapped = textwrap.fill(
            line,
            width=width,
            subsequent_indent=" " * (indent + 2 if indent else 0),
            break_long_words=False,  # an address is never cut in the middle
            break_on_hyphens=False,
        )
        out.write(wrapped + "\n")
