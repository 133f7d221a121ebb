"""Units of amount and the only conversions suppcheck ever makes.

Mass units convert among themselves. IU converts only through a factor the rule base declares
for that nutrient (it differs from nutrient to nutrient), and CFU never converts.
"""

from __future__ import annotations

from collections.abc import Sequence

from suppcheck.model import Conversion

UNITS = ("mg", "mcg", "g", "IU", "CFU")
_MASS_IN_MCG = {"mcg": 1.0, "mg": 1_000.0, "g": 1_000_000.0}

SPELLINGS = {
    "mg": "mg",
    "milligram": "mg",
    "milligrams": "mg",
    "mcg": "mcg",
    "ug": "mcg",
    "\u00b5g": "mcg",
    "\u03bcg": "mcg",
    "microgram": "mcg",
    "micrograms": "mcg",
    "g": "g",
    "gram": "g",
    "grams": "g",
    "gm": "g",
    "iu": "IU",
    "i.u.": "IU",
    "ie": "IU",
    "cfu": "CFU",
    "cfus": "CFU",
}


def canonical_unit(text: str) -> str | None:
    """'µg', 'ug' and 'micrograms' are all 'mcg'; None for a unit suppcheck does not know."""
    return SPELLINGS.get(text.strip().lower())


def convert(
    amount: float, unit: str, target: str, conversions: Sequence[Conversion] = ()
) -> float | None:
    """`amount` of `unit` expressed in `target`, or None when no conversion is declared.

    `target` is the nutrient's canonical unit (or a unit reachable from it by mass); each declared
    conversion says how many canonical units one `conversion.unit` is.
    """
    if unit == target:
        return amount
    if unit in _MASS_IN_MCG and target in _MASS_IN_MCG:
        return amount * _MASS_IN_MCG[unit] / _MASS_IN_MCG[target]
    for conversion in conversions:
        if conversion.unit == unit:  # e.g. IU -> mcg for vitamin D
            return amount * conversion.factor
        if conversion.unit == target:  # e.g. mcg -> IU, to show a limit in the unit typed
            return amount / conversion.factor
    return None
