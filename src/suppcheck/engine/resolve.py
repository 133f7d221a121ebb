"""Resolving what people type: names to entries, doses, and suggestions for what is not known.

Matching itself (normalisation, the alias table) is suppcheck.rules.vocabulary: exact after
normalisation, never by substring, never by the closest fuzzy match. A name that does not match
gets ranked suggestions instead of a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from suppcheck import units
from suppcheck.inputs.regimen import DosedSupplement
from suppcheck.model import Dose, Kind, Profile, Resolved, Unresolved
from suppcheck.printable import readable
from suppcheck.rules.vocabulary import Vocabulary, normalise

MAX_NAME_LENGTH = 200
# Compiled on first use (re caches it): most checks name supplements without a dose.
_DOSE = r"""^(?P<name>.*?)[\s:=@,]*
        (?P<amount>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)\s*
        (?:(?P<scale>billion|million|thousand|bn|b|m|k)(?![a-z\u00b5\u03bc]))?\s*
        (?P<unit>[^\W\d][\w.\u00b5\u03bc]*)?\s*
        (?:(?:/|per|a|each)\s*(?:day|d)|daily)?\s*$"""
_SCALES = {"billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}
MAX_AMOUNT = 1e15  # above any real label; larger is a typing slip, not a dose


def resolve_name(vocabulary: Vocabulary, text: str) -> Resolved | Unresolved:
    """Resolve a condition or medication name (no dose)."""
    problem = _name_problem(vocabulary.kind, text)
    if problem is not None:
        return problem
    return _match(vocabulary, text, text, None)


def resolve_supplement(vocabulary: Vocabulary, text: str) -> Resolved | Unresolved:
    """Resolve "zinc picolinate 25 mg": a name, and optionally an amount with a unit, per day.

    The whole text is tried as a name first, so names with digits ("vitamin B12", "CoQ10") are
    never split into a name and an amount.
    """
    if isinstance(text, DosedSupplement):
        return _resolve_dosed(vocabulary, text)
    problem = _name_problem(Kind.SUPPLEMENT, text)
    if problem is not None:
        return problem
    if vocabulary.lookup(text):
        return _match(vocabulary, text, text, None)
    parsed = re.match(_DOSE, text.strip(), re.IGNORECASE | re.VERBOSE)
    if parsed is None or not parsed.group("name").strip():
        return _match(vocabulary, text, text, None)
    name = parsed.group("name").strip()
    unit_text = parsed.group("unit")
    dose_or_problem = _typed_dose(text, parsed.group("amount"), parsed.group("scale"), unit_text)
    if isinstance(dose_or_problem, str):
        if not vocabulary.lookup(name):
            return _match(vocabulary, text, text, None)
        return Unresolved(text, Kind.SUPPLEMENT, dose_or_problem)
    return _match(vocabulary, text, name, dose_or_problem)


def _resolve_dosed(vocabulary: Vocabulary, given: DosedSupplement) -> Resolved | Unresolved:
    """A supplement given as name, amount and unit: only the name is read; the dose is used as
    given, never printed and read back."""
    problem = _name_problem(Kind.SUPPLEMENT, given.name)
    if problem is not None:
        return problem._replace(input=given)
    amount, unit = given.amount, given.unit
    scale, _, rest = unit.strip().partition(" ")  # "billion CFU", as labels say
    if rest and scale.lower() in _SCALES:
        amount, unit = amount * _SCALES[scale.lower()], rest
    dose_or_problem = _dose(given, amount, unit)
    if isinstance(dose_or_problem, str):
        if vocabulary.lookup(given.name):
            return Unresolved(given, Kind.SUPPLEMENT, dose_or_problem)
        return _match(vocabulary, given, given.name, None)  # the unknown name is what to report
    return _match(vocabulary, given, given.name, dose_or_problem)


def _typed_dose(
    text: str, amount_text: str, scale: str | None, unit_text: str | None
) -> Dose | str:
    try:
        amount = float(amount_text.replace(",", ""))
    except ValueError:
        return f"cannot read the amount in {readable(text)!r}"
    if scale:
        amount *= _SCALES[scale.lower()]
    return _dose(text, amount, unit_text)


def _dose(text: str, amount: float, unit_text: str | None) -> Dose | str:
    shown = readable(text)
    if unit_text is None:
        return f"the amount in {shown!r} has no unit (use mg, mcg, g, IU or CFU)"
    unit = units.canonical_unit(unit_text)
    if unit is None:
        return f"unknown unit {readable(unit_text)!r} in {shown!r} (use mg, mcg, g, IU or CFU)"
    if not 0 < amount <= MAX_AMOUNT:
        return f"the amount in {shown!r} must be a positive number per day"
    return Dose(amount, unit)


def _name_problem(kind: Kind, text: str) -> Unresolved | None:
    if not normalise(text):
        return Unresolved(text, kind, f"an empty {kind.value} name")
    if len(text) > MAX_NAME_LENGTH:
        return Unresolved(text, kind, f"longer than {MAX_NAME_LENGTH} characters")
    return None


def _match(
    vocabulary: Vocabulary, text: str, name: str, dose: Dose | None
) -> Resolved | Unresolved:
    ids = vocabulary.lookup(name)
    if len(ids) == 1:
        entry = vocabulary.entries[ids[0]]
        return Resolved(text, vocabulary.kind, entry.id, entry.name, dose)
    if len(ids) > 1:
        names = ", ".join(ids)
        return Unresolved(text, vocabulary.kind, f"ambiguous: could be {names}", ids)
    suggestions = vocabulary.suggest(name)
    return Unresolved(text, vocabulary.kind, f"unknown {vocabulary.kind.value}", suggestions)


MEMO_LIMIT = 50_000  # resolutions remembered per kind: bounded memory in a long batch


def resolve_all(
    vocabulary: Vocabulary,
    texts: Iterable[str],
    memo: dict[str, Resolved | Unresolved] | None = None,
) -> tuple[tuple[Resolved, ...], tuple[Unresolved, ...]]:
    """Resolve each text; `memo` (text -> result) spares a batch resolving a name twice."""
    resolved: list[Resolved] = []
    unresolved: list[Unresolved] = []
    for text in texts:
        # A dosed supplement equals its text, but "zinc 1e-05 mg" typed is not that dose.
        result = memo.get(text) if memo is not None and type(text) is str else None
        if result is None:
            result = (
                resolve_supplement(vocabulary, text)
                if vocabulary.kind is Kind.SUPPLEMENT
                else resolve_name(vocabulary, text)
            )
            if memo is not None and type(text) is str:
                if len(memo) >= MEMO_LIMIT:
                    memo.clear()
                memo[text] = result
        (resolved if isinstance(result, Resolved) else unresolved).append(result)  # type: ignore[arg-type]
    return tuple(resolved), tuple(unresolved)


def resolve_profile(
    vocabularies: Mapping[Kind, Vocabulary],
    *,
    conditions: Iterable[str] = (),
    supplements: Iterable[str] = (),
    medications: Iterable[str] = (),
    active: bool = False,
    from_saved_profile: bool = False,
    memo: dict[Kind, dict[str, Resolved | Unresolved]] | None = None,
) -> Profile:
    """Everything the person typed, resolved; what is not understood is kept, never dropped.

    `memo` keeps earlier resolutions (per kind) for the same vocabularies.
    """
    raw = {
        Kind.CONDITION: tuple(conditions),
        Kind.SUPPLEMENT: tuple(supplements),
        Kind.MEDICATION: tuple(medications),
    }
    resolved: dict[Kind, tuple[Resolved, ...]] = {}
    unresolved: list[Unresolved] = []
    for kind, texts in raw.items():
        kind_memo = memo.setdefault(kind, {}) if memo is not None else None
        resolved[kind], missed = resolve_all(vocabularies[kind], texts, kind_memo)
        unresolved.extend(missed)
    return Profile(  # positional, in field order: keywords cost more on this per-check path
        resolved[Kind.CONDITION],
        resolved[Kind.SUPPLEMENT],
        resolved[Kind.MEDICATION],
        active,
        tuple(unresolved),
        raw[Kind.CONDITION],
        raw[Kind.SUPPLEMENT],
        raw[Kind.MEDICATION],
        from_saved_profile,
    )
