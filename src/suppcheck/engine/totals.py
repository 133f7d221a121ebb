"""Daily nutrient totals: each nutrient added up over every product, in the nutrient's own
unit, with declared conversions only, and the notes about what could not be added."""

from __future__ import annotations

from typing import NamedTuple

from suppcheck import units
from suppcheck.model import (
    LIFE_STAGE_POPULATION,
    ContentAmount,
    Contribution,
    Conversion,
    ElementalFraction,
    Entry,
    Kind,
    NutrientTotal,
    Profile,
    Resolved,
    Source,
    UpperLimit,
    format_amount,
)
from suppcheck.rules.rulebase import RuleBase


def daily_totals(
    base: RuleBase,
    profile: Profile,
    adds_to: dict[str, tuple[Added, ...]],
    limits: dict[str, float | None],
) -> tuple[dict[str, NutrientTotal], list[str], list[str]]:
    """Each nutrient's daily amount across all products, in the nutrient's own unit.

    A supplement counts with the dose the person gave; a product whose contents the rule base
    lists counts with those amounts. Also returns the amounts that could not be converted: from
    what the person typed (not understood: they change the exit status) and from listed
    contents (the rule base's own gap: a note).

    `adds_to` and `limits` keep, across checks, what depends on the rule base alone: the totals
    each supplement adds to (with how its amounts are read), and each nutrient's upper limit in
    its own unit.
    """
    # nutrient id -> [(product, amount or None when no dose was given, unit, how its typed
    # amount is read, typed by the person)]
    grouped: dict[str, list[tuple[Resolved, float | None, str, _FormFacts, bool]]] = {}
    for item in profile.supplements:
        added = adds_to.get(item.id)
        if added is None:
            added = adds_to[item.id] = _nutrients_added(base, item.id)
        for nutrient_id, listed, form in added:
            if listed is not None:
                grouped.setdefault(nutrient_id, []).append(
                    (item, listed.amount, listed.unit, form, False)
                )
            else:
                dose = item.dose
                grouped.setdefault(nutrient_id, []).append(
                    (item, dose.amount if dose else None, dose.unit if dose else "", form, True)
                )
    totals: dict[str, NutrientTotal] = {}
    not_added: list[str] = []
    notes: list[str] = []
    if not grouped:
        return totals, not_added, notes
    # Only a check that gives a life stage works out its own limits: everyone else's are the
    # adults' limits, converted once per rule base (`limits`).
    group = profile.life_stage_group if profile.life_stage_given else "adults-19+"
    for nutrient_id, items in sorted(grouped.items()):
        entry = base.entry(Kind.SUPPLEMENT, nutrient_id)
        assert entry.nutrient is not None
        unit = entry.nutrient.unit
        limit = entry.nutrient.upper_limit
        products: list[Contribution] = []
        without_dose: list[str] = []
        for item, amount, amount_unit, form, typed in items:
            if amount is None:
                without_dose.append(item.name)
                continue
            if not form.counts:
                notes.append(
                    f"{item.name} does not count toward the upper limit for "
                    f"{entry.nutrient.measure}, so it was not added to that total."
                )
                continue
            converted = units.convert(
                amount, amount_unit, unit, (*form.conversions, *entry.nutrient.conversions)
            )
            if converted is not None:
                converted, note = _as_elemental(item, form, converted, amount_unit, entry)
                if note:
                    notes.append(note)
                if any(own == amount_unit for own, _ in form.sources):
                    notes.append(form.conversion_note(item, amount, amount_unit, converted, unit))
                products.append(Contribution(item.name, converted, item.input))
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
        limit_in_unit = _limit_in_unit(entry, limits)
        if group != "adults-19+" and limit is not None:
            limit, limit_in_unit, note = _group_limit(entry, group, limit, limit_in_unit)
            if note is not None and (products or without_dose):
                notes.append(note)
        totals[nutrient_id] = NutrientTotal(  # positional, in field order (see Report)
            nutrient_id,
            entry.name,
            unit,
            sum([share.amount for share in products]),
            tuple(products),
            tuple(without_dose),
            limit,
            limit_in_unit,
        )
    return totals, not_added, notes


class _FormFacts(NamedTuple):
    """What the forms between a typed supplement and its nutrient say about its amounts."""

    conversions: tuple[Conversion, ...]
    fraction: ElementalFraction | None
    fraction_of: str  # the form's name
    counts: bool
    sources: tuple[tuple[str, Source | None], ...]  # (unit, source) of each own conversion

    def conversion_note(
        self, item: Resolved, amount: float, unit: str, converted: float, target: str
    ) -> str:
        source = next((s for u, s in self.sources if u == unit), None)
        cited = f" ({source.title})" if source is not None else ""
        return (
            f"{item.input}: {format_amount(amount)} {unit} was counted as "
            f"{format_amount(round(converted, 3))} {target}, by the factor for "
            f"{self.fraction_of or item.name}{cited}."
        )


_NO_FORM = _FormFacts((), None, "", True, ())


def _form_facts(base: RuleBase, supplement_id: str, nutrient_id: str) -> _FormFacts:
    """The nearest own conversions, salt fraction and limit flag on the way up to the nutrient."""
    conversions: list[Conversion] = []
    fraction = None
    name = ""
    counts = True
    for form_id in base.path_to(Kind.SUPPLEMENT, supplement_id, nutrient_id)[:-1]:
        form = base.entry(Kind.SUPPLEMENT, form_id)
        if form.conversions and not conversions:
            conversions = list(form.conversions)
            name = form.name
        if form.elemental_fraction is not None and fraction is None:
            fraction = form.elemental_fraction
            name = name or form.name
        counts = counts and form.counts_toward_limit
    if not conversions and fraction is None and counts:
        return _NO_FORM
    sources = tuple((c.unit, c.source) for c in conversions)
    return _FormFacts(tuple(conversions), fraction, name, counts, sources)


def _as_elemental(
    item: Resolved, form: _FormFacts, amount: float, typed_unit: str, nutrient: Entry
) -> tuple[float, str | None]:
    """A salt's typed weight as the nutrient, or the amount unchanged with the other reading.

    A form sold by the salt's weight (an iron tablet of "ferrous sulfate 325 mg") is converted
    by its sourced fraction; a form whose labels list the elemental amount is counted as typed.
    Either way the report says which reading was used and how to give the other.
    """
    fraction = form.fraction
    if fraction is None or typed_unit not in ("mg", "mcg", "g"):
        return amount, None
    assert nutrient.nutrient is not None
    share = f"{format_amount(round(fraction.value * 100, 1))}%"
    measure = nutrient.nutrient.measure
    unit = nutrient.nutrient.unit
    typed = f"{format_amount(amount)} {unit}"
    if fraction.typed_as == "salt":
        elemental = amount * fraction.value
        return elemental, (
            f"{item.input}: {typed} of {form.fraction_of} was counted as "
            f"{format_amount(round(elemental, 3))} {unit} of {measure} ({form.fraction_of} is "
            f"about {share} {measure}; {fraction.source.title}). If {typed} is the {measure} "
            f'your label lists, type "{nutrient.name} {typed}" instead.'
        )
    return amount, (
        f"{item.input}: {typed} was counted as {measure}, as Supplement Facts labels list it. "
        f"If {typed} is the weight of {form.fraction_of} itself, it holds about "
        f"{format_amount(round(amount * fraction.value, 3))} {unit} of {measure} ({share}; "
        f"{fraction.source.title})."
    )


class Added(NamedTuple):
    """One nutrient total a supplement adds to: worked out once per rule base."""

    nutrient: str  # the nutrient's id
    listed: ContentAmount | None  # the amount a product lists; None: the dose the person gives
    form: _FormFacts  # how a dose the person gives is read (_NO_FORM for a listed amount)


def _nutrients_added(base: RuleBase, supplement_id: str) -> tuple[Added, ...]:
    """Each nutrient total that a supplement adds to."""
    added: list[Added] = []
    nutrient_entry = base.nutrient_of(supplement_id)
    if nutrient_entry is not None:
        form = _form_facts(base, supplement_id, nutrient_entry.id)
        added.append(Added(nutrient_entry.id, None, form))
    contents = base.entry(Kind.SUPPLEMENT, supplement_id).contents
    for listed in contents.amounts if contents else ():
        listed_nutrient = base.nutrient_of(listed.supplement)
        if listed_nutrient is not None:
            added.append(Added(listed_nutrient.id, listed, _NO_FORM))
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


def _group_limit(
    nutrient: Entry, group: str | None, adult: UpperLimit, adult_in_unit: float | None
) -> tuple[UpperLimit, float | None, str | None]:
    """The upper limit of the person's life-stage group (`group`; None for an infant), in the
    nutrient's unit, or the adults' limit with a note saying that the rule base has none for
    the group: a child or a pregnant person is held to their own number wherever it is known."""
    facts = nutrient.nutrient
    assert facts is not None
    own = next((g for g in facts.upper_limits if g.group == group), None)
    if own is None:
        whom = "infants under 1 year" if group is None else LIFE_STAGE_POPULATION[group]
        return (
            adult,
            adult_in_unit,
            (
                f"The rule base lists no upper limit of {in_sentence(nutrient.name)} for {whom}: "
                f"the limit shown is the one for {adult.population}, and yours may be lower. "
                "Ask your clinician which amount is right for you."
            ),
        )
    caveat = f"About the adults' limit: {adult.caveat}" if adult.caveat else None
    limit = UpperLimit(own.amount, own.unit, LIFE_STAGE_POPULATION[own.group], adult.applies_to,
                       adult.basis, own.source, caveat)  # fmt: skip
    return limit, units.convert(own.amount, own.unit, facts.unit, facts.conversions), None


def in_sentence(name: str) -> str:
    """A name inside a sentence: "Vitamin C (ascorbic acid)" -> "vitamin C (ascorbic acid)";
    an abbreviation such as "DHEA" or "EPA" stays as it is (str.lower would say "vitamin c")."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def total_notes(totals: dict[str, NutrientTotal]) -> list[str]:
    notes = []
    for total in totals.values():
        limit = total.upper_limit
        if limit is None or not total.without_dose:
            continue
        missing = ", ".join(total.without_dose)
        notes.append(
            f"No dose that could be counted was given for {missing}, so the daily total of "
            f"{in_sentence(total.name)} could not be fully compared with its upper limit "
            f"({format_amount(limit.amount)} {limit.unit} a day for {limit.population}). "
            'Give the amount per day after the name, as on the label: "NAME AMOUNT UNIT".'
        )
    return notes
