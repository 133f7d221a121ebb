"""Suggestions for names that are not known: safe (a clinically different entry is never the
closest match) and ranked (the intended entry first for common misspellings)."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from suppcheck.engine import resolve as names
from suppcheck.model import Kind, Unresolved
from suppcheck.rules import loader
from suppcheck.rules.vocabulary import words

BASE = loader.load()
VOCAB = BASE.vocabularies()

# (kind, typed, the entry that must come first)
FIRST = [
    (Kind.SUPPLEMENT, "ashwaganda", "ashwagandha"),
    (Kind.SUPPLEMENT, "turmerik", "turmeric"),
    (Kind.SUPPLEMENT, "magnesuim", "magnesium"),
    (Kind.SUPPLEMENT, "melatonine", "melatonin"),
    (Kind.SUPPLEMENT, "echinachea", "echinacea"),
    (Kind.SUPPLEMENT, "probiotc", "probiotic"),
    (Kind.SUPPLEMENT, "vitamine D", "vitamin-d"),
    (Kind.SUPPLEMENT, "vitamn D", "vitamin-d"),
    (Kind.SUPPLEMENT, "vitamn d3", "vitamin-d3"),
    (Kind.SUPPLEMENT, "potassium", "potassium"),
    (Kind.SUPPLEMENT, "zinc picolinat", "zinc-picolinate"),
    (Kind.SUPPLEMENT, "zinc orotat", "zinc-orotate"),
    (Kind.CONDITION, "hashimotos diesase", "hashimotos-thyroiditis"),
    (Kind.CONDITION, "rhuematoid arthritis", "rheumatoid-arthritis"),
    (Kind.CONDITION, "systemic sclerosis", "systemic-sclerosis"),
    (Kind.CONDITION, "systemic sclerosys", "systemic-sclerosis"),
    (Kind.CONDITION, "multipel sclerosis", "multiple-sclerosis"),
    (Kind.CONDITION, "hypothyroidism", "hypothyroidism"),
    (Kind.CONDITION, "hypothyroidsm", "hypothyroidism"),
    (Kind.CONDITION, "hyperthyroidsm", "hyperthyroidism"),
    (Kind.CONDITION, "psoriasis arthritis", "psoriatic-arthritis"),
    (Kind.CONDITION, "lupsu", "lupus"),
    (Kind.CONDITION, "typ 1 diabetes", "type-1-diabetes"),
    (Kind.MEDICATION, "methotrexat", "methotrexate"),
    (Kind.MEDICATION, "plaquenill", "hydroxychloroquine"),
    (Kind.MEDICATION, "predisone", "prednisone"),
    (Kind.MEDICATION, "prednisolon", "prednisolone"),
]

# (kind, typed, entries that must never be first: a different disease, salt, plant or form)
NEVER_FIRST = [
    (Kind.CONDITION, "systemic sclerosis", {"multiple-sclerosis"}),
    (Kind.CONDITION, "systemic sclerosys", {"multiple-sclerosis"}),
    (Kind.CONDITION, "hypothyroidism", {"graves-disease", "hyperthyroidism"}),
    (Kind.CONDITION, "hypothyroidsm", {"graves-disease", "hyperthyroidism"}),
    (Kind.CONDITION, "typ 1 diabetes", {"type-2-diabetes"}),
    (Kind.SUPPLEMENT, "potassium", {"potassium-iodide"}),
    (Kind.SUPPLEMENT, "glutamine", {"glucosamine"}),
    (Kind.SUPPLEMENT, "Caltrate", {"calcium-citrate"}),
    (Kind.SUPPLEMENT, "vitamine D", {"vitamin-e"}),
    (Kind.SUPPLEMENT, "vitamin d 3", {"vitamin-d2"}),
    (Kind.SUPPLEMENT, "zinc citrat", {"calcium-citrate", "magnesium-citrate"}),
]


@pytest.mark.parametrize(("kind", "typed", "expected"), FIRST)
def test_the_intended_entry_comes_first(kind: Kind, typed: str, expected: str) -> None:
    assert VOCAB[kind].suggest(typed)[0] == expected


@pytest.mark.parametrize(("kind", "typed", "forbidden"), NEVER_FIRST)
def test_a_clinically_different_entry_is_never_first(
    kind: Kind, typed: str, forbidden: set[str]
) -> None:
    offered = VOCAB[kind].suggest(typed)
    assert not offered or offered[0] not in forbidden, offered


@pytest.mark.parametrize(
    ("kind", "typed", "absent"),
    [
        (Kind.SUPPLEMENT, "glutamine", "glucosamine"),  # three edits: a different supplement
        (Kind.SUPPLEMENT, "Caltrate", "calcium-citrate"),  # Caltrate is calcium carbonate
        (Kind.CONDITION, "hypothyroidsm", "hyperthyroidism"),  # the opposite
        (Kind.CONDITION, "systemic sclerosys", "multiple-sclerosis"),  # another disease
        (Kind.CONDITION, "MG", "multiple-sclerosis"),  # abbreviations must match exactly
        (Kind.MEDICATION, "duloxetine", "fluoxetine"),  # another first letter: another drug
        (Kind.MEDICATION, "fludrocortisone", "hydrocortisone"),
        (Kind.SUPPLEMENT, "prebiotic", "probiotic"),  # fibre, not live bacteria
    ],
)
def test_look_alikes_are_not_offered_at_all(kind: Kind, typed: str, absent: str) -> None:
    assert absent not in VOCAB[kind].suggest(typed)


def test_a_shared_generic_word_gives_several_and_no_single_guess() -> None:
    vocabulary = VOCAB[Kind.CONDITION]
    offered = vocabulary.suggest("sclerosis")
    assert {"multiple-sclerosis", "systemic-sclerosis"} <= set(offered)
    assert vocabulary.strong_suggestion("sclerosis") is None
    assert VOCAB[Kind.SUPPLEMENT].strong_suggestion("vitamin") is None
    assert len(VOCAB[Kind.SUPPLEMENT].suggest("vitamin")) == 5


def test_an_unknown_salt_offers_its_mineral() -> None:
    assert VOCAB[Kind.SUPPLEMENT].suggest("zinc unobtainate") == ("zinc",)


@pytest.mark.parametrize(
    ("kind", "typed", "strong"),
    [
        (Kind.CONDITION, "lupsu", "lupus"),
        (Kind.SUPPLEMENT, "ashwaganda", "ashwagandha"),
        (Kind.MEDICATION, "methotrexat", "methotrexate"),
        (Kind.CONDITION, "sclerosis", None),
        (Kind.SUPPLEMENT, "zinc pico", None),  # the start of a word is a hint, not a misspelling
        (Kind.SUPPLEMENT, "glutamin", "l-glutamine"),  # glutamine is known now
        (Kind.SUPPLEMENT, "Goli", None),  # a brand, not goji: short words are never asked about
        (Kind.CONDITION, "kupus", None),  # another first letter: listed, never asked about
    ],
)
def test_only_a_misspelling_of_exactly_one_entry_is_strong(
    kind: Kind, typed: str, strong: str | None
) -> None:
    assert VOCAB[kind].strong_suggestion(typed) == strong


def test_a_misspelling_is_never_applied() -> None:
    result = names.resolve_name(VOCAB[Kind.CONDITION], "hashimotos diesase")
    assert isinstance(result, Unresolved)
    assert result.suggestions == ("hashimotos-thyroiditis",)


# The property: a typo in one word of a known name is never answered with an entry that differs
# from what was typed in a whole word ("systemic" for "multiple").
SPELLINGS = sorted(
    (kind, spelling, entry.id)
    for kind in Kind
    for entry in BASE.entries[kind].values()
    for spelling in (entry.name, *entry.aliases)
    if any(len(w) >= 5 and w.isalpha() for w in words(spelling))
)


def _levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def _differs_in_a_whole_word(typed: tuple[str, ...], known: tuple[str, ...]) -> bool:
    if len(typed) != len(known):
        return True
    for t, k in zip(typed, known, strict=True):
        if len(t) <= 3 or t.isdigit():
            if t != k:
                return True
        elif _levenshtein(t, k) > 3:
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(SPELLINGS),
    st.integers(min_value=0),
    st.integers(min_value=0),
    st.sampled_from(["insert", "delete", "replace", "swap"]),
    st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
)
def test_a_typo_never_suggests_an_entry_differing_in_a_whole_word(
    picked: tuple[Kind, str, str], which: int, where: int, edit: str, letter: str
) -> None:
    kind, spelling, _ = picked
    split = list(words(spelling))
    long_words = [i for i, w in enumerate(split) if len(w) >= 5 and w.isalpha()]
    i = long_words[which % len(long_words)]
    word = split[i]
    at = where % (len(word) - 1)
    split[i] = {
        "insert": word[:at] + letter + word[at:],
        "delete": word[:at] + word[at + 1 :],
        "replace": word[:at] + letter + word[at + 1 :],
        "swap": word[:at] + word[at + 1] + word[at] + word[at + 2 :],
    }[edit]
    typed = " ".join(split)
    vocabulary = VOCAB[kind]
    assume(not vocabulary.lookup(typed))
    offered = vocabulary.suggest(typed)
    assert offered, typed  # one edit in a long word is always explained
    first = BASE.entries[kind][offered[0]]
    spellings = (first.id, first.name, *first.aliases)
    typed_words = words(typed)
    assert any(not _differs_in_a_whole_word(typed_words, words(s)) for s in spellings), (
        typed,
        offered,
    )


def test_the_property_covers_every_kind() -> None:
    assert {kind for kind, _, _ in SPELLINGS} == set(Kind)
    assert all(re.fullmatch(r"[a-z0-9]+", w) for _, s, _ in SPELLINGS[:50] for w in words(s))
