"""Units of amount and the only conversions suppcheck ever makes.

Mass units convert among themselves. IU, mcg DFE (folate) and mcg RAE (vitamin A), the units US
labels print, convert only through a factor the rule base declares and cites for that nutrient or
form (it differs from nutrient to nutrient, and for IU from form to form); CFU never converts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from suppcheck.model import Conversion

UNITS = ("mg", "mcg", "g", "IU", "CFU", "mcg DFE", "mcg RAE")
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
    "i.u": "IU",  # "2000 I.U." once its full stop is read as the end of the sentence
    "i.u.": "IU",
    "ie": "IU",
    "cfu": "CFU",
    "cfus": "CFU",
}
_LABEL_UNITS = {"dfe": "mcg DFE", "rae": "mcg RAE"}
_MICRO = re.compile(r"^(?:mcg|ug|\u00b5g|\u03bcg|micrograms?)\s*(dfe|rae)$")
# A dose above this many grams a day of any nutrient is not a supplement dose but a slip of the
# unit ("50 kg of zinc"): it is refused rather than counted. 1 kg is far above any label.
_MAX_GRAMS_A_DAY = 1_000.0
# The same guard for counted units: far above any product (the largest vitamin D doses are
# hundreds of thousands of IU; the largest probiotic products about a trillion CFU). A guard
# against a slip of the unit or a zero too many, not a clinical limit.
_MAX_COUNTED = {"IU": 1e8, "CFU": 1e14, "mcg DFE": 1e9, "mcg RAE": 1e9}


def canonical_unit(text: str) -> str | None:
    """'µg', 'ug' and 'micrograms' are all 'mcg'; 'mcg dfe' is 'mcg DFE'; None for a unit
    suppcheck does not know."""
    key = text.strip().lower()
    label = _MICRO.match(key)
    if label is not None:
        return _LABEL_UNITS[label.group(1)]
    return SPELLINGS.get(key)


def implausible(amount: float, unit: str) -> str | None:
    """A sentence when `amount` of `unit` a day cannot be a supplement dose, else None."""
    if unit in _MASS_IN_MCG and amount * _MASS_IN_MCG[unit] > _MAX_GRAMS_A_DAY * 1_000_000:
        return f"more than {_MAX_GRAMS_A_DAY:,.0f} g a day"
    if unit in _MAX_COUNTED and amount > _MAX_COUNTED[unit]:
        return f"more than {_MAX_COUNTED[unit]:,.0f} {unit} a day"
    return None


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
