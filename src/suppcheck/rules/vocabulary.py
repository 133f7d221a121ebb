"""Names as people type them: normalisation, and the table from normalised spelling to entry ids.

A name matches an entry only when its normalised form equals the normalised id, name or a
declared alias: never by substring and never by taking the closest fuzzy match. A name that does
not match gets suggestions, ranked so that a misspelling's entry comes first and a clinically
different entry that merely looks alike is not offered.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from typing import NamedTuple

from suppcheck.model import Entry, Kind

_APOSTROPHES = "'\u2019\u2018`\u00b4"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Case, accents, spacing, punctuation and possessives do not matter.

    "Sjögren's", "Sjogrens" and "sjogren s" all normalise to "sjogrens".
    """
    return _NON_ALNUM.sub("", _plain(text))


def _plain(text: str) -> str:
    """Lower case, without accents (decomposed, combining marks dropped) or apostrophes."""
    if text.isascii():  # most names: nothing to decompose, and far cheaper than the loop below
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for apostrophe in _APOSTROPHES:
        plain = plain.replace(apostrophe, "")
    return plain


class Vocabulary(NamedTuple):
    """Normalised name -> entry ids, for one kind."""

    kind: Kind
    keys: Mapping[str, tuple[str, ...]]
    entries: Mapping[str, Entry]
    # Normalised names the person confirmed at a terminal prompt ("Did you mean lupus?"):
    # known for this check only, and reported as confirmed rather than as typed names.
    confirmed: frozenset[str] = frozenset()

    @classmethod
    def build(cls, kind: Kind, entries: Mapping[str, Entry]) -> Vocabulary:
        keys: dict[str, list[str]] = {}
        for entry in entries.values():
            for spelling in (entry.id, entry.name, *entry.aliases):
                key = normalise(spelling)
                if key and entry.id not in keys.setdefault(key, []):
                    keys[key].append(entry.id)
        return cls(kind, {k: tuple(sorted(v)) for k, v in keys.items()}, entries)

    def with_confirmed(self, names: Mapping[str, str]) -> Vocabulary:
        """This vocabulary, with each typed name in `names` (name -> entry id, as the person
        confirmed it) known as that entry."""
        if not names:
            return self
        added = {normalise(name): (entry_id,) for name, entry_id in names.items()}
        added = {key: ids for key, ids in added.items() if key and ids[0] in self.entries}
        return self._replace(keys={**self.keys, **added}, confirmed=frozenset(added))

    def lookup(self, text: str) -> tuple[str, ...]:
        return self.keys.get(normalise(text), ())

    def suggest(self, text: str, limit: int = 5) -> tuple[str, ...]:
        """Closest ids first; the user chooses, suppcheck never does (policy: docs/input.md)."""
        return suggestions(self, text)[0][:limit]

    def strong_suggestion(self, text: str) -> str | None:
        """The one entry `text` is a likely misspelling of, or None when there is not exactly one
        (what a terminal may offer as "Did you mean ...? [y/N]")."""
        ranked, strong = suggestions(self, text)
        return ranked[0] if strong else None


# Suggestions. A suggestion is offered only when it explains what was typed:
#   1. a misspelling: the same words, each within a few edits of the typed one (how many depends
#      on the word's length; short words, single letters and numbers must match exactly, so D2 is
#      never offered for D3, MS for MG or type 1 for type 2), or, when the spacing differs, the
#      whole name within a few edits with the same numbers;
#   2. a more general entry: every word of it is in what was typed ("zinc orotate" -> zinc);
#   3. a more specific entry: every typed word (or the start of a word, four letters or more)
#      is in it ("sclerosis" -> multiple sclerosis, systemic sclerosis; "zinc pico" -> zinc
#      picolinate), offered only when no misspelling explains the text.
# In 2 and 3 a word may be misspelt by one edit at most. A name that differs in a whole word
# ("systemic" for "multiple"), has the opposite prefix ("hypo", "hyper") or only looks alike
# ("glutamine", "glucosamine": three edits) is not offered at all. Only a misspelling of exactly
# one entry is "strong".
_WORD = re.compile(r"[a-z]+|[0-9]+")


def words(text: str) -> tuple[str, ...]:
    """The words of a name after normalisation; letters and digits part ("B12" is "b", "12")."""
    return tuple(_WORD.findall(_plain(text)))


def _allowed_edits(length: int) -> int:
    return 0 if length <= 3 else 1 if length <= 7 else 2 if length <= 11 else 3


def _distance(a: str, b: str, bound: int) -> int | None:
    """Edits (insert, delete, substitute, swap two neighbours) from a to b, or None above bound."""
    if a == b:
        return 0
    if bound == 0 or abs(len(a) - len(b)) > bound or a.isdigit() or b.isdigit():
        return None
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > bound:
            return None
        before, previous = previous, current
    return previous[-1] if previous[-1] <= bound else None


# Prefixes that make a word mean the opposite, or another product, however few letters they
# differ in: a prebiotic (fibre that feeds gut bacteria) is not a probiotic (live bacteria).
_OPPOSITES = (("hypo", "hyper"), ("hyper", "hypo"), ("prebio", "probio"), ("probio", "prebio"))


_EDITS: dict[tuple[str, str], int | None] = {}


def _word_edits(typed: str, known: str) -> int | None:
    """Edits if `typed` may be a misspelling of the word `known`, else None (remembered: the
    same words recur across spellings)."""
    pair = (typed, known)
    if pair in _EDITS:
        return _EDITS[pair]
    edits: int | None = None
    shorter, longer = sorted((len(typed), len(known)))
    if not any(typed.startswith(a) and known.startswith(b) for a, b in _OPPOSITES):
        # "typ" for "type" is one edit, but "MS" for "MG" is not a misspelling
        edits = _distance(typed, known, _allowed_edits(longer if shorter >= 3 else shorter))
        if edits is not None and edits >= 2 and typed[0] != known[0]:
            edits = None  # another first letter and more: another name (duloxetine, fluoxetine)
    if len(_EDITS) > 200_000:
        _EDITS.clear()
    _EDITS[pair] = edits
    return edits


def _misspelling(typed: tuple[str, ...], known: tuple[str, ...]) -> int | None:
    """Edits if `typed` is a misspelling of `known` (tier 1 above), else None."""
    if len(typed) == len(known):
        total = 0
        for t, k in zip(typed, known, strict=True):
            edits = _word_edits(t, k)
            if edits is None:
                return None
            total += edits
        return total
    if [w for w in typed if w.isdigit()] != [w for w in known if w.isdigit()]:
        return None
    joined, other = "".join(typed), "".join(known)
    return _distance(joined, other, _allowed_edits(min(len(joined), len(other))))


def _contained(inner: tuple[str, ...], outer: tuple[str, ...], prefix: bool) -> int | None:
    """Edits if each word of `inner` is a different word of `outer` (or, with `prefix`, the
    start of one, four letters or more), else None."""
    free = list(outer)
    total = 0
    for word in inner:
        best: tuple[int, int] | None = None
        for at, candidate in enumerate(free):
            edits = _word_edits(word, candidate)
            if edits is not None and edits > 1:  # a word that only looks alike explains nothing
                edits = None  # ("Caltrate" is not the "citrate" of calcium citrate)
            if edits is None and prefix and len(word) >= 4 and candidate.startswith(word):
                edits = 1
            if edits is not None and (best is None or edits < best[0]):
                best = (edits, at)
        if best is None:
            return None
        total += best[0]
        del free[best[1]]
    return total


class _Index(NamedTuple):
    spellings: list[tuple[tuple[str, ...], str]]  # (words, entry id) of every id, name, alias
    by_word: dict[str, list[int]]  # word -> the spellings holding it
    by_letter: dict[str, list[int]]  # first letter -> the spellings starting with it


_INDEXES: dict[int, tuple[Mapping[str, Entry], _Index]] = {}


def _index(vocabulary: Vocabulary) -> _Index:
    """Made when first needed: only a name that is not known needs it."""
    held = _INDEXES.get(id(vocabulary.entries))
    if held is not None and held[0] is vocabulary.entries:
        return held[1]
    found: dict[tuple[tuple[str, ...], str], None] = {}
    for entry in vocabulary.entries.values():
        for spelling in (entry.id, entry.name, *entry.aliases):
            split = words(spelling)
            if split:
                found[split, entry.id] = None
    index = _Index(list(found), {}, {})
    for at, (split, _) in enumerate(index.spellings):
        for word in set(split):
            index.by_word.setdefault(word, []).append(at)
        index.by_letter.setdefault(split[0][0], []).append(at)
    if len(_INDEXES) > 16:
        _INDEXES.clear()
    _INDEXES[id(vocabulary.entries)] = (vocabulary.entries, index)
    return index


def suggestions(vocabulary: Vocabulary, text: str) -> tuple[tuple[str, ...], bool]:
    """Entry ids ranked as the comment above says, and whether the first is strong."""
    typed = words(text)
    if not typed:
        return (), False
    index = _index(vocabulary)
    # Only spellings that share a word (give or take a misspelling) or a first letter can match.
    near: set[int] = set(index.by_letter.get(typed[0][0], ()))
    for word, holders in index.by_word.items():
        if any(
            _word_edits(t, word) is not None or (len(t) >= 4 and word.startswith(t)) for t in typed
        ):
            near.update(holders)
    best: dict[str, tuple[int, int, int, float]] = {}
    spelt: dict[str, tuple[str, ...]] = {}  # the spelling that gave each entry its rank
    for at in near:
        known, entry_id = index.spellings[at]
        rank: tuple[int, int, int, float] | None = None
        edits = _misspelling(typed, known)
        if edits is not None:
            rank = (0, edits, 0, 0.0)
        elif len(known) < len(typed):
            edits = _contained(known, typed, prefix=False)
            if edits is not None:  # the more of the typed words it explains, the better
                rank = (1, len(typed) - len(known), edits, 0.0)
        else:
            edits = _contained(typed, known, prefix=True)
            if edits is not None:  # the fewer words it adds, the better
                rank = (2, len(known) - len(typed), edits, 0.0)
        if rank is not None:
            ratio = difflib.SequenceMatcher(None, "".join(typed), "".join(known)).ratio()
            rank = (*rank[:3], -ratio)
            if entry_id not in best or rank < best[entry_id]:
                best[entry_id] = rank
                spelt[entry_id] = known
    ranked = sorted(best, key=lambda entry_id: (best[entry_id], entry_id))
    misspelt = [entry_id for entry_id in ranked if best[entry_id][0] == 0]
    if misspelt:  # a misspelling explains the text: the more specific entries are noise
        ranked = [entry_id for entry_id in ranked if best[entry_id][0] < 2]
    strong = len(misspelt) == 1 and _typo_of(typed, spelt[misspelt[0]])
    return tuple(ranked), strong


def _typo_of(typed: tuple[str, ...], known: tuple[str, ...]) -> bool:
    """Whether `typed` reads as a slip of the keyboard on `known`, enough to ask "Did you mean"
    (a terminal's y/N): every misspelt word keeps its first letter and has five letters or more.
    A different first letter is more often another name (duloxetine, fluoxetine; fludrocortisone,
    hydrocortisone), and a short word or abbreviation another thing (Goli, goji; PASC, PSC): those
    are still listed as suggestions, never asked about."""
    if len(typed) != len(known):
        return False  # spacing differs: list it, do not ask
    return all(t == k or (len(t) >= 5 and t[0] == k[0]) for t, k in zip(typed, known, strict=True))
