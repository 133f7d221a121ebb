"""The rule model's newer fields: structured actions, evidence per source, life-stage limits,
salts and forms of a nutrient; and what the daily totals make of them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from tests.helpers import base_from_yaml

from suppcheck.engine.pipeline import run_check
from suppcheck.errors import RuleFileError
from suppcheck.inputs.regimen import Regimen
from suppcheck.model import Action, Evidence
from suppcheck.rules import loader

SOURCE = '{title: ODS, url: "https://example.org/ods"}'
NUTRIENTS = f"""\
supplements:
  - id: iron
    name: Iron
    nutrient:
      measure: elemental iron
      unit: mg
      upper_limit: {{amount: 45, unit: mg, population: adults, applies_to: total, basis: gut,
                    source: {SOURCE}}}
      upper_limits:
        - {{group: ages-14-18, amount: 45, unit: mg, source: {SOURCE}}}
  - id: ferrous-sulfate
    name: Ferrous sulfate
    parents: [iron]
    elemental_fraction: {{value: 0.2, typed_as: salt, source: {{title: Iron fractions,
                         url: "https://example.org/fe"}}}}
  - id: zinc
    name: Zinc
    nutrient: {{measure: elemental zinc, unit: mg}}
  - id: zinc-gluconate
    name: Zinc gluconate
    parents: [zinc]
    elemental_fraction: {{value: 0.143, typed_as: elemental, source: {SOURCE}}}
  - id: vitamin-a
    name: Vitamin A
    nutrient:
      measure: preformed vitamin A
      unit: mcg
      upper_limit: {{amount: 3000, unit: mcg, population: adults, applies_to: total,
                    basis: liver, source: {SOURCE}}}
  - id: retinyl-palmitate
    name: Retinyl palmitate
    parents: [vitamin-a]
    conversions: [{{unit: IU, factor: 0.3, source: {{title: IU table, url: "https://example.org/iu"}}}}]
  - id: beta-carotene
    name: Beta-carotene
    parents: [vitamin-a]
    counts_toward_limit: false
  - id: multivitamin
    name: Multivitamin
    typical_contents: {{nutrients: [vitamin-a, zinc, iron], source: {SOURCE}}}
"""


def _rule(extra: str, severity: str = "caution", evidence: str = "theoretical") -> str:
    return textwrap.dedent(f"""\
        rules:
          - id: test-rule
            title: A test rule
            mechanism: other
            severity: {severity}
            evidence: {evidence}
            when: {{supplement: melatonin}}
            rationale: Because.
            advice: Ask.
            ask: [Why?]
            sources: [{{title: A source, url: "https://example.org/", evidence: preliminary,
                       locator: Table 2, pmid: 12345678, doi: 10.1000/xyz123}}]
            reviewed: 2026-11-21
            examples:
              fires: [{{supplements: [melatonin]}}]
              silent: [{{supplements: [zinc]}}]
        """) + textwrap.indent(extra, " " * 4)


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "extra.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        loader.load([path])
    return caught.value.problems


def _loaded(tmp_path: Path, text: str) -> loader.RuleBase:
    path = tmp_path / "extra.yaml"
    path.write_text(text, encoding="utf-8")
    return loader.load([path])


def test_action_and_source_details_are_read(tmp_path: Path) -> None:
    base = _loaded(tmp_path, _rule("action: separate\nseparate_hours: 4\n"))
    rule = base.rule("test-rule")
    assert (rule.action, rule.separate_hours) == (Action.SEPARATE, 4)
    source = rule.sources[0]
    assert (source.evidence, source.locator, source.pmid, source.doi) == (
        Evidence.PRELIMINARY,
        "Table 2",
        "12345678",
        "10.1000/xyz123",
    )


@pytest.mark.parametrize(
    ("extra", "severity", "message"),
    [
        ("action: avoid\n", "info", "'avoid' does not fit severity 'info'"),
        ("action: inform\n", "warning", "'inform' does not fit severity 'warning'"),
        ("action: separate\n", "caution", "action 'separate' needs separate_hours"),
        ("action: monitor\nseparate_hours: 2\n", "caution", "only with action: separate"),
        ("action: separate\nseparate_hours: 0\n", "caution", "expected a positive number"),
        ("action: separate\nseparate_hours: 72\n", "caution", "expected 0 < hours <= 48"),
        ("action: later\n", "caution", "action: expected"),
    ],
)
def test_actions_are_linted_against_severity(
    tmp_path: Path, extra: str, severity: str, message: str
) -> None:
    found = _problems(tmp_path, _rule(extra, severity=severity))
    assert any(message in p for p in found), found


def test_a_rule_claims_no_stronger_evidence_than_its_sources(tmp_path: Path) -> None:
    found = _problems(tmp_path, _rule("action: discuss\n", evidence="clinical-trials"))
    assert any("stronger than its strongest source ('preliminary')" in p for p in found), found
    _loaded(tmp_path, _rule("action: discuss\n", evidence="preliminary"))  # equal is fine


def test_bad_identifiers_are_refused(tmp_path: Path) -> None:
    text = _rule("").replace("pmid: 12345678", "pmid: PMC123").replace("10.1000/xyz123", "xyz")
    found = _problems(tmp_path, text)
    assert any("pmid: expected a PubMed id" in p for p in found), found
    assert any("doi: expected a DOI" in p for p in found), found


def test_forms_and_group_limits_are_read() -> None:
    base = base_from_yaml(NUTRIENTS)
    iron = base.entry(loader.Kind.SUPPLEMENT, "iron").nutrient
    assert iron is not None and iron.upper_limits[0].group == "ages-14-18"
    sulfate = base.entry(loader.Kind.SUPPLEMENT, "ferrous-sulfate")
    assert sulfate.elemental_fraction is not None and sulfate.elemental_fraction.value == 0.2
    beta = base.entry(loader.Kind.SUPPLEMENT, "beta-carotene")
    assert beta.counts_toward_limit is False
    multi = base.entry(loader.Kind.SUPPLEMENT, "multivitamin")
    assert multi.typical_contents is not None and "zinc" in multi.typical_contents.nutrients


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("elemental_fraction: {value: 1.5, typed_as: salt, source: {title: S}}", "between 0 and 1"),
        ("elemental_fraction: {value: 0.2, typed_as: guess, source: {title: S}}", "typed_as"),
        ("counts_toward_limit: maybe", "expected true or false"),
        ("typical_contents: {nutrients: [], source: {title: S}}", "non-empty list"),
        ("conversions: [{unit: IU, factor: -1}]", "positive number"),
    ],
)
def test_bad_form_facts_are_refused(tmp_path: Path, entry: str, message: str) -> None:
    found = _problems(tmp_path, f"supplements:\n  - {{id: odd-form, name: Odd, {entry}}}\n")
    assert any(message in p for p in found), found


def test_a_group_limit_is_listed_once_and_in_a_known_group() -> None:
    text = NUTRIENTS.replace(
        f"        - {{group: ages-14-18, amount: 45, unit: mg, source: {SOURCE}}}",
        f"        - {{group: ages-14-18, amount: 45, unit: mg, source: {SOURCE}}}\n"
        f"        - {{group: ages-14-18, amount: 40, unit: mg, source: {SOURCE}}}\n"
        f"        - {{group: teenagers, amount: 40, unit: mg, source: {SOURCE}}}",
    )
    with pytest.raises(RuleFileError) as caught:
        base_from_yaml(text)
    found = caught.value.problems
    assert any("'ages-14-18' is listed twice" in p for p in found), found
    assert any("group: expected" in p for p in found), found


def _totals(*supplements: str) -> tuple[dict[str, float], tuple[str, ...]]:
    base = base_from_yaml(NUTRIENTS)
    report = run_check(base, Regimen([], list(supplements), [], False))
    return {t.nutrient: t.total for t in report.totals}, report.notes


def test_a_salt_sold_by_its_weight_counts_as_the_elemental_amount() -> None:
    totals, notes = _totals("ferrous sulfate 325 mg")
    assert totals["iron"] == pytest.approx(65)  # 20% of 325 mg (the fraction's source cited)
    assert any("counted as 65 mg of elemental iron" in n and "Iron fractions" in n for n in notes)
    assert any('type "Iron 325 mg" instead' in n for n in notes)


def test_a_salt_labelled_by_its_elemental_amount_counts_as_typed_and_says_so() -> None:
    totals, notes = _totals("zinc gluconate 50 mg")
    assert totals["zinc"] == 50
    assert any("holds about 7.15 mg of elemental zinc" in n for n in notes), notes


def test_a_form_converts_its_own_iu_and_says_by_which_factor() -> None:
    totals, notes = _totals("retinyl palmitate 25,000 IU")
    assert totals["vitamin-a"] == pytest.approx(7500)  # 2.5 times the adult limit of 3,000 mcg
    assert any("25,000 IU was counted as 7,500 mcg" in n and "IU table" in n for n in notes)
    totals, _ = _totals("vitamin A 25,000 IU")  # the nutrient itself declares no IU factor
    assert "vitamin-a" not in totals or totals["vitamin-a"] == 0


def test_a_form_that_does_not_count_toward_the_limit_is_left_out_and_said() -> None:
    totals, notes = _totals("beta-carotene 15,000 mcg", "retinyl palmitate 1000 mcg")
    assert totals["vitamin-a"] == 1000
    assert any("Beta-carotene does not count toward the upper limit" in n for n in notes)


def test_typical_contents_name_defined_supplements() -> None:
    with pytest.raises(RuleFileError) as caught:
        base_from_yaml(NUTRIENTS.replace("nutrients: [vitamin-a, zinc, iron]", "nutrients: [zync]"))
    assert any(
        "typical_contents: 'zync' is not a defined supplement" in p for p in caught.value.problems
    )


def test_the_cache_keeps_every_new_field(tmp_path: Path) -> None:
    from suppcheck.rules import cache

    base = base_from_yaml(NUTRIENTS)
    for entry_id in (
        "iron",
        "ferrous-sulfate",
        "retinyl-palmitate",
        "beta-carotene",
        "multivitamin",
    ):
        entry = base.entry(loader.Kind.SUPPLEMENT, entry_id)
        assert cache.decode_entry(entry.kind, cache.encode_entry(entry)) == entry
    rule = _loaded(tmp_path, _rule("action: separate\nseparate_hours: 4\n")).rule("test-rule")
    assert cache.decode_rule(cache.encode_rule(rule)) == rule
