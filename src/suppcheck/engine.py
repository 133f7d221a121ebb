"""evaluate(rule_base, profile) -> Report. Pure and deterministic: opens no files, prints nothing.

The same profile gives the same report whatever order its items were given in: the profile is
put into a canonical order first, and every list in a finding is sorted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from suppcheck import units
from suppcheck.model import (
    AllOf,
    AnyOf,
    ContentAmount,
    Coverage,
    DiseaseActive,
    Entry,
    Finding,
    HasCondition,
    HasProperty,
    Kind,
    NotOf,
    NutrientTotal,
    Profile,
    Report,
    Resolved,
    Rule,
    StrainNamed,
    SupplementStatus,
    TakesMedication,
    TakesSupplement,
    TotalAbove,
    Unresolved,
    When,
    format_amount,
)
from suppcheck.rulebase import (
    KIND_PREFIX,
    NAMED_STRAIN,
    STRAIN_SPECIFIC,
    RuleBase,
    anchor_options,
    references_of,
)

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
_Found = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_NOTHING: _Found = ((), (), (), ())
_Matcher = Callable[["_Context"], "_Found | None"]


def _merge(first: _Found, second: _Found) -> _Found:
    if first is _NOTHING:
        return second
    return (
        first[0] + second[0],
        first[1] + second[1],
        first[2] + second[2],
        first[3] + second[3],
    )


def _compile(when: When) -> _Matcher:
    """`when` as a function of the profile: the tree is walked once per rule base, not per check."""
    if isinstance(when, AllOf):
        parts = tuple(_compile(item) for item in when.items)
        if len(parts) == 2:  # most rules: a condition or medication, and a supplement
            first, second = parts

            def both(context: _Context) -> _Found | None:
                one = first(context)
                if one is None:
                    return None
                other = second(context)
                if other is None:
                    return None
                return (one[0] + other[0], one[1] + other[1], one[2] + other[2], one[3] + other[3])

            return both

        def all_of(context: _Context) -> _Found | None:
            found = _NOTHING
            for part in parts:
                more = part(context)
                if more is None:
                    return None
                found = _merge(found, more)
            return found

        return all_of
    if isinstance(when, AnyOf):
        options = tuple(_compile(item) for item in when.items)

        def any_of(context: _Context) -> _Found | None:
            found = None
            for option in options:
                more = option(context)
                if more is not None:
                    found = more if found is None else _merge(found, more)
            return found

        return any_of
    if isinstance(when, NotOf):
        inner = _compile(when.item)

        def not_of(context: _Context) -> _Found | None:
            return _NOTHING if inner(context) is None else None

        return not_of
    # Many rules test the same atom ({condition: autoimmune}); each is matched once a check.
    # Keyed with the node's type: HasCondition("x") and TakesSupplement("x") are equal tuples.
    key = (type(when), when)
    kind = _HIERARCHY_KIND.get(type(when))
    if kind is Kind.SUPPLEMENT:  # the commonest atom: straight to its method
        wanted: str = when.id  # type: ignore[union-attr]

        def takes(context: _Context) -> _Found | None:
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
        def shared(context: _Context) -> _Found | None:
            atoms = context.shared.atoms
            found = atoms.get(key, _UNKNOWN)
            if found is _UNKNOWN:
                found = atoms[key] = compute(context, when)
            return found  # type: ignore[return-value]

        return shared

    def atom(context: _Context) -> _Found | None:
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
_ACTIVE: _Found = ((), (), (), ("you said your disease is currently active or flaring",))


def _finding(rule: Rule, found: _Found) -> Finding:
    """The finding, with each list made unique and sorted (most hold one item, or none)."""
    supplements, conditions, medications, because = found
    return Finding(
        rule,
        supplements if len(supplements) < 2 else tuple(sorted(set(supplements))),
        conditions if len(conditions) < 2 else tuple(sorted(set(conditions))),
        medications if len(medications) < 2 else tuple(sorted(set(medications))),
        because if len(because) < 2 else tuple(sorted(set(because))),
    )


class _Memo:
    """What the engine works out from the rule base alone, kept with it (in `base.memo`) so that
    a batch of thousands of checks works each out once."""

    __slots__ = ("adds_to", "compiled", "limits", "shared", "whys")

    def __init__(self) -> None:
        self.compiled: dict[str, _Compiled] = {}  # rule id -> the rule compiled
        self.shared: dict[tuple[tuple[str, ...], bool], _Shared] = {}  # see _Shared
        # supplement id -> the nutrient totals it adds to (see _nutrients_added)
        self.adds_to: dict[str, tuple[tuple[str, ContentAmount | None], ...]] = {}
        self.limits: dict[str, float | None] = {}  # nutrient id -> upper limit in its unit
        # (kind, the id a rule names) -> {id of an item given: why it counts, or ""}
        self.whys: dict[tuple[Kind, str], dict[str, str]] = {}


def _memo(base: RuleBase) -> _Memo:
    memo = base.memo.get("engine")
    if memo is None:
        memo = base.memo["engine"] = _Memo()
    return memo  # type: ignore[return-value]


class _Context:
    def __init__(self, base: RuleBase, profile: Profile, memo: _Memo | None = None) -> None:
        self.base = base
        self.profile = profile
        self.memo = memo or _memo(base)
        self.totals: dict[str, NutrientTotal] = {}
        self.not_added: list[str] = []
        self.atoms: dict[tuple[type, When], _Found | None] = {}
        self.shared = _shared(base, profile, self.memo)
        self._items_by_kind = {
            Kind.CONDITION: profile.conditions,
            Kind.SUPPLEMENT: profile.supplements,
            Kind.MEDICATION: profile.medications,
        }

    def match(self, when: When) -> _Found | None:
        """What `when` finds in the profile, None if it does not hold (compiled each call: for
        tests and one-off questions; evaluate() uses each rule's compiled matcher)."""
        return _compile(when)(self)

    # --- the `when` language: the atoms ----------------------------------------------------

    def _active(self, when: DiseaseActive) -> _Found | None:
        if self.profile.active != when.active:
            return None
        return _ACTIVE if when.active else _NOTHING

    def _hierarchy(self, kind: Kind, wanted: str) -> _Found | None:
        ids: list[str] = []
        because: list[str] = []
        whys = self.memo.whys.get((kind, wanted))
        if whys is None:
            whys = self.memo.whys[kind, wanted] = {}
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

    def _property(self, wanted: str) -> _Found | None:
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

    def _strain(self, named: bool) -> _Found | None:
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

    def _total_above(self, when: TotalAbove) -> _Found | None:
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
_ATOM_MATCHERS: dict[type, Callable[[_Context, Any], _Found | None]] = {
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


class _Compiled(NamedTuple):
    """What evaluate() needs of a rule, worked out once per rule base."""

    rule: Rule
    order: tuple[int, str]  # findings are listed by severity, then rule id
    requirements: tuple[frozenset[str], ...]  # one key of each must be in the profile
    matcher: _Matcher
    references: frozenset[str]  # every key the rule mentions (coverage)
    condition_references: frozenset[str]  # the condition keys among them


class _Shared:
    """What a check works out from the conditions and activity alone: the same for everyone
    who gives the same ones (a few hundred combinations), so kept with the rule base."""

    __slots__ = ("atoms", "condition_keys", "keys", "reached")  # keys: the condition keys

    def __init__(self, base: RuleBase, profile: Profile) -> None:
        keys: set[str] = set()
        reached = set(base.unanchored_ids())
        for item in profile.conditions:
            keys |= base.keys_of(Kind.CONDITION, item.id)
            reached |= base.reached_ids(Kind.CONDITION, item.id)
        self.keys = self.condition_keys = frozenset(keys)
        self.reached = frozenset(reached)
        self.atoms: dict[tuple[type, When], _Found | None] = {}


def _shared(base: RuleBase, profile: Profile, memo: _Memo) -> _Shared:
    key = (tuple([item.id for item in profile.conditions]), profile.active)
    found = memo.shared.get(key)
    if found is None:
        if len(memo.shared) >= _SHARED_LIMIT:
            memo.shared.clear()
        found = memo.shared[key] = _Shared(base, profile)
    return found


_SHARED_LIMIT = 10_000  # (conditions, activity) combinations remembered


def _reach(base: RuleBase, profile: Profile, shared: _Shared) -> tuple[set[str], set[str]]:
    """The profile's index keys (ids with their ancestors, supplement properties) and the ids of
    the rules those keys reach: the candidates."""
    keys = set(shared.keys)
    reached = set(shared.reached)
    for kind, items in (
        (Kind.SUPPLEMENT, profile.supplements),
        (Kind.MEDICATION, profile.medications),
    ):
        for item in items:
            keys |= base.keys_of(kind, item.id)
            reached |= base.reached_ids(kind, item.id)
    return keys, reached


def _compile_rule(rule: Rule) -> _Compiled:
    references = references_of(rule.when)
    prefix = KIND_PREFIX[Kind.CONDITION]
    return _Compiled(
        rule,
        (-rule.severity.rank, rule.id),
        tuple(anchor_options(rule.when) or ()),
        _compile(rule.when),
        references,
        frozenset(r for r in references if r.startswith(prefix)),
    )


def canonical(profile: Profile) -> Profile:
    """One order for every permutation of the same input; conditions and medications once each."""
    # Positional, in Profile's field order: keywords cost more on this per-check path.
    return Profile(
        _unique(profile.conditions),
        _sorted(profile.supplements, _supplement_order),
        _unique(profile.medications),
        profile.active,
        _sorted(profile.unresolved, _unresolved_order),
        *profile[5:],  # raw_conditions, raw_supplements, raw_medications, from_saved_profile
    )


_Item = TypeVar("_Item", Resolved, Unresolved)


def _sorted(items: tuple[_Item, ...], key: Callable[[_Item], Any]) -> tuple[_Item, ...]:
    return items if len(items) < 2 else tuple(sorted(items, key=key))  # one item: as it is


def _unique(items: tuple[Resolved, ...]) -> tuple[Resolved, ...]:
    """Sorted, and each id once (the first in that order)."""
    if len(items) < 2:
        return items
    by_id: dict[str, Resolved] = {}
    for item in sorted(items, key=_condition_order):
        by_id.setdefault(item.id, item)
    return tuple(by_id.values())


def _condition_order(item: Resolved) -> tuple[str, str]:
    return item.id, item.input


def _supplement_order(item: Resolved) -> tuple[str, str, float, str]:
    dose = item.dose
    return (item.id, dose.unit, dose.amount, item.input) if dose else (item.id, "", 0.0, item.input)


def _unresolved_order(item: Unresolved) -> tuple[str, str]:
    return item.kind.value, item.input


def _totals(
    base: RuleBase, profile: Profile, memo: _Memo | None = None
) -> tuple[dict[str, NutrientTotal], list[str], list[str]]:
    """Each nutrient's daily amount across all products, in the nutrient's own unit.

    A supplement counts with the dose the person gave; a product whose contents the rule base
    lists counts with those amounts. Also returns the amounts that could not be converted: from
    what the person typed (not understood: they change the exit status) and from listed
    contents (the rule base's own gap: a note).
    """
    # nutrient id -> [(product, amount or None when no dose was given, unit, typed by the person)]
    grouped: dict[str, list[tuple[Resolved, float | None, str, bool]]] = {}
    memo = memo or _memo(base)
    adds_to = memo.adds_to
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
            _limit_in_unit(entry, memo),
        )
    return totals, not_added, notes


def _nutrients_added(
    base: RuleBase, supplement_id: str
) -> tuple[tuple[str, ContentAmount | None], ...]:
    """(nutrient id, None for the dose the person gives or the amount a product lists) for each
    nutrient total that a supplement adds to; the same for every check, so kept with the base."""
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


def _limit_in_unit(nutrient: Entry, memo: _Memo) -> float | None:
    """The nutrient's upper limit in its own unit (None without a limit)."""
    limits = memo.limits
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


def _notes(totals: dict[str, NutrientTotal]) -> list[str]:
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


def _product_notes(base: RuleBase, profile: Profile) -> list[str]:
    """A dose typed for a product whose contents are listed is not used: say so."""
    notes = []
    for item in profile.supplements:
        if item.dose is None:
            continue
        contents = base.entry(Kind.SUPPLEMENT, item.id).contents
        if contents is not None:
            notes.append(
                f"{item.name} is counted with the amounts listed for {contents.per} "
                f"({contents.source.title}); the amount typed ({item.dose}) was not used."
            )
    return notes


def evaluate(base: RuleBase, profile: Profile) -> Report:
    """Every rule that holds for the profile, as findings ordered by severity then rule id."""
    profile = canonical(profile)
    memo = _memo(base)
    context = _Context(base, profile, memo)
    context.totals, context.not_added, content_notes = _totals(base, profile, memo)
    keys, reached = _reach(base, profile, context.shared)
    compiled = memo.compiled
    candidates = []
    for rule_id in reached:
        candidate = compiled.get(rule_id)
        if candidate is None:
            candidate = compiled[rule_id] = _compile_rule(base.rule(rule_id))
        candidates.append(candidate)
    ordered: list[tuple[tuple[int, str], Finding]] = []
    for rule, order, requirements, matcher, _, _ in candidates:
        # A cheap necessary condition first (one key of each set): many candidates fail it.
        for needed in requirements:
            if needed.isdisjoint(keys):
                break
        else:
            found = matcher(context)
            if found is not None:
                ordered.append((order, _finding(rule, found)))
    ordered.sort()  # rule ids are unique, so the Findings themselves are never compared
    findings = [finding for _, finding in ordered]
    return Report(  # positional, in field order: keywords cost more on this per-check path
        profile,
        tuple(findings),
        _statuses(base, profile, candidates, findings, context.shared.condition_keys),
        tuple(context.totals.values()),
        tuple(context.not_added),
        tuple(_notes(context.totals) + content_notes + _product_notes(base, profile)),
        base.info,
        len(base.rules),
    )


def _statuses(
    base: RuleBase,
    profile: Profile,
    candidates: list[_Compiled],
    findings: list[Finding],
    condition_keys: frozenset[str],
) -> tuple[SupplementStatus, ...]:
    flagged = {supplement for f in findings for supplement in f.supplements}
    statuses = []
    for item in profile.supplements:
        if item.id in flagged:
            statuses.append(SupplementStatus(item, Coverage.FLAGGED))
            continue
        keys = base.keys_of(Kind.SUPPLEMENT, item.id)
        covered = False
        for _, _, _, _, references, rule_conditions in candidates:
            if references.isdisjoint(keys):
                continue
            if not rule_conditions or not rule_conditions.isdisjoint(condition_keys):
                covered = True
                break
        statuses.append(
            SupplementStatus(item, Coverage.CHECKED if covered else Coverage.NOT_COVERED)
        )
    return tuple(statuses)
