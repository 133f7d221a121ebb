"""The loaded rule base: vocabularies with their hierarchy, rules, and the index over them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from suppcheck.model import Entry, Kind, Rule, RuleBaseInfo
from suppcheck.rules.language import KIND_PREFIX, PROPERTY_PREFIX, anchor_options, references_of
from suppcheck.rules.vocabulary import Vocabulary

_KINDS = tuple(Kind)


class RuleBase:
    """Vocabularies, rules and the index. `entries` and `rules` are mappings: the loader gives
    dicts, the cache (suppcheck.rules.cache) gives lazy mappings that decode an item when used.

    A plain class (not a dataclass): it is built on every run, and dataclass creation costs
    start-up time.
    """

    def __init__(
        self,
        info: RuleBaseInfo,
        entries: Mapping[Kind, Mapping[str, Entry]],
        rules: Mapping[str, Rule],
        *,
        _index: Mapping[str, tuple[str, ...]] | None = None,
        _unanchored: tuple[str, ...] = (),
        _vocabularies: dict[Kind, Vocabulary] | None = None,
    ) -> None:
        self.info = info
        self.entries = entries
        self.rules = rules
        self._index = _index
        self._unanchored = _unanchored
        self._lineage: dict[tuple[Kind, str], tuple[str, ...]] = {}
        self._vocabularies: dict[Kind, Vocabulary] = _vocabularies or {}
        self._paths: dict[tuple[Kind, str, str], tuple[str, ...]] = {}
        self._properties: dict[str, tuple[str, ...]] = {}
        self._decoded: dict[str, Rule] = {}  # rules already fetched from a lazy `rules`
        self._entries: dict[tuple[Kind, str], Entry] = {}
        self._nutrients: dict[str, Entry | None] = {}
        self._keys: dict[tuple[Kind, str], frozenset[str]] = {}
        self._reached: dict[tuple[Kind, str], frozenset[str]] = {}
        # Values other modules derive from this rule base alone and keep for later checks
        # (a batch of thousands of profiles asks the same questions again and again).
        self.memo: dict[str, object] = {}

    def __repr__(self) -> str:
        return f"RuleBase({self.info!r}, {len(self.rules)} rules)"

    def vocabulary(self, kind: Kind) -> Vocabulary:
        if kind not in self._vocabularies:
            self._vocabularies[kind] = Vocabulary.build(kind, self.entries[kind])
        return self._vocabularies[kind]

    def vocabularies(self) -> Mapping[Kind, Vocabulary]:
        """All three vocabularies (built on first use); the same dict on every call."""
        if len(self._vocabularies) < len(_KINDS):
            for kind in _KINDS:
                self.vocabulary(kind)
        return self._vocabularies

    def entry(self, kind: Kind, entry_id: str) -> Entry:
        # Kept once fetched: `entries` may be the cache's lazy mapping, which decodes on access.
        key = (kind, entry_id)
        found = self._entries.get(key)
        if found is None:
            found = self._entries[key] = self.entries[kind][entry_id]
        return found

    def lineage(self, kind: Kind, entry_id: str) -> tuple[str, ...]:
        """The entry and all its ancestors, nearest first, each once (parents form a DAG)."""
        key = (kind, entry_id)
        cached = self._lineage.get(key)
        if cached is not None:
            return cached
        order: list[str] = []
        frontier = [entry_id]
        while frontier:
            current = frontier.pop(0)
            if current in order:
                continue
            order.append(current)
            frontier.extend(self.entry(kind, current).parents)
        result = tuple(order)
        self._lineage[key] = result
        return result

    def path_to(self, kind: Kind, entry_id: str, ancestor: str) -> tuple[str, ...]:
        """The shortest chain of ids from `entry_id` up to `ancestor` (both included)."""
        key = (kind, entry_id, ancestor)
        known = self._paths.get(key)
        if known is None:
            known = self._paths[key] = self._path_to(kind, entry_id, ancestor)
        return known

    def _path_to(self, kind: Kind, entry_id: str, ancestor: str) -> tuple[str, ...]:
        paths: list[tuple[str, ...]] = [(entry_id,)]
        seen = {entry_id}
        while paths:
            path = paths.pop(0)
            if path[-1] == ancestor:
                return path
            for parent in self.entry(kind, path[-1]).parents:
                if parent not in seen:
                    seen.add(parent)
                    paths.append((*path, parent))
        return ()

    def properties_of(self, supplement_id: str) -> tuple[str, ...]:
        """Own and inherited properties, sorted."""
        known = self._properties.get(supplement_id)
        if known is not None:
            return known
        found: set[str] = set()
        for ancestor in self.lineage(Kind.SUPPLEMENT, supplement_id):
            found.update(self.entry(Kind.SUPPLEMENT, ancestor).properties)
        result = self._properties[supplement_id] = tuple(sorted(found))
        return result

    def nutrient_of(self, supplement_id: str) -> Entry | None:
        """The nearest entry in the lineage that declares a nutrient amount (zinc for its forms)."""
        if supplement_id in self._nutrients:
            return self._nutrients[supplement_id]
        found = self._nutrients[supplement_id] = self._nutrient_of(supplement_id)
        return found

    def _nutrient_of(self, supplement_id: str) -> Entry | None:
        for ancestor in self.lineage(Kind.SUPPLEMENT, supplement_id):
            entry = self.entry(Kind.SUPPLEMENT, ancestor)
            if entry.nutrient is not None:
                return entry
        return None

    def descendants(self, kind: Kind, entry_id: str) -> tuple[str, ...]:
        return tuple(
            sorted(
                other
                for other in self.entries[kind]
                if other != entry_id and entry_id in self.lineage(kind, other)
            )
        )

    # --- the index: which rules could possibly fire for a profile --------------------------

    def unanchored_ids(self) -> tuple[str, ...]:
        """The rules that every check must try: no key is needed for them to hold."""
        self._build_index()
        return self._unanchored

    def reached_ids(self, kind: Kind, entry_id: str) -> frozenset[str]:
        """Ids of the rules filed under any of the entry's keys, worked out once per entry.

        A rule is indexed under the ids one of which must be present for it to fire, so a check
        tries only the rules the person's entries reach (and the unanchored ones), however large
        the base.
        """
        key = (kind, entry_id)
        found = self._reached.get(key)
        if found is None:
            index = self._build_index()
            found = frozenset(
                rule_id
                for entry_key in self.keys_of(kind, entry_id)
                for rule_id in index.get(entry_key, ())
            )
            self._reached[key] = found
        return found

    def rule(self, rule_id: str) -> Rule:
        # Kept once fetched: `rules` may be the cache's lazy mapping, which decodes on access.
        found = self._decoded.get(rule_id)
        if found is None:
            found = self._decoded[rule_id] = self.rules[rule_id]
        return found

    def _build_index(self) -> Mapping[str, tuple[str, ...]]:
        if self._index is not None:
            return self._index
        index, unanchored = index_rules(self.rules.values())
        self._index = {key: tuple(ids) for key, ids in index.items()}
        self._unanchored = tuple(unanchored)
        return self._index

    def keys_of(self, kind: Kind, entry_id: str) -> frozenset[str]:
        """The index keys an entry brings: its id and ancestors' ids and, for a supplement, its
        properties and the keys of what its listed contents are (rules on zinc reach AREDS2)."""
        found = self._keys.get((kind, entry_id))
        if found is None:
            keys = {KIND_PREFIX[kind] + ancestor for ancestor in self.lineage(kind, entry_id)}
            if kind is Kind.SUPPLEMENT:
                keys.update(PROPERTY_PREFIX + p for p in self.properties_of(entry_id))
                contents = self.entry(kind, entry_id).contents
                for amount in contents.amounts if contents else ():
                    keys.update(self.keys_of(kind, amount.supplement))
            found = self._keys[(kind, entry_id)] = frozenset(keys)
        return found

    def rules_involving(self, kind: Kind, entry_id: str) -> tuple[Rule, ...]:
        """Rules whose `when` names this entry or an ancestor (for supplements: or a property,
        or something its listed contents are)."""
        keys = self.keys_of(kind, entry_id)
        return tuple(
            rule
            for rule in self.rules.values()
            if not rule.retired and keys & references_of(rule.when)
        )


def index_rules(rules: Iterable[Rule]) -> tuple[dict[str, list[str]], list[str]]:
    """The index (key -> ids of the rules filed under it, in the order given) and the rules that
    must always be tried.

    A rule whose `when` is all of several anchored tests may be filed under any one of them; it
    is filed under the one naming the keys fewest rules name ("zinc" rather than "autoimmune"),
    so a check tries few rules that cannot fire. Any choice gives the same findings.
    """
    # A retired rule is filed nowhere, so no check ever tries it.
    listed = [(rule.id, anchor_options(rule.when)) for rule in rules if not rule.retired]
    frequency: dict[str, int] = {}
    for _, options in listed:
        for key in {key for option in options or () for key in option}:
            frequency[key] = frequency.get(key, 0) + 1
    index: dict[str, list[str]] = {}
    unanchored: list[str] = []
    for rule_id, options in listed:
        if not options:
            unanchored.append(rule_id)
            continue
        best = min(options, key=lambda a: (sum(frequency[k] for k in a), len(a), sorted(a)))
        for anchor in sorted(best):
            index.setdefault(anchor, []).append(rule_id)
    return index, unanchored
