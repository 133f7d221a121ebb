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
from collections.abc import Collection
from json.encoder import encode_basestring as _quote  # the C version where there is one
from typing import Any

from suppcheck.model import (
    Coverage,
    Dose,
    Finding,
    Kind,
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
_RESOLVED: dict[tuple[str, Kind, str, Dose | None], str] = {}
_STATUSES: dict[tuple[str, str, Coverage], str] = {}
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


def report_to_json(report: Report, first: dict[str, Any] | None = None) -> str:
    """`report_to_dict(report)` after the `first` keys, as one compact JSON line."""
    profile = report.profile
    counts = wording.severity_counts(report)
    highest = next((s for s in _HIGHEST_FIRST if counts[s]), None)
    first_keys = _encode(first)[1:-1] + "," if first else ""
    not_covered = sorted(
        {s.supplement.id for s in report.statuses if s.coverage is Coverage.NOT_COVERED}
    )
    counted = ",".join([f'"{s.value}":{counts[s]}' for s in _SEVERITIES])
    return (
        f'{{{first_keys}"schema_version":"{SCHEMA_VERSION}",'
        f'"input":{{"conditions":{_strings(profile.raw_conditions)},'
        f'"supplements":{_strings(profile.raw_supplements)},'
        f'"medications":{_strings(profile.raw_medications)},'
        f'"active":{_BOOL[profile.active]},'
        f'"saved_profile_used":{_BOOL[profile.from_saved_profile]}}},'
        f'"resolved":{{"conditions":[{",".join(map(_resolved, profile.conditions))}],'
        f'"supplements":[{",".join(map(_resolved, profile.supplements))}],'
        f'"medications":[{",".join(map(_resolved, profile.medications))}]}},'
        f'"unresolved":{_unresolved(report) if profile.unresolved else "[]"},'
        f'"findings":[{",".join(map(_finding, report.findings))}],'
        f'"supplement_status":[{",".join(map(_status, report.statuses))}],'
        f'"not_covered":{_strings(not_covered)},'
        f'"totals":[{",".join(map(_total, report.totals))}],'
        f'"not_added":{_strings(report.not_added)},'
        f'"notes":{_strings(report.notes)},'
        f'"rule_base":{_rule_base(report.rule_base, report.rule_count)},'
        f'"summary":{{"highest_severity":{"null" if highest is None else _quote(highest.value)},'
        f'"counts":{{{counted}}},'
        f'"fully_understood":{_BOOL[report.fully_understood]},'
        f'"headline":{_quote(wording.headline(report, counts))}}},'
        f"{_TAIL}"
    )


def _strings(items: Collection[str]) -> str:
    return "[" + ",".join(map(_quote, items)) + "]" if items else "[]"


def _number(value: float) -> str:
    # What the json module writes for a finite int or float is its repr; anything else (NaN,
    # infinity, a subclass) goes through the encoder itself.
    if (type(value) is float and math.isfinite(value)) or type(value) is int:
        return repr(value)
    return _encode(value)


def _resolved(item: Resolved) -> str:
    """'{"input":...,"id":...,"name":...}', with "dose" for a supplement: the same typed text
    resolves to the same item again and again in a batch, so each is encoded once."""
    key = (item.input, item.kind, item.id, item.dose)
    fragment = _RESOLVED.get(key)
    if fragment is None:
        if len(_RESOLVED) >= _CACHE_LIMIT:
            _RESOLVED.clear()
        fragment = (
            f'{{"input":{_quote(item.input)},"id":{_quote(item.id)},"name":{_quote(item.name)}'
        )
        if item.kind is Kind.SUPPLEMENT:
            dose = item.dose
            fragment += (
                ',"dose":null'
                if dose is None
                else f',"dose":{{"amount":{_number(dose.amount)},"unit":{_quote(dose.unit)},'
                '"per":"day"}'
            )
        fragment = _RESOLVED[key] = fragment + "}"
    return fragment


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
    key = (item.input, item.id, status.coverage)
    fragment = _STATUSES.get(key)
    if fragment is None:
        if len(_STATUSES) >= _CACHE_LIMIT:
            _STATUSES.clear()
        fragment = _STATUSES[key] = (
            f'{{"input":{_quote(item.input)},"id":{_quote(item.id)},'
            f'"status":{_quote(status.coverage.value)}}}'
        )
    return fragment


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
