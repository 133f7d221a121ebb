"""One report as one compact JSON line, fast: what `suppcheck batch` writes for each profile.

The text is exactly what encoding `report_to_dict` compactly gives (the tests compare the two
strings), but it is built directly rather than through a dict and the generic encoder: most of a
report's bytes (a rule's own text, upper limits, the rule base, the safety sentences) are the same
in every report they appear in, so each is encoded once and reused, and a batch spends its time
on what differs from person to person.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from json.encoder import encode_basestring as _quote  # the C version where there is one
from typing import Any

from suppcheck.model import (
    Coverage,
    Finding,
    NutrientTotal,
    Report,
    Resolved,
    RuleBaseInfo,
    Severity,
    SupplementStatus,
    UpperLimit,
)
from suppcheck.report import wording
from suppcheck.report.data import SCHEMA_VERSION, finding_data, report_to_dict, upper_limit_data

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# Encoded pieces that depend only on the rule base. Each cache is emptied when it reaches this
# size, so a long-lived process that loads many rule bases keeps bounded memory.
_CACHE_LIMIT = 100_000
# id(rule) -> (rule, JSON before the per-person fields, JSON after them). The rule is kept so that
# its id cannot be reused by another object while the entry exists.
_RULES: dict[int, tuple[Any, str, str]] = {}
# A finding's keys are the rule's own before and after what it says of the person.
_RULE_HEAD = ("rule_id", "title", "severity", "evidence", "mechanism")
_RULE_TAIL = ("rationale", "advice", "ask", "sources", "reviewed")
# Finding[1:] (its supplements, conditions, medications and because lines) -> their JSON.
_PERSONS: dict[tuple[tuple[str, ...], ...], str] = {}
_NAMED: dict[tuple[str, str], str] = {}  # (id, name) -> ',"id":...,"name":...'
_LIMITS: dict[UpperLimit, str] = {}
_RULE_BASES: dict[tuple[RuleBaseInfo, int], str] = {}
_TAIL = _encode(
    {
        "disclaimer": wording.DISCLAIMER,
        "clinician_prompt": wording.CLINICIAN_PROMPT,
        "absence_note": wording.ABSENCE_IS_NOT_SAFETY,
    }
)[1:]
_SEVERITIES = tuple(Severity)  # iterating over an enum class is slow; over a tuple is not
_HIGHEST_FIRST = _SEVERITIES[::-1]
_BOOL = {True: "true", False: "false"}
_COVERAGE = {coverage: _quote(coverage.value) for coverage in Coverage}


def report_to_json(report: Report, first: dict[str, Any] | None = None) -> str:
    """`report_to_dict(report)` after the `first` keys, as one compact JSON line."""
    profile = report.profile
    counts = wording.severity_counts(report)
    highest = next((s for s in _HIGHEST_FIRST if counts[s]), None)
    parts = [
        "{",
        _encode(first)[1:-1] + "," if first else "",
        f'"schema_version":"{SCHEMA_VERSION}","input":{{"conditions":',
        _strings(profile.raw_conditions),
        ',"supplements":',
        _strings(profile.raw_supplements),
        ',"medications":',
        _strings(profile.raw_medications),
        ',"active":',
        _BOOL[profile.active],
        ',"saved_profile_used":',
        _BOOL[profile.from_saved_profile],
        '},"resolved":{"conditions":[',
        ",".join([_named(item) + "}" for item in profile.conditions]),
        '],"supplements":[',
        ",".join(map(_supplement, profile.supplements)),
        '],"medications":[',
        ",".join([_named(item) + "}" for item in profile.medications]),
        ']},"unresolved":',
        _unresolved(report) if profile.unresolved else "[]",
        ',"findings":[',
        ",".join(map(_finding, report.findings)),
        '],"supplement_status":[',
        ",".join(map(_status, report.statuses)),
        '],"not_covered":',
        _strings(
            sorted({s.supplement.id for s in report.statuses if s.coverage is Coverage.NOT_COVERED})
        ),
        ',"totals":[',
        ",".join(map(_total, report.totals)),
        '],"not_added":',
        _strings(report.not_added),
        ',"notes":',
        _strings(report.notes),
        ',"rule_base":',
        _rule_base(report.rule_base, report.rule_count),
        ',"summary":{"highest_severity":',
        "null" if highest is None else _quote(highest.value),
        ',"counts":{',
        ",".join([f'"{s.value}":{counts[s]}' for s in _SEVERITIES]),
        '},"fully_understood":',
        _BOOL[report.fully_understood],
        ',"headline":',
        _quote(wording.headline(report, counts)),
        "},",
        _TAIL,
    ]
    return "".join(parts)


def _strings(items: Iterable[str]) -> str:
    return "[" + ",".join(map(_quote, items)) + "]"


def _number(value: float) -> str:
    # What the json module writes for a finite int or float is its repr; anything else (NaN,
    # infinity, a subclass) goes through the encoder itself.
    if (type(value) is float and math.isfinite(value)) or type(value) is int:
        return repr(value)
    return _encode(value)


def _named(item: Resolved) -> str:
    """'{"input":...,"id":...,"name":...' (left open for a dose)."""
    key = (item.id, item.name)
    fragment = _NAMED.get(key)
    if fragment is None:
        if len(_NAMED) >= _CACHE_LIMIT:
            _NAMED.clear()
        fragment = _NAMED[key] = f',"id":{_quote(item.id)},"name":{_quote(item.name)}'
    return '{"input":' + _quote(item.input) + fragment


def _supplement(item: Resolved) -> str:
    dose = item.dose
    if dose is None:
        return _named(item) + ',"dose":null}'
    return (
        f'{_named(item)},"dose":{{"amount":{_number(dose.amount)},'
        f'"unit":{_quote(dose.unit)},"per":"day"}}}}'
    )


def _unresolved(report: Report) -> str:
    # Rare, and all of it per person: the generic encoder is fine here.
    return _encode(report_to_dict(report, include_findings=False)["unresolved"])


def _finding(finding: Finding) -> str:
    rule = finding.rule
    cached = _RULES.get(id(rule))
    if cached is None or cached[0] is not rule:
        if len(_RULES) >= _CACHE_LIMIT:
            _RULES.clear()
        whole = finding_data(finding)
        head = {
            key: whole[key] for key in ("rule_id", "title", "severity", "evidence", "mechanism")
        }
        tail = {key: whole[key] for key in ("rationale", "advice", "ask", "sources", "reviewed")}
        cached = (rule, _encode(head)[:-1] + ",", "," + _encode(tail)[1:])
        _RULES[id(rule)] = cached
    # What a finding says of the person repeats too ("you take Zinc"), across rules and people.
    person_key = finding[1:]
    person = _PERSONS.get(person_key)
    if person is None:
        if len(_PERSONS) >= _CACHE_LIMIT:
            _PERSONS.clear()
        person = _PERSONS[person_key] = (
            f'"supplements":{_strings(finding.supplements)},'
            f'"conditions":{_strings(finding.conditions)},'
            f'"medications":{_strings(finding.medications)},'
            f'"because":{_strings(finding.because)}'
        )
    return cached[1] + person + cached[2]


def _status(status: SupplementStatus) -> str:
    item = status.supplement
    return (
        f'{{"input":{_quote(item.input)},"id":{_quote(item.id)},'
        f'"status":{_COVERAGE[status.coverage]}}}'
    )


def _total(total: NutrientTotal) -> str:
    products = ",".join(
        [f'{{"name":{_quote(name)},"amount":{_number(amount)}}}' for name, amount in total.products]
    )
    return (
        f'{{"nutrient":{_quote(total.nutrient)},"unit":{_quote(total.unit)},'
        f'"total":{_number(total.total)},"products":[{products}],'
        f'"without_dose":{_strings(total.without_dose)},'
        f'"upper_limit":{_limit(total.upper_limit)},"over_limit":{_BOOL[total.over_limit]}}}'
    )


def _limit(limit: UpperLimit | None) -> str:
    if limit is None:
        return "null"
    fragment = _LIMITS.get(limit)
    if fragment is None:
        if len(_LIMITS) >= _CACHE_LIMIT:
            _LIMITS.clear()
        fragment = _LIMITS[limit] = _encode(upper_limit_data(limit))
    return fragment


def _rule_base(info: RuleBaseInfo, rule_count: int) -> str:
    key = (info, rule_count)
    fragment = _RULE_BASES.get(key)
    if fragment is None:
        if len(_RULE_BASES) >= _CACHE_LIMIT:
            _RULE_BASES.clear()
        fragment = _RULE_BASES[key] = _encode(
            {
                "version": info.version,
                "reviewed": info.reviewed,
                "rules": rule_count,
                "files": list(info.files),
            }
        )
    return fragment
