"""The shipped rule base: every rule is complete, sourced, and its own examples hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from suppcheck.engine import examples
from suppcheck.model import Kind, Severity
from suppcheck.rules import loader
from suppcheck.rules.lint import SEED_TITLES, lint

BASE = loader.load()
RAW = yaml.safe_load(loader.shipped_rules_path().read_text(encoding="utf-8"))
FILES = [loader.parse_file(loader.shipped_rules_path(), "rules.yaml")]


def test_the_shipped_base_has_no_lint() -> None:
    """Identical `when` outside a group, unsatisfiable `when`, unused properties, sources with
    neither URL nor seed title: `rules validate data/rules.yaml` fails on any of them too."""
    assert lint(FILES, loader.build(FILES)) == []


def test_every_rule_in_the_file_is_loaded() -> None:
    assert len(BASE.rules) == len(RAW["rules"])
    assert sorted(BASE.rules) == sorted(rule["id"] for rule in RAW["rules"])


# Unique ids, at least one source and question, a YYYY-MM-DD review date and non-empty
# examples are the loader's to enforce (tests/rules/test_loader.py); BASE would not load
# without them.


def test_a_source_without_a_link_is_a_seed_document_cited_by_title() -> None:
    unlinked = [
        (rule.id, source.title)
        for rule in BASE.rules.values()
        for source in rule.sources
        if source.url is None and source.title not in SEED_TITLES
    ]
    assert unlinked == []


def test_every_rule_example_fires_or_stays_silent_as_declared() -> None:
    # one message per example that misbehaves, naming its file:line and rule
    assert list(examples.example_problems(BASE)) == []


def test_each_seed_is_cited_by_some_rule() -> None:
    cited = {source.title for rule in BASE.rules.values() for source in rule.sources}
    assert cited >= SEED_TITLES


@pytest.mark.parametrize(
    "condition",
    [
        "lupus",
        "rheumatoid-arthritis",
        "multiple-sclerosis",
        "hashimotos-thyroiditis",
        "inflammatory-bowel-disease",
        "crohns-disease",
        "ulcerative-colitis",
    ],
)
def test_seed_conditions_reach_autoimmune(condition: str) -> None:
    assert "autoimmune" in BASE.lineage(Kind.CONDITION, condition)


def test_upper_limits_carry_a_source() -> None:
    limits = [
        e for e in BASE.entries[Kind.SUPPLEMENT].values() if e.nutrient and e.nutrient.upper_limit
    ]
    assert len(limits) >= 4
    for entry in limits:
        assert entry.nutrient is not None and entry.nutrient.upper_limit is not None
        assert entry.nutrient.upper_limit.source.url, entry.id


@pytest.mark.parametrize("rule_id", sorted(BASE.rules))
def test_every_shipped_rule_has_a_structured_action(rule_id: str) -> None:
    rule = BASE.rules[rule_id]
    assert rule.action is not None, "a structured action beside the free advice"


def test_every_supplement_is_covered_by_a_rule_or_marked() -> None:
    for entry in BASE.entries[Kind.SUPPLEMENT].values():
        has_rule = bool(BASE.rules_involving(Kind.SUPPLEMENT, entry.id))
        assert has_rule or entry.no_known_caution is not None, entry.id


def test_warnings_exist_for_limits_medications_and_activity() -> None:
    mechanisms = {r.mechanism for r in BASE.rules.values() if r.severity is Severity.WARNING}
    assert {"upper-limit", "medication-interaction", "disease-activity"} <= mechanisms


def test_claims_table_names_only_rules_that_exist() -> None:
    claims = (Path(__file__).parents[2] / "docs" / "claims.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`", claims))
    known_ids = set(BASE.rules) | {e for kind in BASE.entries.values() for e in kind}
    known_ids |= {p for e in BASE.entries[Kind.SUPPLEMENT].values() for p in e.properties}
    assert named, "the claims table names rules"
    assert named <= known_ids, sorted(named - known_ids)
    seed_rules = {r.id for r in BASE.rules.values() if {s.title for s in r.sources} & SEED_TITLES}
    assert seed_rules <= named, sorted(seed_rules - named)


def test_every_conversion_fraction_and_group_limit_cites_a_source() -> None:
    for entry in BASE.entries[Kind.SUPPLEMENT].values():
        nutrient = entry.nutrient
        conversions = [*entry.conversions, *(nutrient.conversions if nutrient else ())]
        for conversion in conversions:
            assert conversion.source is not None and conversion.source.url, entry.id
        if entry.elemental_fraction is not None:
            assert entry.elemental_fraction.source.url, entry.id
        for limit in nutrient.upper_limits if nutrient else ():
            assert limit.source.url, (entry.id, limit.group)
