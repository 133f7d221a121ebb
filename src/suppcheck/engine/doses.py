"""Doses as labels and people write them: "25 mg twice daily", "2 x 500 mg", "1 tablet (125 mcg)",
"50,000 IU weekly", "10 billion CFU", with time words ("at night", "with breakfast") ignored.

The result is an amount a day. A weekly or fortnightly amount becomes a daily average, and the
arithmetic is kept so the report can show it. A writing this grammar cannot read is a problem
sentence, never a guess: "2 capsules" with no strength has no amount to count.

Written by hand rather than with a parsing library: the grammar is small, and the CLI imports
this module on every check that names a dose (start-up matters).
"""

from __future__ import annotations

import functools
import re

from suppcheck import units
from suppcheck.model import Dose, format_amount
from suppcheck.printable import readable

MAX_AMOUNT = 1e15  # above any real label; larger is a typing slip, not a dose
MAX_COUNT = 100  # tablets or times a day: more is a typing slip
_UNITS_HINT = "use mg, mcg, g, IU, CFU, mcg DFE or mcg RAE"

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_SCALES = {"billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}
_WORD_NUMBERS = {
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "half": 0.5,
    "a": 1.0,
    "an": 1.0,
}
_FORMS = (
    r"tablets?|tabs?|capsules?|caps?|softgels?|soft\s?gels?|gel\s?caps?|gummies|gummy|drops?|"
    r"lozenges?|scoops?|sachets?|chewables?|pills?|servings?|sprays?|packets?|vegcaps?|teaspoons?|"
    r"tsp|ml"
)
# A strength: an amount, an optional scale ("10 billion"), a unit (one word, or a labelled
# folate/vitamin A unit of two words).
_STRENGTH = re.compile(
    rf"""(?P<amount>{_NUMBER})\s*
    (?:(?P<scale>billion|million|thousand|bn|b|m|k)(?![a-z\u00b5\u03bc]))?\s*
    (?P<unit>(?:mcg|\u00b5g|\u03bcg|ug|micrograms?)\s*(?:dfe|rae)|[^\W\d][\w.\u00b5\u03bc]*)?""",
    re.VERBOSE,
)
# Counts in front of a strength: "2 x", "2 capsules (of)", "one tablet".
_COUNT = re.compile(
    rf"""^(?P<count>\d+(?:\.\d+)?|one|two|three|four|half|an?)\s*
    (?:(?P<form>{_FORMS})\b\s*(?:of\b\s*)?(?:x\b\s*)?|x\s*|\u00d7\s*)""",
    re.VERBOSE,
)
# Words that say when, not how much: kept in the input, ignored for the amount.
_TIME_WORDS = re.compile(
    r"""\b(?:at\s+(?:night|bedtime|breakfast|lunch|dinner|supper)|before\s+(?:bed|sleep|meals?)|
    in\s+the\s+(?:morning|evening|afternoon)|with\s+(?:breakfast|lunch|dinner|supper|food|meals?|water)|
    on\s+an\s+empty\s+stomach|after\s+(?:meals?|food|breakfast|dinner)|mornings?|evenings?|
    as\s+needed|prn)\b""",
    re.VERBOSE,
)
_TIMES = {"once": 1, "twice": 2, "thrice": 3}
# (pattern, times per day or a function of the matched number); the first that matches wins.
_FREQUENCIES: tuple[tuple[re.Pattern[str], float | None, str], ...] = tuple(
    (re.compile(rf"^(?:{pattern})$", re.VERBOSE), per_day, said)
    for pattern, per_day, said in (
        (
            r"|daily|a\s*day|per\s*day|/\s*d(?:ay)?|each\s+day|every\s+day|once\s+(?:a\s+|per\s+)?day|"
            r"once\s+daily|qd|q\.d\.|od|o\.d\.|nightly|every\s+(?:night|morning)|1\s*x\s*(?:daily|/\s*day|a\s*day)",
            1.0,
            "once a day",
        ),
        (
            r"twice\s+(?:a\s+|per\s+)?day|twice\s+daily|bid|b\.i\.d\.?|2\s*x\s*(?:daily|/\s*day|a\s*day)|"
            r"x\s*2\s*(?:daily|a\s*day|/\s*day)?|(?:2|two)\s+times\s+(?:a\s+|per\s+)?day|(?:2|two)\s+times\s+daily|"
            r"every\s+12\s+hours|q12h",
            2.0,
            "twice a day",
        ),
        (
            r"(?:three\s+times|thrice|3\s*x|3\s+times)\s*(?:a\s+|per\s+)?(?:day|daily)|tid|t\.i\.d\.?|x\s*3\s*(?:daily)?|"
            r"every\s+8\s+hours|q8h",
            3.0,
            "three times a day",
        ),
        (
            r"(?:four\s+times|4\s*x|4\s+times)\s*(?:a\s+|per\s+)?(?:day|daily)|qid|q\.i\.d\.?|every\s+6\s+hours|q6h",
            4.0,
            "four times a day",
        ),
        (
            r"every\s+other\s+day|every\s+(?:second|2nd|2)\s+days?|on\s+alternate\s+days|alternate\s+days|qod",
            0.5,
            "every other day",
        ),
        (
            r"weekly|once\s+(?:a\s+|per\s+)?week|once\s+weekly|a\s+week|per\s+week|/\s*w(?:ee)?k|"
            r"every\s+week|each\s+week|1\s*x\s*(?:/\s*|a\s+|per\s+)?week",
            1 / 7,
            "once a week",
        ),
        (
            r"(?:twice|2\s*x|two\s+times|2\s+times)\s*(?:a\s+|per\s+|/\s*)?week|twice\s+weekly",
            2 / 7,
            "twice a week",
        ),
        (
            r"(?:three\s+times|3\s*x|3\s+times)\s*(?:a\s+|per\s+|/\s*)?week|three\s+times\s+weekly",
            3 / 7,
            "three times a week",
        ),
        (
            r"every\s+(?:two|2|other)\s+weeks?|once\s+every\s+(?:two|2)\s+weeks|fortnightly|once\s+a\s+fortnight",
            1 / 14,
            "every two weeks",
        ),
    )
)
# "Biweekly" means twice a week to some and every two weeks to others; a month has no fixed
# number of days. Both are asked for in other words rather than guessed.
_AMBIGUOUS = re.compile(
    r"^(?:bi-?weekly|bi-?monthly|monthly|once\s+a\s+month|a\s+month|per\s+month|every\s+month)$"
)
_STARTS_LIKE_DOSE = re.compile(r"^[-\u2212+]?\s*\.?\d")
_NEGATIVE = re.compile(r"^\s*[-\u2212]\s*\d")
_EXPONENT = re.compile(r"\d[eE][-+]?\d")
# "2 capsules (200 mg)": on a label the serving's amount, but people also write it for each one.
_IN_BRACKETS = re.compile(r"[(\[]\s*\.?\d")
_EACH = re.compile(r"^(?:each|per\b|apiece|x\b|\u00d7)")
# "50.000": fifty, or fifty thousand as much of Europe writes it? Never guessed. A decimal is
# seldom written with a trailing zero, so "40.001" (or "0.125") is read as the decimal it looks.
_THOUSANDS_POINT = re.compile(r"^[1-9]\d{0,2}\.\d{2}0$")


def looks_like_dose(text: str) -> bool:
    """Whether `text` (what follows a known name) is meant as a dose: it starts with a number,
    a count ("two capsules") or says how often ("twice daily"). "zinc pico" is not a dose of
    zinc but a misspelt name, and gets suggestions instead."""
    tail = _clean(text)
    return bool(
        _STARTS_LIKE_DOSE.match(text.strip(" \t:=@,;([")) or _COUNT.match(tail)
    ) or not isinstance(_frequency(tail), str)


def parse_dose(text: str) -> Dose | str:
    """The daily amount in a dose writing (everything after the name), or a problem sentence."""
    shown = readable(text.strip())
    if _NEGATIVE.match(text):
        return f"the amount in {shown!r} must be a positive number"
    if _EXPONENT.search(text):
        return f"{shown!r} is written in scientific notation: write the amount as the label does"
    tail = _clean(text)
    if not tail:
        return f"no amount in {shown!r}"
    count = 1.0
    form: str | None = None
    leading = _COUNT.match(tail)
    if leading is not None:
        count = _count(leading.group("count"))
        form = leading.group("form")
        tail = tail[leading.end() :].strip()
    strength = _STRENGTH.match(tail)
    if strength is None:
        if form is not None:
            return (
                f"{shown!r} gives a number of {_plural(form)} but not the amount in each: "
                f'add it as on the label ("2 capsules x 500 mg")'
            )
        return f"cannot read a dose in {shown!r} ({_UNITS_HINT}, optionally how often)"
    rest = tail[strength.end() :].strip()
    multiplied = leading is not None and re.search(r"(?:x|\u00d7)\s*$", leading.group(0))
    if (
        leading is not None
        and count != 1.0
        and not multiplied
        and _IN_BRACKETS.search(text)
        and not _EACH.match(rest)
    ):
        amount_text = f"{strength.group('amount')} {(strength.group('unit') or '').strip()}".strip()
        return (
            f"{shown!r} could mean {amount_text} in all, or {amount_text} in each: write "
            f'"{format_amount(count)} {_plural(form or "unit")} x {amount_text}" or "{amount_text}"'
        )
    # A second amount in a unit suppcheck knows, as US labels print vitamin D: "125 mcg
    # (5,000 IU)" is one amount in two units.
    equivalent = _STRENGTH.match(rest)
    also_unit = units.canonical_unit(equivalent.group("unit") or "") if equivalent else None
    if equivalent is not None and also_unit is not None and not equivalent.group("scale"):
        rest = rest[equivalent.end() :].strip()
    else:
        equivalent = None
    after = re.match(r"^(?:each|per\s+(?:" + _FORMS + r"))\b\s*", rest)
    if after is not None:
        rest = rest[after.end() :].strip()
    trailing = re.match(r"^(?:x|\u00d7)\s*(\d+)\b(?!\s*(?:daily|a\s*day|/\s*day|times))\s*", rest)
    if trailing is not None and leading is None:
        count = float(trailing.group(1))
        rest = rest[trailing.end() :].strip()
    frequency = _frequency(rest)
    if isinstance(frequency, str):
        return f"{frequency} in {shown!r}"
    per_day, said = frequency
    unit_text = strength.group("unit")
    if unit_text is None:
        return f"the amount in {shown!r} has no unit ({_UNITS_HINT})"
    unit = units.canonical_unit(unit_text)
    if unit is None:
        return f"unknown unit {readable(unit_text)!r} in {shown!r} ({_UNITS_HINT})"
    written = strength.group("amount")
    if _THOUSANDS_POINT.match(written):
        whole, part = written.split(".")
        decimal = f"{whole}.{part.rstrip('0')}" if part.rstrip("0") else whole
        return (
            f"the amount in {shown!r} could be {decimal} or {whole},{part}: write {whole}{part} "
            f"(or {whole},{part}) for the larger, {decimal} for the smaller"
        )
    try:
        amount = float(written.replace(",", ""))
    except ValueError:  # the pattern admits only digits, commas and a point; kept for safety
        return f"cannot read the amount in {shown!r}"
    if strength.group("scale"):
        amount *= _SCALES[strength.group("scale")]
    if not 0 < count <= MAX_COUNT:
        return f"the count in {shown!r} must be between 1 and {MAX_COUNT}"
    daily = amount * count * per_day
    if not amount > 0 or not daily <= MAX_AMOUNT:
        return f"the amount in {shown!r} must be a positive number"
    problem = units.implausible(daily, unit)
    if problem is not None:
        return f"{problem} in {shown!r}: check the unit"
    arithmetic = _arithmetic(count, form, amount, unit, said, daily)
    if equivalent is not None:  # never dropped silently: say which of the two was counted
        counted = arithmetic or f"{format_amount(daily)} {unit} a day"
        also = f"{equivalent.group('amount')} {also_unit}"
        arithmetic = f"{counted} (also given as {also}, not added again)"
    return Dose(daily, unit, arithmetic)


def dose_from_parts(shown_as: str, amount: float, unit_text: str) -> Dose | str:
    """A dose given as a number and a unit (a regimen file's `{name, amount, unit}`): the same
    checks as a written dose, without printing the number and reading it back."""
    shown = readable(shown_as)
    scale, _, rest = unit_text.strip().partition(" ")  # "billion CFU", as labels say
    if rest and scale.lower() in _SCALES:
        amount, unit_text = amount * _SCALES[scale.lower()], rest
    unit = units.canonical_unit(unit_text)
    if unit is None:
        return f"unknown unit {readable(unit_text)!r} in {shown!r} ({_UNITS_HINT})"
    if not amount > 0:
        return f"the amount in {shown!r} must be a positive number"
    if amount > MAX_AMOUNT:
        return f"the amount in {shown!r} is larger than any label gives: check it"
    problem = units.implausible(amount, unit)
    if problem is not None:
        return f"{problem} in {shown!r}: check the unit"
    return Dose(amount, unit)


@functools.lru_cache(maxsize=1024)  # looks_like_dose, then parse_dose, clean the same text
def _clean(text: str) -> str:
    tail = text.strip().casefold().replace("\u00d7", " x ")
    tail = re.sub(r"[()\[\]]", " ", tail)
    tail = _TIME_WORDS.sub(" ", tail)
    tail = re.sub(r"^[\s:=@,;-]+", "", tail)
    # A trailing full stop ends a sentence; a leading point starts a number (".5 mg").
    return re.sub(r"\s+", " ", tail).strip(" ,;").rstrip(" .,;")


def _count(word: str) -> float:
    return _WORD_NUMBERS[word] if word in _WORD_NUMBERS else float(word)


def _frequency(rest: str) -> tuple[float, str | None] | str:
    rest = rest.strip(" ,;")
    if not rest:
        return 1.0, None
    if _AMBIGUOUS.match(rest):
        return (
            f"{rest!r} is not a fixed number of days (write the amount a day or a week, or "
            '"every two weeks")'
        )
    for pattern, per_day, said in _FREQUENCIES:
        if pattern.match(rest):
            assert per_day is not None
            return per_day, (None if per_day == 1.0 and rest in ("", "daily") else said)
    return f"cannot read how often {readable(rest)!r} is"


def _plural(form: str) -> str:
    return form if form.endswith("s") else form + "s"


def _arithmetic(
    count: float, form: str | None, amount: float, unit: str, said: str | None, daily: float
) -> str | None:
    """How the daily amount was worked out, when it is not simply what was typed."""
    if count == 1.0 and said in (None, "once a day"):
        return None
    parts = []
    strength = f"{format_amount(amount)} {unit}"
    if count != 1.0 or form:
        what = _plural(form) if form and count != 1.0 else (form or "")
        parts.append(f"{format_amount(count)} {what} x {strength}".replace("  ", " "))
    else:
        parts.append(strength)
    if said:
        parts.append(said)
    average = " (a daily average)" if said and ("week" in said or "other day" in said) else ""
    return f"{', '.join(parts)} = {format_amount(round(daily, 3))} {unit} a day{average}"
