"""Resolving what people type: names to entries, doses, and suggestions for what is not known.

Matching itself (normalisation, the alias table) is suppcheck.rules.vocabulary: exact after
normalisation, never by substring, never by the closest fuzzy match. A name that does not match
gets ranked suggestions instead of a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from suppcheck.inputs.regimen import DosedSupplement
from suppcheck.model import Dose, Kind, Profile, Resolved, Unresolved
from suppcheck.printable import readable
from suppcheck.rules.vocabulary import Vocabulary, normalise

MAX_NAME_LENGTH = 200
# Where a name may end and a dose begin: after a word, before a digit, a sign or a bracket.
_SPLIT = re.compile(
    r"(?<=[^\s:=@,;(])[\s:=@,;]+(?=[\w(\[.\u2212+-])|(?<=[a-z])(?=\()", re.IGNORECASE
)


def resolve_name(vocabulary: Vocabulary, text: str) -> Resolved | Unresolved:
    """Resolve a condition or medication name; a medication may carry a dose ("MTX 15 mg")."""
    problem = _name_problem(vocabulary.kind, text)
    if problem is not None:
        return problem
    if vocabulary.kind is Kind.MEDICATION and not vocabulary.lookup(text):
        return _without_extra_words(vocabulary, text, _with_dose(vocabulary, text))
    return _match(vocabulary, text, text, None)


def resolve_supplement(vocabulary: Vocabulary, text: str) -> Resolved | Unresolved:
    """Resolve "zinc picolinate 25 mg twice daily": a name, then optionally a dose as written.

    The whole text is tried as a name first, so names with digits ("vitamin B12", "CoQ10") are
    never split into a name and an amount; then the longest known name at the start of the text.
    A known name whose dose cannot be read is still resolved, with the problem kept beside it
    (`dose_problem`), so every check that does not need the dose still runs.
    """
    if isinstance(text, DosedSupplement):
        return _resolve_dosed(vocabulary, text)
    problem = _name_problem(Kind.SUPPLEMENT, text)
    if problem is not None:
        return problem
    if vocabulary.lookup(text):
        return _match(vocabulary, text, text, None)
    return _without_extra_words(vocabulary, text, _with_dose(vocabulary, text))


def _without_extra_words(
    vocabulary: Vocabulary, text: str, found: Resolved | Unresolved
) -> Resolved | Unresolved:
    """`found`, or, when it is not understood (or its dose is not), the text read again without
    the words that say how a product is taken or released (_EXTRA_WORDS): "elderberry gummies",
    "Humira pen", "metformin ER 500 mg". The input is kept as typed."""
    if isinstance(found, Resolved) and found.dose_problem is None:
        return found
    plain = _without_words(text, _EXTRA_WORDS[vocabulary.kind])
    if not plain or plain == text:
        return found
    again = (
        _match(vocabulary, plain, plain, None)
        if vocabulary.lookup(plain)
        else _with_dose(vocabulary, plain)
    )
    if isinstance(again, Resolved) and (
        isinstance(found, Unresolved) or again.dose_problem is None
    ):
        return again._replace(input=text)
    return found


# Words that say how a product is taken or released, not what it is: tried without them when the
# text is not understood as typed. After a count ("2 softgels") the word belongs to the dose.
_EXTRA_WORDS = {
    Kind.SUPPLEMENT: frozenset(
        {
            "gummy", "gummies", "softgel", "softgels", "chewable", "chewables", "sublingual",
            "liposomal", "lozenge", "lozenges", "liquid", "drops", "powder", "spray",
        }
    ),
    Kind.MEDICATION: frozenset(
        {
            "pen", "pens", "autoinjector", "sureclick", "injection", "injections", "infusion",
            "infusions", "shot", "shots", "tablet", "tablets", "er", "xr", "xl", "sr", "dr",
            "ec", "hd", "dosepak",
        }
    ),
}  # fmt: skip


def _without_words(text: str, extra: frozenset[str]) -> str:
    kept: list[str] = []
    for word in text.split():
        after_count = bool(kept) and kept[-1].replace(".", "", 1).isdigit()
        if word.casefold().strip(".,;") in extra and not after_count:
            continue
        kept.append(word)
    return " ".join(kept)


def _with_dose(vocabulary: Vocabulary, text: str) -> Resolved | Unresolved:
    # Imported here: the dose grammar compiles its patterns on import, and most checks (every
    # TAB press among them) name supplements without a dose.
    from suppcheck.engine.doses import looks_like_dose, parse_dose

    splits = _splits(text)
    for at in reversed(splits):  # the longest known name first
        name = text[:at].strip()
        if name and vocabulary.lookup(name) and looks_like_dose(text[at:]):
            return _match_dosed(vocabulary, text, name, parse_dose(text[at:]))
    name, at = _unknown_name(text, splits)
    if at < len(text) and vocabulary.lookup(name):  # a confirmed name: keep its dose
        return _match_dosed(vocabulary, text, name, parse_dose(text[at:]))
    return _match(vocabulary, text, name, None)


def _splits(text: str) -> list[int]:
    """Where a name may end and a dose begin; never at the comma of a number: "Vitamin D 2,000
    IU" is vitamin D with 2,000 IU, not vitamin D2 with ",000 IU"."""
    return [
        m.start()
        for m in _SPLIT.finditer(text)
        if not (
            text[m.start()] == ","
            and text[m.start() - 1].isdigit()
            and text[m.end() : m.end() + 1].isdigit()
        )
    ]


def _unknown_name(text: str, splits: list[int]) -> tuple[str, int]:
    """The name part of a text whose name is not known, and where the rest begins: the text
    without a dose after it, when one can be read (suggestions are for it), else the whole."""
    from suppcheck.engine.doses import parse_dose

    for at in splits:
        if text[:at].strip() and isinstance(parse_dose(text[at:]), Dose):
            return text[:at].strip(), at
    return text, len(text)


def typed_name(kind: Kind, text: str) -> str:
    """The name in what was typed for `kind`, as suggestions for an unknown name are made for
    it: "zinx 25 mg" -> "zinx" (a supplement or medication may carry a dose)."""
    if isinstance(text, DosedSupplement):
        return text.name
    if kind is Kind.CONDITION:
        return text
    return _unknown_name(text, _splits(text))[0]


def _resolve_dosed(vocabulary: Vocabulary, given: DosedSupplement) -> Resolved | Unresolved:
    """A supplement given as name, amount and unit (regimen files, batch, the API): only the
    name is read; the dose is used as given, never printed and read back."""
    from suppcheck.engine.doses import dose_from_parts

    problem = _name_problem(Kind.SUPPLEMENT, given.name)
    if problem is not None:
        return problem._replace(input=given)
    return _match_dosed(
        vocabulary, given, given.name, dose_from_parts(given, given.amount, given.unit)
    )


def _match_dosed(
    vocabulary: Vocabulary, text: str, name: str, dose: Dose | str
) -> Resolved | Unresolved:
    """`name` with a dose, or with the sentence saying why the dose could not be read: a known
    name is resolved either way, so what does not need the dose is still checked."""
    result = _match(vocabulary, text, name, None if isinstance(dose, str) else dose)
    if isinstance(dose, str) and isinstance(result, Resolved):
        return result._replace(dose_problem=dose)
    return result


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
        if vocabulary.confirmed and normalise(name) in vocabulary.confirmed:
            return Resolved(text, vocabulary.kind, entry.id, entry.name, dose, confirmed=True)
        return Resolved(text, vocabulary.kind, entry.id, entry.name, dose)
    if len(ids) > 1:
        names = ", ".join(ids)
        return Unresolved(text, vocabulary.kind, f"ambiguous: could be {names}", ids)
    suggestions = vocabulary.suggest(name)
    reason = f"unknown {vocabulary.kind.value}" + _known_start(vocabulary, name)
    return Unresolved(text, vocabulary.kind, reason, suggestions)


def _known_start(vocabulary: Vocabulary, name: str) -> str:
    """For `zinc ½ mg` or `zinc ⅔`: say that the name is known and the number after it is what
    was not read, rather than only "unknown supplement" for a name the user can see is known.
    Words that are not a number (`zinc pico`) are a misspelt name: suggestions, as before."""
    if vocabulary.kind is not Kind.SUPPLEMENT:
        return ""
    from suppcheck.engine.doses import looks_like_dose

    words = name.split()
    for end in range(len(words) - 1, 0, -1):
        ids = vocabulary.lookup(" ".join(words[:end]))
        rest = " ".join(words[end:])
        if len(ids) == 1 and rest[0].isnumeric() and not looks_like_dose(rest):
            start = readable(" ".join(words[:end]))
            return (f": '{start}' is known, but '{readable(rest)}' after it is not a dose "
                    "suppcheck can read (write the amount in digits, e.g. 0.5 mg)")  # fmt: skip
    return ""


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
        if isinstance(result, Resolved):
            resolved.append(result)
            if result.dose_problem is not None:
                unresolved.append(_dose_not_understood(result))
        else:
            unresolved.append(result)
    return tuple(resolved), tuple(unresolved)


_OTHER_KIND = {Kind.SUPPLEMENT: (Kind.MEDICATION, "-m"), Kind.MEDICATION: (Kind.SUPPLEMENT, "-s")}


def _other_kind_hint(vocabularies: Mapping[Kind, Vocabulary], item: Unresolved) -> Unresolved:
    """A supplement typed as a medication (prescribed folic acid) or a medicine typed as a
    supplement (Plaquenil) stays not understood, never moved silently, but the reason says where
    it belongs, so that its cautions are one retyping away."""
    if item.kind not in _OTHER_KIND or item.reason != f"unknown {item.kind.value}":
        return item
    other, flag = _OTHER_KIND[item.kind]
    ids = vocabularies[other].lookup(typed_name(item.kind, item.input))
    if len(ids) != 1:
        return item
    entry = vocabularies[other].entries[ids[0]]
    return item._replace(
        reason=f"unknown {item.kind.value} ({entry.name} is a {other.value}: give it with {flag})"
    )


def _dose_not_understood(item: Resolved) -> Unresolved:
    """The record that keeps an unreadable dose in the report (and the exit status at 3)."""
    return Unresolved(
        item.input,
        item.kind,
        f"the dose could not be read: {item.dose_problem}; {item.name} was still checked for "
        "everything that does not depend on the dose",
    )


def resolve_profile(
    vocabularies: Mapping[Kind, Vocabulary],
    *,
    conditions: Iterable[str] = (),
    supplements: Iterable[str] = (),
    medications: Iterable[str] = (),
    active: bool = False,
    from_saved_profile: bool = False,
    age: int | None = None,
    sex: str | None = None,
    pregnant: bool = False,
    breastfeeding: bool = False,
    memo: dict[Kind, dict[str, Resolved | Unresolved]] | None = None,
    confirmed: Mapping[Kind, Mapping[str, str]] | None = None,
) -> Profile:
    """Everything the person typed, resolved; what is not understood is kept, never dropped.

    `memo` keeps earlier resolutions (per kind) for the same vocabularies. `confirmed` holds,
    per kind, the typed names (as `typed_name` gives them) the person confirmed as an entry id
    at a terminal prompt: they resolve to that entry, marked `confirmed`.
    """
    if confirmed:
        vocabularies = {k: v.with_confirmed(confirmed.get(k, {})) for k, v in vocabularies.items()}
        memo = None  # the memo holds what these names meant without the confirmation
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
        if missed:
            unresolved.extend(_other_kind_hint(vocabularies, u) for u in missed)
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
        age,
        sex,
        pregnant,
        breastfeeding,
    )
