"""The `when` language evaluated against one profile: rules compiled into closures, atoms
matched (each once a check) and explained ("Crohn's disease is a kind of ...").

Used by the engine (engine.py), which decides which rules to try and assembles the report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from suppcheck import units
from suppcheck.model import (
    AllOf,
    AnyOf,
    DiseaseActive,
    Entry,
    Finding,
    HasCondition,
    HasProperty,
    Kind,
    NotOf,
    NutrientTotal,
    Profile,
    Resolved,
    Rule,
    StrainNamed,
    TakesMedication,
    TakesSupplement,
    TotalAbove,
    When,
    format_amount,
)
from suppcheck.rules.rulebase import NAMED_STRAIN, STRAIN_SPECIFIC, RuleBase

_DIRECT = {
    Kind.CONDITION: "you have",
    Kind.SUPPLEMENT: "you take",
    Kind.MEDICATION: "you take",
}
# (first link, later links): "Crohn's disease is a kind of IBD, which is a kind of ..."
_LINK = {
    Kind.CONDITION: ("is a kind of", "is a kind of"),
    Kind.SUPPLEMENT: ("is a form of", "is a form of"),
    Kind.MEDICATION: ("is one of the", "are"),
}


# What a `when` found: (supplement ids, condition ids, medication ids, "because" lines). Tuples
# rather than sets: merging two is concatenation, and the few items are made unique and sorted
# once, when a rule fires.
Found = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
NOTHING: Found = ((), (), (), ())
Matcher = Callable[["Context"], "Found | None"]


def _merge(first: Found, second: Found) -> Found:
    if first is NOTHING:
        return second
    return (
        first[0] + second[0],
        first[1] + second[1],
        first[2] + second[2],
        first[3] + second[3],
    )


def compile_when(when: When) -> Matcher:
    """`when` as a function of the profile: the tree is walked once per rule base, not per check."""
    if isinstance(when, AllOf):
        parts = tuple(compile_when(item) for item in when.items)
        if len(parts) == 2:  # most rules: a condition or medication, and a supplement
            first, second = parts

            def both(context: Context) -> Found | None:
                one = first(context)
                if one is None:
                    return None
                other = second(context)
                if other is None:
                    return None
                return _merge(one, other)

            return both

        def all_of(context: Context) -> Found | None:
            found = NOTHING
            for part in parts:
                more = part(context)
                if more is None:
                    return None
                found = _merge(found, more)
            return found

        return all_of
    if isinstance(when, AnyOf):
        options = tuple(compile_when(item) for item in when.items)

        def any_of(context: Context) -> Found | None:
            found = None
            for option in options:
                more = option(context)
                if more is not None:
                    found = more if found is None else _merge(found, more)
            return found

        return any_of
    if isinstance(when, NotOf):
        inner = compile_when(when.item)

        def not_of(context: Context) -> Found | None:
            return NOTHING if inner(context) is None else None

        return not_of
    # Many rules test the same atom ({condition: autoimmune}); each is matched once a check.
    # Keyed with the node's type: HasCondition("x") and TakesSupplement("x") are equal tuples.
    key = (type(when), when)
    kind = _HIERARCHY_KIND.get(type(when))
    if kind is Kind.SUPPLEMENT:  # the commonest atom: straight to its method
        wanted: str = when.id  # type: ignore[union-attr]

        def takes(context: Context) -> Found | None:
            atoms = context.atoms
            found = atoms.get(key, _UNKNOWN)
            if found is _UNKNOWN:
                found = atoms[key] = context._hierarchy(Kind.SUPPLEMENT, wanted)
            return found  # type: ignore[return-value]

        return takes
    compute = _ATOM_MATCHERS.get(type(when))
    if compute is None:
        raise TypeError(f"unknown when node {when!r}")  # a loader bug, never user input
    if isinstance(when, _SHARED_ATOMS):
        # Conditions and activity: the same for many people, so kept with the shared part of
        # the context, across checks.
        def shared(context: Context) -> Found | None:
            atoms = context.shared.atoms
            found = atoms.get(key, _UNKNOWN)
            if found is _UNKNOWN:
                found = atoms[key] = compute(context, when)
            return found  # type: ignore[return-value]

        return shared

    def atom(context: Context) -> Found | None:
        atoms = context.atoms
        found = atoms.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = atoms[key] = compute(context, when)
        return found  # type: ignore[return-value]

    return atom


_UNKNOWN = object()
_HIERARCHY_KIND: dict[type, Kind] = {
    HasCondition: Kind.CONDITION,
    TakesSupplement: Kind.SUPPLEMENT,
    TakesMedication: Kind.MEDICATION,
}
_SHARED_ATOMS = (HasCondition, DiseaseActive)
_ACTIVE: Found = ((), (), (), ("you said your disease is currently active or flaring",))


def finding_from(rule: Rule, found: Found) -> Finding:
    """The finding, with each list made unique and sorted (most hold one item, or none)."""
    supplements, conditions, medications, because = found
    return Finding(
        rule,
        supplements if len(supplements) < 2 else tuple(sorted(set(supplements))),
        conditions if len(conditions) < 2 else tuple(sorted(set(conditions))),
        medications if len(medications) < 2 else tuple(sorted(set(medications))),
        because if len(because) < 2 else tuple(sorted(set(because))),
    )


class Shared:
    """What a check works out from the conditions and activity alone: the same for everyone
    who gives the same ones (a few hundred combinations), so kept with the rule base."""

    __slots__ = ("atoms", "condition_keys", "reached")

    def __init__(self, base: RuleBase, profile: Profile) -> None:
        keys: set[str] = set()
        reached = set(base.unanchored_ids())
        for item in profile.conditions:
            keys |= base.keys_of(Kind.CONDITION, item.id)
            reached |= base.reached_ids(Kind.CONDITION, item.id)
        self.condition_keys = frozenset(keys)
        self.reached = frozenset(reached)
        self.atoms: dict[tuple[type, When], Found | None] = {}


def shared_for(
    base: RuleBase, profile: Profile, known: dict[tuple[tuple[str, ...], bool], Shared]
) -> Shared:
    """The Shared part for the profile's conditions and activity, from `known` when there."""
    key = (tuple([item.id for item in profile.conditions]), profile.active)
    found = known.get(key)
    if found is None:
        if len(known) >= _SHARED_LIMIT:
            known.clear()
        found = known[key] = Shared(base, profile)
    return found


_SHARED_LIMIT = 10_000  # (conditions, activity) combinations remembered


class Context:
    """One profile as the compiled rules see it, and what its atoms matched so far."""

    def __init__(
        self,
        base: RuleBase,
        profile: Profile,
        whys: dict[tuple[Kind, str], dict[str, str]],
        shared: Shared,
    ) -> None:
        self.base = base
        self.profile = profile
        # "why" sentences depend only on the rule base, so they are kept with it across checks:
        # (kind, the id a rule names) -> {id of an item given: why it counts, or ""}.
        self.whys = whys
        self.shared = shared
        self.totals: dict[str, NutrientTotal] = {}  # set by the engine before matching
        self.atoms: dict[tuple[type, When], Found | None] = {}
        self._items_by_kind = {
            Kind.CONDITION: profile.conditions,
            Kind.SUPPLEMENT: profile.supplements,
            Kind.MEDICATION: profile.medications,
        }

    def match(self, when: When) -> Found | None:
        """What `when` finds in the profile, None if it does not hold (compiled each call: for
        tests and one-off questions; evaluate() uses each rule's compiled matcher)."""
        return compile_when(when)(self)

    # --- the `when` language: the atoms ----------------------------------------------------

    def _active(self, when: DiseaseActive) -> Found | None:
        if self.profile.active != when.active:
            return None
        return _ACTIVE if when.active else NOTHING

    def _hierarchy(self, kind: Kind, wanted: str) -> Found | None:
        ids: list[str] = []
        because: list[str] = []
        whys = self.whys.get((kind, wanted))
        if whys is None:
            whys = self.whys[kind, wanted] = {}
        for item in self._items_by_kind[kind]:
            why = whys.get(item.id)
            if why is None:
                if kind is Kind.SUPPLEMENT:
                    why = self._why_taken(item.id, wanted)
                elif wanted in self.base.lineage(kind, item.id):
                    why = self._why(kind, item.id, wanted)
                else:
                    why = ""
                whys[item.id] = why
            if why:
                ids.append(item.id)
                because.append(why)
        if not ids:
            return None
        if kind is Kind.CONDITION:
            return (), tuple(ids), (), tuple(because)
        if kind is Kind.SUPPLEMENT:
            return tuple(ids), (), (), tuple(because)
        return (), (), tuple(ids), tuple(because)

    def _why_taken(self, item_id: str, wanted: str) -> str:
        """Why taking `item_id` counts as taking `wanted`: a form of it, or a product that lists
        it among its contents ("" when it does not)."""
        if wanted in self.base.lineage(Kind.SUPPLEMENT, item_id):
            return self._why(Kind.SUPPLEMENT, item_id, wanted)
        product = self.base.entry(Kind.SUPPLEMENT, item_id)
        for amount in product.contents.amounts if product.contents else ():
            if wanted in self.base.lineage(Kind.SUPPLEMENT, amount.supplement):
                inside = self._why(Kind.SUPPLEMENT, amount.supplement, wanted)
                if amount.supplement == wanted:  # "you take Zinc"
                    return f"{product.name} contains {inside.removeprefix('you take ')}"
                # "Zinc oxide is a form of Zinc" -> "contains Zinc oxide, which is a form of Zinc"
                contained = self.base.entry(Kind.SUPPLEMENT, amount.supplement).name
                rest = inside.removeprefix(contained)
                return (
                    f"{product.name} contains {contained},{rest.replace(' is a', ' which is a', 1)}"
                )
        return ""

    def _why(self, kind: Kind, item_id: str, wanted: str) -> str:
        """'you have Lupus', or the chain up to what the rule names: 'Crohn's disease is a kind
        of Inflammatory bowel disease, which is a kind of Autoimmune disease'."""
        path = self.base.path_to(kind, item_id, wanted)
        names = [self.base.entry(kind, step).name for step in path]
        if len(names) == 1:
            return f"{_DIRECT[kind]} {names[0]}"
        links = "".join(
            f"{', which' if i else ''} {_LINK[kind][i > 0]} {name}"
            for i, name in enumerate(names[1:])
        )
        return names[0] + links

    def _property(self, wanted: str) -> Found | None:
        ids = tuple(
            item.id
            for item in self.profile.supplements
            if wanted in self.base.properties_of(item.id)
        )
        if not ids:
            return None
        because = tuple(
            f"{self.base.entry(Kind.SUPPLEMENT, i).name} is listed as {wanted.replace('-', ' ')}"
            for i in ids
        )
        return ids, (), (), because

    def _strain(self, named: bool) -> Found | None:
        ids: list[str] = []
        because: list[str] = []
        for item in self.profile.supplements:
            properties = self.base.properties_of(item.id)
            if STRAIN_SPECIFIC not in properties or (NAMED_STRAIN in properties) != named:
                continue
            ids.append(item.id)
            because.append(
                f"{item.name} names a specific strain"
                if named
                else f"no specific strain was named for {item.name}"
            )
        return (tuple(ids), (), (), tuple(because)) if ids else None

    def _total_above(self, when: TotalAbove) -> Found | None:
        total = self.totals.get(when.nutrient)
        if total is None or not total.products:
            return None
        entry = self.base.entry(Kind.SUPPLEMENT, when.nutrient)
        assert entry.nutrient is not None  # checked by the loader
        if when.amount is None:
            threshold = total.limit_in_unit  # the upper limit, converted once per total
        else:
            assert when.unit is not None
            threshold = units.convert(
                when.amount, when.unit, total.unit, entry.nutrient.conversions
            )
        if threshold is None or not total.total > threshold:
            return None
        if when.amount is None:
            limit = entry.nutrient.upper_limit
            assert limit is not None  # checked by the loader
            described = (
                f"the tolerable upper intake level of {format_amount(limit.amount)} {limit.unit} "
                f"a day for {limit.population} ({limit.source.title})"
            )
        else:
            described = f"{format_amount(when.amount)} {when.unit} a day"
        parts = " + ".join(
            f"{name} {format_amount(amount)} {total.unit}" for name, amount in total.products
        )
        because = (
            f"your {entry.nutrient.measure} adds up to {format_amount(total.total)} {total.unit} a "
            f"day ({parts}), above {described}"
        )
        contributors = tuple(
            item.id for item in self.profile.supplements if _adds_to(self.base, item, entry)
        )
        return contributors, (), (), (because,)


# Each atom's method, by the atom's type: one lookup rather than a chain of isinstance tests.
_ATOM_MATCHERS: dict[type, Callable[[Context, Any], Found | None]] = {
    HasCondition: lambda context, when: context._hierarchy(Kind.CONDITION, when.id),
    TakesSupplement: lambda context, when: context._hierarchy(Kind.SUPPLEMENT, when.id),
    TakesMedication: lambda context, when: context._hierarchy(Kind.MEDICATION, when.id),
    HasProperty: lambda context, when: context._property(when.property),
    TotalAbove: lambda context, when: context._total_above(when),
    DiseaseActive: lambda context, when: context._active(when),
    StrainNamed: lambda context, when: context._strain(when.named),
}


def _adds_to(base: RuleBase, item: Resolved, nutrient: Entry) -> bool:
    """Whether `item` added an amount to `nutrient`'s daily total (a dose that could not be
    converted added nothing)."""
    assert nutrient.nutrient is not None
    conversions = nutrient.nutrient.conversions
    unit = nutrient.nutrient.unit
    dose = item.dose
    if (
        dose is not None
        and base.nutrient_of(item.id) is nutrient
        and units.convert(dose.amount, dose.unit, unit, conversions) is not None
    ):
        return True
    contents = base.entry(Kind.SUPPLEMENT, item.id).contents
    return contents is not None and any(
        base.nutrient_of(a.supplement) is nutrient
        and units.convert(a.amount, a.unit, unit, conversions) is not None
        for a in contents.amounts
    )
