"""evaluate(rule_base, profile) -> Report. Pure and deterministic: opens no files, prints nothing.

The same profile gives the same report whatever order its items were given in: the profile is
put into a canonical order first, and every list in a finding is sorted. The engine chooses the
rules to try (the index, then a key test), has them matched (each rule's `when` compiled by
rules/language), adds up nutrients (totals.py), says which supplements were covered and
assembles the report.
"""

from __future__ import annotations

from typing import NamedTuple

from suppcheck.engine.totals import Added, daily_totals, total_notes
from suppcheck.model import (
    Coverage,
    Finding,
    Kind,
    Profile,
    Report,
    Resolved,
    Rule,
    SupplementStatus,
    Unresolved,
)
from suppcheck.rules.language import (
    KIND_PREFIX,
    Context,
    Matcher,
    Shared,
    anchor_options,
    compile_when,
    finding_from,
    references_of,
    shared_for,
)
from suppcheck.rules.rulebase import RuleBase


class _Memo:
    """What the engine works out from the rule base alone, kept with it (in `base.memo`) so that
    a batch of thousands of checks works each out once."""

    __slots__ = ("adds_to", "compiled", "limits", "shared", "whys")

    def __init__(self) -> None:
        self.compiled: dict[str, _Compiled] = {}  # rule id -> the rule compiled
        self.shared: dict[tuple[tuple[str, ...], bool], Shared] = {}  # see language.Shared
        # supplement id -> the nutrient totals it adds to (see totals.daily_totals)
        self.adds_to: dict[str, tuple[Added, ...]] = {}
        self.limits: dict[str, float | None] = {}  # nutrient id -> upper limit in its unit
        # (kind, the id a rule names) -> {id of an item given: why it counts, or ""}
        self.whys: dict[tuple[Kind, str], dict[str, str]] = {}


def _memo(base: RuleBase) -> _Memo:
    memo = base.memo.get("engine")
    if memo is None:
        memo = base.memo["engine"] = _Memo()
    return memo  # type: ignore[return-value]


class _Compiled(NamedTuple):
    """What evaluate() needs of a rule, worked out once per rule base."""

    rule: Rule
    order: tuple[int, str]  # findings are listed by severity, then rule id
    requirements: tuple[frozenset[str], ...]  # one key of each must be in the profile
    matcher: Matcher
    references: frozenset[str]  # every key the rule mentions (coverage)
    condition_references: frozenset[str]  # the condition keys among them


def _reach(base: RuleBase, profile: Profile, shared: Shared) -> tuple[set[str], set[str]]:
    """The profile's index keys (ids with their ancestors, supplement properties) and the ids of
    the rules those keys reach: the candidates."""
    keys = set(shared.condition_keys)
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
        compile_when(rule.when),
        references,
        frozenset(r for r in references if r.startswith(prefix)),
    )


def canonical(profile: Profile) -> Profile:
    """One order for every permutation of the same input; conditions and medications once each."""
    conditions, supplements, medications, _, unresolved = profile[:5]
    # Positional, in Profile's field order: keywords cost more on this per-check path. One
    # item stays as it is, without a call (most checks give one or two of each).
    return Profile(
        conditions if len(conditions) < 2 else _unique(conditions),
        supplements if len(supplements) < 2 else tuple(sorted(supplements, key=_supplement_order)),
        medications if len(medications) < 2 else _unique(medications),
        profile.active,
        unresolved if len(unresolved) < 2 else tuple(sorted(unresolved, key=_unresolved_order)),
        *profile[5:],  # raw_conditions, raw_supplements, raw_medications, from_saved_profile
    )


def _unique(items: tuple[Resolved, ...]) -> tuple[Resolved, ...]:
    """Two items or more, sorted, and each id once (the first in that order)."""
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
    context = Context(base, profile, memo.whys, shared_for(base, profile, memo.shared))
    context.totals, not_added, content_notes = daily_totals(
        base, profile, memo.adds_to, memo.limits
    )
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
                ordered.append((order, finding_from(rule, found)))
    ordered.sort()  # rule ids are unique, so the Findings themselves are never compared
    findings = [finding for _, finding in ordered]
    return Report(  # positional, in field order: keywords cost more on this per-check path
        profile,
        tuple(findings),
        _statuses(base, profile, candidates, findings, context.shared.condition_keys),
        tuple(context.totals.values()),
        tuple(not_added),
        tuple(total_notes(context.totals) + content_notes + _product_notes(base, profile)),
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
