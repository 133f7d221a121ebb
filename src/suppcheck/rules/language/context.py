"""One profile as the compiled tests see it: what its atoms matched so far, and the "why"
sentences ("Crohn's disease is a kind of ...") the hierarchy tests share.

The engine (engine/evaluate.py) builds a Context per check and calls each rule's compiled matcher
with it; the tests (atoms.py) read the profile and the rule base through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from suppcheck.model import Finding, Kind, NutrientTotal, Profile, Rule, When
from suppcheck.rules.language.base import NOTHING, Found, Test

if TYPE_CHECKING:  # rulebase imports the language (for the index)
    from suppcheck.rules.rulebase import RuleBase

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
UNKNOWN: Any = object()  # not yet matched (None means "does not hold")
# Where Context._items keeps the items of each kind (a tuple: cheaper to make than a dict).
_FIELD = {Kind.CONDITION: 0, Kind.SUPPLEMENT: 1, Kind.MEDICATION: 2}


def merge(first: Found, second: Found) -> Found:
    if first is NOTHING:
        return second
    return (
        first[0] + second[0],
        first[1] + second[1],
        first[2] + second[2],
        first[3] + second[3],
    )


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
        self.atoms: dict[tuple[Any, ...], Found | None] = {}


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
        self.atoms: dict[tuple[Any, ...], Found | None] = {}
        self._items = (profile.conditions, profile.supplements, profile.medications)

    def match(self, when: When) -> Found | None:
        """What `when` finds in the profile, None if it does not hold (compiled each call: for
        tests and one-off questions; evaluate() uses each rule's compiled matcher)."""
        return cast(Test, when).compile()(self)

    def under(self, kind: Kind, wanted: str) -> tuple[list[str], list[str]]:
        """The ids of the items given that are `wanted` or come under it, and why each counts."""
        ids: list[str] = []
        because: list[str] = []
        whys = self.whys.get((kind, wanted))
        if whys is None:
            whys = self.whys[kind, wanted] = {}
        for item in self._items[_FIELD[kind]]:
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
        return ids, because

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
