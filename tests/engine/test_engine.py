"""The engine on small in-memory rule bases: hierarchy, combinators, totals, coverage, order."""

from __future__ import annotations

import itertools

from tests.helpers import base_from_yaml

from suppcheck.engine import evaluate as engine
from suppcheck.engine import resolve as names
from suppcheck.engine.totals import daily_totals
from suppcheck.model import Coverage, Report
from suppcheck.report.data import report_to_dict
from suppcheck.rules.language import Context, Shared
from suppcheck.rules.rulebase import RuleBase

RULE = """\
  - id: {id}
    title: T
    mechanism: other
    severity: {severity}
    evidence: theoretical
    when: {when}
    rationale: R.
    advice: A.
    ask: [Q?]
    sources: [{{title: S, url: "https://example.org/"}}]
    reviewed: 2026-11-21
    examples: {{fires: [{{}}], silent: [{{}}]}}
"""
VOCAB = """\
properties:
  - {id: mineral, description: A mineral.}
  - {id: strain-specific, description: Effects differ by strain.}
  - {id: named-strain, description: Named down to the strain.}
  - {id: immune-stimulating, description: Said to stimulate immune activity.}
conditions:
  - {id: autoimmune, name: Autoimmune disease}
  - {id: ibd, name: IBD, parents: [autoimmune]}
  - {id: crohns, name: Crohn's disease, parents: [ibd]}
  - {id: lupus, name: Lupus, parents: [autoimmune]}
  - {id: asthma, name: Asthma}
supplements:
  - {id: zinc, name: Zinc, properties: [mineral], nutrient: {measure: elemental zinc, unit: mg,
     upper_limit: {amount: 40, unit: mg, population: adults, applies_to: total, basis: copper,
     source: {title: ODS, url: "https://example.org/zinc"}}}}
  - {id: zinc-picolinate, name: Zinc picolinate, parents: [zinc]}
  - {id: vitamin-d, name: Vitamin D, nutrient: {measure: vitamin D, unit: mcg,
     conversions: [{unit: IU, factor: 0.025}],
     upper_limit: {amount: 100, unit: mcg, population: adults, applies_to: total, basis: calcium,
     source: {title: ODS, url: "https://example.org/d"}}}}
  - {id: probiotic, name: Probiotic, properties: [strain-specific]}
  - {id: lgg, name: LGG, parents: [probiotic], properties: [named-strain]}
  - {id: echinacea, name: Echinacea, properties: [immune-stimulating]}
  - {id: magnesium, name: Magnesium}
medications:
  - {id: immunosuppressant, name: Immunosuppressants}
  - {id: methotrexate, name: Methotrexate, parents: [immunosuppressant]}
rules:
"""


def make_base(*rules: tuple[str, str, str]) -> RuleBase:
    text = VOCAB + "".join(RULE.format(id=i, severity=s, when=w) for i, s, w in rules)
    return base_from_yaml(text)


def check(base: RuleBase, conditions=(), supplements=(), medications=(), active=False) -> Report:  # type: ignore[no-untyped-def]
    profile = names.resolve_profile(
        base.vocabularies(),
        conditions=conditions,
        supplements=supplements,
        medications=medications,
        active=active,
    )
    return engine.evaluate(base, profile)


def fired(report: Report) -> list[str]:
    return [f.rule.id for f in report.findings]


def test_a_rule_on_a_parent_reaches_every_descendant_and_says_why() -> None:
    base = make_base(("zinc-ai", "caution", "{all: [{supplement: zinc}, {condition: autoimmune}]}"))
    report = check(base, ["crohns"], ["zinc picolinate"])
    assert fired(report) == ["zinc-ai"]
    finding = report.findings[0]
    assert finding.conditions == ("crohns",) and finding.supplements == ("zinc-picolinate",)
    assert finding.because == (
        "Crohn's disease is a kind of IBD, which is a kind of Autoimmune disease",
        "Zinc picolinate is a form of Zinc",
    )
    assert fired(check(base, ["asthma"], ["zinc"])) == []


def test_any_all_not_and_property() -> None:
    base = make_base(
        ("any-rule", "info", "{any: [{supplement: magnesium}, {property: immune-stimulating}]}"),
        ("not-rule", "info", "{all: [{supplement: zinc}, {not: {condition: lupus}}]}"),
    )
    assert fired(check(base, [], ["echinacea"])) == ["any-rule"]
    assert fired(check(base, [], ["magnesium"])) == ["any-rule"]
    assert fired(check(base, ["crohns"], ["zinc"])) == ["not-rule"]
    assert fired(check(base, ["lupus"], ["zinc"])) == []
    report = check(base, [], ["echinacea"])
    assert report.findings[0].because == ("Echinacea is listed as immune stimulating",)


def test_medication_class_and_activity() -> None:
    base = make_base(
        (
            "med-rule",
            "warning",
            "{all: [{property: immune-stimulating}, {medication: immunosuppressant}]}",
        ),
        ("flare-rule", "warning", "{all: [{supplement: probiotic}, {active: true}]}"),
    )
    report = check(base, [], ["echinacea"], ["methotrexate"])
    assert fired(report) == ["med-rule"] and report.findings[0].medications == ("methotrexate",)
    assert fired(check(base, [], ["probiotic"], active=True)) == ["flare-rule"]
    assert fired(check(base, [], ["probiotic"], active=False)) == []


def test_strain_named_or_not() -> None:
    base = make_base(("unnamed", "info", "{strain: unnamed}"), ("named", "info", "{strain: named}"))
    assert fired(check(base, [], ["probiotic"])) == ["unnamed"]
    assert fired(check(base, [], ["lgg"])) == ["named"]
    assert fired(check(base, [], ["zinc"])) == []


def test_totals_add_forms_and_compare_with_the_upper_limit() -> None:
    base = make_base(("zinc-ul", "warning", "{total: {nutrient: zinc, above: upper_limit}}"))
    over = check(base, [], ["zinc picolinate 25 mg", "zinc 25 mg"])
    assert fired(over) == ["zinc-ul"]
    assert "adds up to 50 mg a day" in over.findings[0].because[0]
    assert "40 mg" in over.findings[0].because[0]
    assert fired(check(base, [], ["zinc 10 mg"])) == []
    assert fired(check(base, [], ["zinc 40 mg"])) == []  # at the limit is not above it
    assert fired(check(base, [], ["zinc 0.05 g"])) == ["zinc-ul"]  # mass units convert


def test_iu_converts_only_where_declared() -> None:
    base = make_base(
        ("d-ul", "warning", "{total: {nutrient: vitamin-d, above: upper_limit}}"),
        ("zinc-ul", "warning", "{total: {nutrient: zinc, above: upper_limit}}"),
    )
    assert fired(check(base, [], ["vitamin-d 5000 IU"])) == ["d-ul"]  # 125 mcg
    assert fired(check(base, [], ["vitamin-d 4000 IU"])) == []  # exactly 100 mcg
    report = check(base, [], ["zinc 5000 IU"])
    assert fired(report) == []
    assert report.not_added and "IU cannot be converted to mg" in report.not_added[0]
    assert not report.fully_understood


def test_missing_dose_is_noted_not_guessed() -> None:
    base = make_base(("zinc-ul", "warning", "{total: {nutrient: zinc, above: upper_limit}}"))
    report = check(base, [], ["zinc"])
    assert fired(report) == [] and report.notes
    assert "No dose that could be counted was given for Zinc" in report.notes[0]


def test_each_supplement_is_flagged_checked_or_not_covered() -> None:
    base = make_base(
        (
            "zinc-lupus",
            "caution",
            "{all: [{supplement: zinc}, {condition: lupus}, {active: true}]}",
        ),
        ("echinacea-ai", "caution", "{all: [{supplement: echinacea}, {condition: autoimmune}]}"),
    )
    report = check(base, ["lupus"], ["zinc", "echinacea", "magnesium"])
    states = {s.supplement.id: s.coverage for s in report.statuses}
    assert states == {
        "echinacea": Coverage.FLAGGED,
        "zinc": Coverage.CHECKED,
        "magnesium": Coverage.NOT_COVERED,
    }
    states = {s.supplement.id: s.coverage for s in check(base, ["asthma"], ["echinacea"]).statuses}
    assert states == {"echinacea": Coverage.NOT_COVERED}


def test_findings_are_ordered_by_severity_then_id_without_duplicates() -> None:
    base = make_base(
        ("b-info", "info", "{supplement: zinc}"),
        ("a-info", "info", "{supplement: zinc}"),
        ("z-warning", "warning", "{supplement: zinc}"),
        ("m-caution", "caution", "{any: [{supplement: zinc}, {supplement: zinc-picolinate}]}"),
    )
    report = check(base, [], ["zinc", "zinc picolinate", "zinc"])
    assert fired(report) == ["z-warning", "m-caution", "a-info", "b-info"]


def test_same_input_in_any_order_gives_identical_output() -> None:
    base = make_base(
        ("zinc-ai", "caution", "{all: [{supplement: zinc}, {condition: autoimmune}]}"),
        ("zinc-ul", "warning", "{total: {nutrient: zinc, above: upper_limit}}"),
    )
    conditions = ["crohns", "lupus"]
    supplements = ["zinc 30 mg", "zinc picolinate 20 mg", "echinacea", "nonsense"]
    outputs = set()
    for c in itertools.permutations(conditions):
        for s in itertools.permutations(supplements):
            data = report_to_dict(check(base, c, s))
            del data["input"]  # the echo of what was typed keeps the typed order
            outputs.add(repr(data))
    assert len(outputs) == 1


def test_index_finds_the_same_rules_as_a_full_scan() -> None:
    base = make_base(
        ("r1", "info", "{all: [{supplement: zinc}, {condition: autoimmune}]}"),
        ("r2", "info", "{not: {supplement: zinc}}"),
        ("r3", "info", "{any: [{active: true}, {supplement: zinc}]}"),
        ("r4", "info", "{medication: immunosuppressant}"),
    )
    for profile in (
        ([], ["zinc"], [], False),
        (["lupus"], ["zinc"], [], False),
        ([], [], [], True),
        ([], ["magnesium"], ["methotrexate"], False),
    ):
        report = check(base, *profile)
        scanned = Context(base, report.profile, {}, Shared(base, report.profile))
        scanned.totals, _, _ = daily_totals(base, report.profile, {}, {})
        full = sorted(r.id for r in base.rules.values() if scanned.match(r.when) is not None)
        assert sorted(fired(report)) == full


PRODUCT = """\
  - {id: eye-formula, name: Eye formula, contents: {per: one daily dose, amounts: [
      {supplement: zinc-picolinate, amount: 30, unit: mg},
      {supplement: vitamin-d, amount: 400, unit: IU},
      {supplement: magnesium, amount: 100, unit: mg}],
     source: {title: Trial, url: "https://example.org/trial"}}}
"""


def make_base_with_product(*rules: tuple[str, str, str]) -> RuleBase:
    text = VOCAB.replace("medications:\n", PRODUCT + "medications:\n", 1)
    text += "".join(RULE.format(id=i, severity=s, when=w) for i, s, w in rules)
    return base_from_yaml(text)


def test_listed_contents_join_the_daily_totals_and_reach_rules_on_what_they_contain() -> None:
    base = make_base_with_product(
        ("zinc-ul", "warning", "{total: {nutrient: zinc, above: upper_limit}}"),
        ("zinc-ai", "caution", "{all: [{supplement: zinc}, {condition: autoimmune}]}"),
    )
    report = check(base, ["lupus"], ["eye-formula", "zinc 15 mg"])
    assert fired(report) == ["zinc-ul", "zinc-ai"]
    zinc = next(t for t in report.totals if t.nutrient == "zinc")
    assert zinc.total == 45 and ("Eye formula", 30.0) in [(s.name, s.amount) for s in zinc.products]
    assert report.findings[0].supplements == ("eye-formula", "zinc")
    assert (
        "Eye formula contains Zinc picolinate, which is a form of Zinc"
        in report.findings[1].because
    )
    vitamin_d = next(t for t in report.totals if t.nutrient == "vitamin-d")
    assert vitamin_d.total == 10  # 400 IU through the declared factor
    assert report.fully_understood  # the rule base's own contents never make input "not understood"
    assert fired(check(base, ["lupus"], ["eye-formula"])) == ["zinc-ai"]  # 30 mg: under the limit


def test_a_dose_typed_for_a_listed_product_is_noted_not_used() -> None:
    base = make_base_with_product(
        ("zinc-ul", "warning", "{total: {nutrient: zinc, above: upper_limit}}")
    )
    report = check(base, [], ["eye-formula 3 mg"])
    assert any("the amount typed (3 mg) was not used" in note for note in report.notes)


def test_an_amount_that_cannot_be_converted_does_not_count_as_a_contributor() -> None:
    base = make_base(("zinc-ul", "warning", "{total: {nutrient: zinc, above: upper_limit}}"))
    report = check(base, [], ["zinc 45 mg", "zinc picolinate 5000 IU"])
    assert fired(report) == ["zinc-ul"]
    assert report.findings[0].supplements == ("zinc",)  # the IU product added nothing
