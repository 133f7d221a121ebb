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
from collections.abc import Callable, Collection, Hashable
from json.encoder import encode_basestring as _quote  # the C version where there is one
from typing import Any, TypeVar

from suppcheck.model import (
    Coverage,
    Finding,
    Kind,
    NutrientTotal,
    Profile,
    Report,
    Resolved,
    Rule,
    RuleBaseInfo,
    SupplementStatus,
    UpperLimit,
)
from suppcheck.printable import json_text
from suppcheck.report import wording
from suppcheck.report.data import SCHEMA_VERSION, finding_data, report_to_dict, upper_limit_data

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _utf8(text: str) -> bytes:
    """JSON text as batch writes it: UTF-8, every character that is not printable written as a
    \\u escape. Done piece by piece, it gives the bytes it would give for the whole line."""
    return json_text(text).encode(errors="backslashreplace")


_CACHE_LIMIT = 100_000

K = TypeVar("K", bound=Hashable)


class _Fragments(dict[K, bytes]):
    """key -> its JSON as batch writes it (UTF-8, printable), made from the text `encode` gives
    on first use; a hit is a plain dict lookup.

    Emptied when it reaches _CACHE_LIMIT entries, so that a long-lived process (one that checks
    endless distinct profiles, or loads many rule bases) keeps bounded memory.
    """

    def __init__(self, encode: Callable[[K], str]) -> None:
        super().__init__()
        self.encode = encode

    def __missing__(self, key: K) -> bytes:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        fragment = self[key] = _utf8(self.encode(key))
        return fragment


_TAIL = _utf8(
    _encode(
        {
            "disclaimer": wording.DISCLAIMER,
            "clinician_prompt": wording.CLINICIAN_PROMPT,
            "absence_note": wording.ABSENCE_IS_NOT_SAFETY,
        }
    )[1:]
)
_SCHEMA_VERSION = f'"schema_version":"{SCHEMA_VERSION}",'.encode()
# An enum's .value is a Python-level property: read once here, not several times per report.
_SEVERITY_JSON = {severity: _quote(severity.value) for severity in wording.SEVERITIES}
_BOOL = {True: b"true", False: b"false"}
_NOT_COVERED = Coverage.NOT_COVERED
_CHECKED = Coverage.CHECKED
_SUMMARIES: dict[tuple[object, ...], bytes] = {}  # see _summary: bounded by its few inputs


def report_to_json(report: Report, first: dict[str, Any] | None = None) -> str:
    """`report_to_dict(report)` after the `first` keys, as one compact JSON line, with every
    character that is not printable written as a \\u escape (printable.json_text)."""
    pieces: list[bytes] = []
    add_report(report, pieces, first)
    return b"".join(pieces).decode()


def add_report(report: Report, pieces: list[bytes], first: dict[str, Any] | None = None) -> None:
    """Append the UTF-8 pieces of `report_to_json(report, first)` to `pieces`, so that a batch
    joins a whole group of replies once: each piece is encoded (and made printable) when it is
    first cached, and a rule's long text is copied once per reply, not once per nesting level."""
    profile = report.profile
    not_covered = [s.supplement.id for s in report.statuses if s.coverage is _NOT_COVERED]
    if len(not_covered) > 1:
        not_covered = sorted(set(not_covered))
    resolved = _RESOLVED.__getitem__
    pieces += (
        b"{",
        _first_keys(first) if first else b"",
        _SCHEMA_VERSION,
        b'"input":{"conditions":',
        _LISTS[profile.raw_conditions],
        b',"supplements":',
        _utf8(_strings(profile.raw_supplements)),
        b',"medications":',
        _LISTS[profile.raw_medications],
        b',"active":',
        _BOOL[profile.active],
        b',"saved_profile_used":',
        _BOOL[profile.from_saved_profile],
        b",",
        _life_stage(profile),
        b'},"resolved":{"conditions":[',
        b",".join(map(resolved, profile.conditions)),
        b'],"supplements":[',
        b",".join(map(resolved, profile.supplements)),
        b'],"medications":[',
        b",".join(map(resolved, profile.medications)),
        b']},"unresolved":',
        _utf8(_unresolved(report)) if profile.unresolved else b"[]",
        b',"findings":[',
    )
    comma = b""
    for finding in report.findings:
        head, tail = _rule_pieces(finding.rule)
        pieces += (comma, head, _PERSONS[finding[1:]], tail)
        comma = b","
    pieces += (
        b'],"supplement_status":[',
        b",".join(map(_STATUSES.__getitem__, report.statuses)),
        b'],"not_covered":',
        _utf8(_strings(not_covered)),
        b',"totals":[',
        b",".join(map(_TOTALS.__getitem__, report.totals)),
        b'],"limits_for":',
        _limits_for(profile),
        b',"not_added":',
        _LISTS[report.not_added],
        b',"notes":',
        _LISTS[report.notes],
        b',"rule_base":',
        _RULE_BASES[report.rule_base, report.rule_count],
        b',"summary":',
        _summary(report),
        b",",
        _TAIL,
    )


_NO_LIFE_STAGE = b'"age":null,"sex":null,"pregnant":false,"breastfeeding":false'


def _life_stage(profile: Profile) -> bytes:
    """The life-stage keys of "input" (the same for almost everyone: none given)."""
    if not profile.has_life_stage_input:
        return _NO_LIFE_STAGE
    age = "null" if profile.age is None else str(profile.age)
    sex = "null" if profile.sex is None else _quote(profile.sex)
    pregnant = "true" if profile.pregnant else "false"
    breastfeeding = "true" if profile.breastfeeding else "false"
    return _utf8(f'"age":{age},"sex":{sex},"pregnant":{pregnant},"breastfeeding":{breastfeeding}')


_LIMITS_FOR: dict[str | None, bytes] = {}  # life-stage group -> "limits_for" (few groups)


def _limits_for(profile: Profile) -> bytes:
    if not profile.life_stage_given:
        key: str | None = ""  # no life stage given: assumed, unlike adults-19+ given by age
    else:
        key = profile.life_stage_group
    fragment = _LIMITS_FOR.get(key)
    if fragment is None:
        fragment = _LIMITS_FOR[key] = _utf8(_encode(wording.limits_for(profile)))
    return fragment


def _first_keys(first: dict[str, Any]) -> bytes:
    """The `first` keys, with a comma after them: a batch's {"id": ...}, typically."""
    if len(first) == 1:
        ((key, value),) = first.items()
        if type(value) is str:
            return _utf8(f"{_quote(key)}:{_quote(value)},")
    return _utf8(_encode(first)[1:-1] + ",")


def _summary(report: Report) -> bytes:
    """The "summary" object. It depends on the severity counts (per rule and as shown), whether
    all input was understood and, when nothing was found, whether anything was checked (the
    headline): a handful of combinations, each encoded once."""
    counts = wording.severity_counts(report)
    shown = wording.shown_counts(report)
    fully_understood = report.fully_understood
    checked = not report.findings and any(s.coverage is _CHECKED for s in report.statuses)
    key = (*counts.values(), *shown.values(), fully_understood, checked)
    fragment = _SUMMARIES.get(key)
    if fragment is None:
        highest = next((_SEVERITY_JSON[s] for s in wording.HIGHEST_FIRST if counts[s]), "null")
        counted = ",".join([f"{_SEVERITY_JSON[s]}:{counts[s]}" for s in wording.SEVERITIES])
        grouped = ",".join([f"{_SEVERITY_JSON[s]}:{shown[s]}" for s in wording.SEVERITIES])
        understood = "true" if fully_understood else "false"
        fragment = _SUMMARIES[key] = _utf8(
            f'{{"highest_severity":{highest},"counts":{{{counted}}},'
            f'"grouped_counts":{{{grouped}}},'
            f'"fully_understood":{understood},'
            f'"headline":{_quote(wording.headline(report, shown))}}}'
        )
    return fragment


def _strings(items: Collection[str]) -> str:
    return "[" + ",".join(map(_quote, items)) + "]" if items else "[]"


def _number(value: float) -> str:
    # What the json module writes for a finite int or float is its repr; anything else (NaN,
    # infinity, a subclass) goes through the encoder itself.
    if (type(value) is float and math.isfinite(value)) or type(value) is int:
        return repr(value)
    return _encode(value)


def _encode_resolved(item: Resolved) -> str:
    """'{"input":...,"id":...,"name":...}', with "dose" for a supplement and "confirmed" for a
    name the person confirmed."""
    fragment = f'{{"input":{_quote(item.input)},"id":{_quote(item.id)},"name":{_quote(item.name)}'
    end = ',"confirmed":true}' if item.confirmed else "}"
    if item.kind is not Kind.SUPPLEMENT:
        return fragment + end
    dose = item.dose
    if dose is None:
        return fragment + ',"dose":null' + end
    amount, unit = _number(dose.amount), _quote(dose.unit)
    arithmetic = "null" if dose.arithmetic is None else _quote(dose.arithmetic)
    return (
        f'{fragment},"dose":{{"amount":{amount},"unit":{unit},"per":"day",'
        f'"arithmetic":{arithmetic}}}{end}'
    )


def _encode_status(status: SupplementStatus) -> str:
    item = status.supplement
    return (
        f'{{"input":{_quote(item.input)},"id":{_quote(item.id)},'
        f'"status":{_quote(status.coverage.value)}}}'
    )


def _encode_rule(rule: Rule) -> tuple[str, str]:
    """A finding's JSON before and after what it says of the person: the rule's own text."""
    whole = finding_data(Finding(rule, (), (), (), ()))
    head = {key: whole[key] for key in ("rule_id", "title", "severity", "evidence", "mechanism")}
    tail = {
        key: whole[key] for key in ("rationale", "advice", "ask", "sources", "reviewed", "group")
    }
    return _encode(head)[:-1] + ",", "," + _encode(tail)[1:]


def _encode_person(found: tuple[tuple[str, ...], ...]) -> str:
    """What a finding says of the person: Finding[1:]."""
    supplements, conditions, medications, because = found
    return (
        f'"supplements":{_strings(supplements)},"conditions":{_strings(conditions)},'
        f'"medications":{_strings(medications)},"because":{_strings(because)}'
    )


def _encode_limit(limit: UpperLimit | None) -> str:
    return "null" if limit is None else _encode(upper_limit_data(limit))


def _encode_rule_base(key: tuple[RuleBaseInfo, int]) -> str:
    info, rule_count = key
    return _encode(
        {
            "version": info.version,
            "reviewed": info.reviewed,
            "rules": rule_count,
            "files": list(info.files),
            "replaced": list(info.replaced),
        }
    )


# Each is the same in every report it appears in: the same typed text resolves to the same item
# again and again in a batch, "you take Zinc" recurs across rules and people, and a rule's own
# text or an upper limit never changes. Rules are keyed by identity: their text is long to hash.
_RESOLVED = _Fragments(_encode_resolved)
_STATUSES = _Fragments(_encode_status)
_RULES: dict[int, tuple[Rule, tuple[bytes, bytes]]] = {}
_PERSONS: _Fragments[tuple[tuple[str, ...], ...]] = _Fragments(_encode_person)
_RULE_BASES = _Fragments(_encode_rule_base)


def _rule_pieces(rule: Rule) -> tuple[bytes, bytes]:
    """A finding's JSON before and after what it says of the person (_encode_rule), cached."""
    cached = _RULES.get(id(rule))
    if cached is None or cached[0] is not rule:  # the rule is kept, so its id is not reused
        if len(_RULES) >= _CACHE_LIMIT:
            _RULES.clear()
        head, tail = _encode_rule(rule)
        cached = _RULES[id(rule)] = (rule, (_utf8(head), _utf8(tail)))
    return cached[1]


def _unresolved(report: Report) -> str:
    # Rare, and all of it per person: the generic encoder is fine here.
    return _encode(report_to_dict(report, include_findings=False)["unresolved"])


def _encode_total(total: NutrientTotal) -> str:
    products = ",".join(
        [
            f'{{"name":{_quote(share.name)},"amount":{_number(share.amount)},'
            f'"input":{_quote(share.input)}}}'
            for share in total.products
        ]
    )
    over = "true" if total.over_limit else "false"
    return (
        f'{{"nutrient":{_quote(total.nutrient)},"unit":{_quote(total.unit)},'
        f'"total":{_number(total.total)},"products":[{products}],'
        f'"without_dose":{_strings(total.without_dose)},'
        f'"upper_limit":{_encode_limit(total.upper_limit)},"over_limit":{over}}}'
    )


_TOTALS = _Fragments(_encode_total)  # the same products and doses recur from person to person
# Lists of text that recur from person to person: conditions and medications as typed, notes.
_LISTS: _Fragments[tuple[str, ...]] = _Fragments(_strings)
