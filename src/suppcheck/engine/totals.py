"""Daily nutrient totals: each nutrient added up over every product, in the nutrient's own
unit, with declared conversions only, and the notes about what could not be added."""

from __future__ import annotations

from suppcheck import units
from suppcheck.model import (
    ContentAmount,
    Entry,
    Kind,
    NutrientTotal,
    Profile,
    Resolved,
    format_amount,
)
from suppcheck.rules.rulebase import RuleBase


def daily_totals(
    base: RuleBase,
    profile: Profile,
    adds_to: dict[str, tuple[tuple[str, ContentAmount | None], ...]],
    limits: dict[str, float | None],
) -> tuple[dict[str, NutrientTotal], list[str], list[str]]:
    """Each nutrient's daily amount across all products, in the nutrient's own unit.

    A supplement counts with the dose the person gave; a product whose contents the rule base
    lists counts with those amounts. Also returns the amounts that could not be converted: from
    what the person typed (not understood: they change the exit status) and from listed
    contents (the rule base's own gap: a note).

    `adds_to` and `limits` keep, across checks, what depends on the rule base alone: the totals
    each supplement adds to, and each nutrient's upper limit in its own unit.
    """
    # nutrient id -> [(product, amount or None when no dose was given, unit, typed by the person)]
    grouped: dict[str, list[tuple[Resolved, float | None, str, bool]]] = {}
    for item in profile.supplements:
        added = adds_to.get(item.id)
        if added is None:
            added = adds_to[item.id] = _nutrients_added(base, item.id)
        for nutrient_id, listed in added:
            if listed is not None:
                grouped.setdefault(nutrient_id, []).append(
                    (item, listed.amount, listed.unit, False)
                )
            else:
                dose = item.dose
                grouped.setdefault(nutrient_id, []).append(
                    (item, dose.amount if dose else None, dose.unit if dose else "", True)
                )
    totals: dict[str, NutrientTotal] = {}
    not_added: list[str] = []
    notes: list[str] = []
    if not grouped:
        return totals, not_added, notes
    for nutrient_id, items in sorted(grouped.items()):
        entry = base.entry(Kind.SUPPLEMENT, nutrient_id)
        assert entry.nutrient is not None
        unit = entry.nutrient.unit
        limit = entry.nutrient.upper_limit
        products: list[tuple[str, float]] = []
        without_dose: list[str] = []
        for item, amount, amount_unit, typed in items:
            if amount is None:
                without_dose.append(item.name)
                continue
            converted = units.convert(amount, amount_unit, unit, entry.nutrient.conversions)
            if converted is not None:
                products.append((item.name, converted))
                continue
            reason = (
                f"{amount_unit} cannot be converted to {unit} for {entry.nutrient.measure} (the "
                "rule base declares no such conversion), so it was not added to the daily total"
            )
            if typed:
                not_added.append(f"{item.input}: {reason}")
            else:
                notes.append(
                    f"{item.name} lists {format_amount(amount)} {amount_unit} of {entry.name}: "
                    f"{reason}."
                )
        totals[nutrient_id] = NutrientTotal(  # positional, in field order (see Report)
            nutrient_id,
            entry.name,
            unit,
            sum([amount for _, amount in products]),
            tuple(products),
            tuple(without_dose),
            limit,
            _limit_in_unit(entry, limits),
        )
    return totals, not_added, notes


def _nutrients_added(
    base: RuleBase, supplement_id: str
) -> tuple[tuple[str, ContentAmount | None], ...]:
    """(nutrient id, None for the dose the person gives or the amount a product lists) for each
    nutrient total that a supplement adds to."""
    added: list[tuple[str, ContentAmount | None]] = []
    nutrient_entry = base.nutrient_of(supplement_id)
    if nutrient_entry is not None:
        added.append((nutrient_entry.id, None))
    contents = base.entry(Kind.SUPPLEMENT, supplement_id).contents
    for listed in contents.amounts if contents else ():
        listed_nutrient = base.nutrient_of(listed.supplement)
        if listed_nutrient is not None:
            added.append((listed_nutrient.id, listed))
    return tuple(added)


def _limit_in_unit(nutrient: Entry, limits: dict[str, float | None]) -> float | None:
    """The nutrient's upper limit in its own unit (None without a limit)."""
    if nutrient.id not in limits:
        assert nutrient.nutrient is not None
        limit = nutrient.nutrient.upper_limit
        limits[nutrient.id] = (
            None
            if limit is None
            else units.convert(
                limit.amount, limit.unit, nutrient.nutrient.unit, nutrient.nutrient.conversions
            )
        )
    return limits[nutrient.id]


def total_notes(totals: dict[str, NutrientTotal]) -> list[str]:
    notes = []
    for total in totals.values():
        limit = total.upper_limit
        if limit is None or not total.without_dose:
            continue
        missing = ", ".join(total.without_dose)
        notes.append(
            f"No dose was given for {missing}, so the daily total of {total.name.lower()} "
            f"could not be fully compared with its upper limit "
            f"({format_amount(limit.amount)} {limit.unit} a day for {limit.population}). "
            'Give the amount per day after the name, as on the label: "NAME AMOUNT UNIT".'
        )
    return notes
