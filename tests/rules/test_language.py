"""The `when` language, one test class at a time: parsing (file:line problems), reference checks,
index keys, matching, words, JSON, cache form and schema, through the registry.

Adding a test to the language adds its cases here (see `no_dose` at the end).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from tests.helpers import base_from_yaml, run

from suppcheck.engine import evaluate as engine
from suppcheck.engine import resolve as names
from suppcheck.errors import RuleFileError
from suppcheck.model import Report
from suppcheck.rules import language, loader, schema
from suppcheck.rules.language import TESTS, Malformed, decode_when, when_data, when_text
from suppcheck.rules.rulebase import RuleBase

SHIPPED = loader.load()

RULE = """\
rules:
  - id: r
    title: t
    mechanism: other
    severity: info
    evidence: theoretical
    when: {when}
    rationale: r
    advice: a
    ask: [q]
    sources: [{{title: s}}]
    reviewed: 2026-11-21
    examples: {{fires: [{{}}], silent: [{{}}]}}
"""


def _when(text: str) -> Any:
    ((rule, _),) = loader.parse_text(RULE.format(when=text), "t.yaml").rules
    return rule.when


def _problems(when: str) -> list[str]:
    with pytest.raises(RuleFileError) as caught:
        loader.parse_text(RULE.format(when=when), "t.yaml")
    return caught.value.problems


EVERY_TEST = [
    "{condition: lupus}",
    "{supplement: zinc}",
    "{property: immune-stimulating}",
    "{medication: immunosuppressant}",
    "{total: {nutrient: zinc, above: upper_limit}}",
    "{total: {nutrient: zinc, above: {amount: 25, unit: mg}}}",
    "{active: true}",
    "{strain: unnamed}",
    "{no_dose: zinc}",
    "{any_supplement: true}",
    "{pregnant: true}",
    "{breastfeeding: false}",
    "{age: {below: 19}}",
    "{sex: female}",
    "{all: [{condition: lupus}, {supplement: zinc}]}",
    "{any: [{condition: lupus}, {active: false}]}",
    "{not: {strain: named}}",
]


def test_the_registry_names_every_key_once_and_each_class_says_its_key() -> None:
    assert list(TESTS) == [
        "condition", "supplement", "property", "medication", "total", "active", "strain",
        "no_dose", "any_supplement", "pregnant", "breastfeeding", "age", "sex", "all", "any",
        "not",
    ]  # fmt: skip
    assert all(cls.key == key for key, cls in TESTS.items())
    assert {f"{{{key}:" for key in TESTS} == {text.split(" ", 1)[0] for text in EVERY_TEST}


@pytest.mark.parametrize("text", EVERY_TEST)
def test_every_test_round_trips_through_data_and_the_cache_form(text: str) -> None:
    when = _when(text)
    assert _when(json.dumps(when_data(when))) == when  # JSON is YAML: written back, read the same
    assert decode_when(language.encode_when(when)) == when
    assert hash(decode_when(language.encode_when(when))) == hash(when)


@pytest.mark.parametrize("text", EVERY_TEST)
def test_every_test_is_valid_against_the_schema(text: str) -> None:
    document = {"rules": [{**_rule_dict(), "when": when_data(_when(text))}]}
    jsonschema.validate(document, schema.rule_file_schema())


def _rule_dict() -> dict[str, Any]:
    return {
        "id": "r", "title": "t", "mechanism": "other", "severity": "info",
        "evidence": "theoretical", "rationale": "r", "advice": "a", "ask": ["q"],
        "sources": [{"title": "s"}], "reviewed": "2026-11-21",
        "examples": {"fires": [{}], "silent": [{}]},
    }  # fmt: skip


def test_the_schema_has_one_property_per_registered_test() -> None:
    when = schema.rule_file_schema()["$defs"]["when"]
    assert list(when["properties"]) == list(TESTS)


@pytest.mark.parametrize(
    "raw",
    [
        (),
        ("nothing-such", "x"),
        ("condition",),
        ("condition", 3),
        ("active", "yes"),
        ("total", "zinc", 25.0, None),
        ("all", ()),
        ("not", ("condition", None)),
        ("any", (("condition", "x"), 7)),
        "condition",
    ],
)
def test_a_damaged_cache_form_is_refused(raw: Any) -> None:
    with pytest.raises(Malformed):
        decode_when(raw)


def test_a_cache_form_nested_without_end_is_refused() -> None:
    raw: Any = ("condition", "x")
    for _ in range(100):
        raw = ("not", raw)
    with pytest.raises(Malformed):
        decode_when(raw)


# --- parse problems: file:line and the path inside the file ----------------------------------


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (
            "{condition: lupus, supplement: zinc}",
            "t.yaml:7: rules[0].when: expected exactly one of condition, supplement, property, "
            "medication, total, active, strain, no_dose, any_supplement, pregnant, breastfeeding, "
            "age, sex, all, any, not, got ['condition', 'supplement']",
        ),
        (
            "{sometimes: true}",
            "t.yaml:7: rules[0].when.sometimes: unknown test 'sometimes' (known: condition, "
            "supplement, property, medication, total, active, strain, no_dose, any_supplement, "
            "pregnant, breastfeeding, age, sex, all, any, not)",
        ),
        ("{active: maybe}", "t.yaml:7: rules[0].when.active: expected true or false, got 'maybe'"),
        ("{strain: some}", "t.yaml:7: rules[0].when.strain: expected named or unnamed, got 'some'"),
        ("{all: []}", "t.yaml:7: rules[0].when.all: expected a non-empty list of conditions"),
        (
            "{any: [{condition: Lupus}]}",
            "t.yaml:7: rules[0].when.any[0].condition: ids are kebab-case (a-z, 0-9, -), got "
            "'Lupus'",
        ),
        (
            "{total: {nutrient: zinc, above: {amount: -1, unit: mg}}}",
            "t.yaml:7: rules[0].when.total.above.amount: expected a positive number, got -1",
        ),
        (
            "{no_dose: Zinc}",
            "t.yaml:7: rules[0].when.no_dose: ids are kebab-case (a-z, 0-9, -), got 'Zinc'",
        ),
        (
            "{no_dose: 3}",
            "t.yaml:7: rules[0].when.no_dose: ids are kebab-case text, got a number (3)",
        ),
        (
            "{no_dose: [zinc]}",
            "t.yaml:7: rules[0].when.no_dose: expected non-empty text, got a list",
        ),
        ("{pregnant: yes}", "t.yaml:7: rules[0].when.pregnant: expected true or false, got 'yes'"),
        (
            "{breastfeeding: 1}",
            "t.yaml:7: rules[0].when.breastfeeding: expected true or false, got a number (1)",
        ),
        ("{sex: other}", "t.yaml:7: rules[0].when.sex: expected female or male, got 'other'"),
        (
            "{age: {above: 3}}",
            "t.yaml:7: rules[0].when.age: expected one of below or at_least, got ['above']",
        ),
        (
            "{age: {below: 2.5}}",
            "t.yaml:7: rules[0].when.age.below: expected whole years from 0 to 121, got a number "
            "(2.5)",
        ),
    ],
)
def test_parse_problems_name_file_line_and_path(when: str, message: str) -> None:
    assert _problems(when) == [message]


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    when = "{not: " * 40 + "{condition: lupus}" + "}" * 40
    (problem,) = _problems(when)
    assert problem.endswith("nested more than 32 levels deep")


# --- reference checks (the merged rule base) -------------------------------------------------


def _reference_problems(tmp_path: Path, when: str) -> list[str]:
    path = tmp_path / "extra.yaml"
    path.write_text(RULE.format(when=when), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        loader.load([path])
    return [p.split(": ", 1)[1] for p in caught.value.problems]


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("{condition: lupuss}", "rule 'r': when: condition 'lupuss' is not defined"),
        ("{not: {supplement: zincc}}", "rule 'r': when: supplement 'zincc' is not defined"),
        ("{medication: warfarinn}", "rule 'r': when: medication 'warfarinn' is not defined"),
        ("{property: sparkly}", "rule 'r': when: no supplement has the property 'sparkly'"),
        (
            "{total: {nutrient: melatonin, above: upper_limit}}",
            "rule 'r': when: total: 'melatonin' is not a supplement with a 'nutrient' block",
        ),
        (
            "{all: [{active: true}, {no_dose: melatonin}]}",
            "rule 'r': when: no_dose: 'melatonin' is not a supplement with a 'nutrient' block",
        ),
    ],
)
def test_names_a_rule_base_does_not_define_are_refused(
    tmp_path: Path, when: str, message: str
) -> None:
    assert _reference_problems(tmp_path, when) == [message]


# --- index keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "anchors", "references"),
    [
        ("{condition: lupus}", {"c:lupus"}, {"c:lupus"}),
        ("{property: x}", {"p:x"}, {"p:x"}),
        ("{strain: named}", {"p:strain-specific"}, set()),
        ("{active: true}", None, set()),
        ("{no_dose: zinc}", {"s:zinc"}, {"s:zinc"}),
        ("{pregnant: true}", None, set()),
        ("{age: {at_least: 51}}", None, set()),
        ("{sex: male}", None, set()),
        ("{not: {supplement: zinc}}", None, {"s:zinc"}),
        ("{any: [{supplement: zinc}, {medication: m}]}", {"s:zinc", "m:m"}, {"s:zinc", "m:m"}),
        ("{any: [{supplement: zinc}, {active: true}]}", None, {"s:zinc"}),
        ("{all: [{condition: ab}, {supplement: zinc}]}", {"c:ab"}, {"c:ab", "s:zinc"}),
    ],
)
def test_anchors_and_references(when: str, anchors: set[str] | None, references: set[str]) -> None:
    test = language.as_test(_when(when))
    assert test.anchors() == (None if anchors is None else frozenset(anchors))
    assert test.references() == frozenset(references)


# --- words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "words"),
    [
        (
            "{not: {any: [{medication: warfarin}, {medication: anticoagulant}]}}",
            "NOT (takes Warfarin OR takes Anticoagulants (or a medication in that class))",
        ),
        ("{not: {supplement: zinc}}", "takes neither Zinc nor a form of it"),
        ("{not: {active: true}}", "the disease is not currently active"),
        (
            "{all: [{strain: unnamed}, {property: strain-specific}]}",
            "a strain-specific supplement is given without naming its strain AND takes a "
            "supplement with the property strain-specific",
        ),
        (
            "{total: {nutrient: zinc, above: {amount: 25, unit: mg}}}",
            "takes more than 25 mg of elemental zinc a day, all products added up",
        ),
        (
            "{total: {nutrient: zinc, above: upper_limit}}",
            "takes more than the upper limit of elemental zinc a day, all products added up (the "
            "limit: 40 mg a day for adults 19 years and older, food and supplements together)",
        ),
        ("{no_dose: zinc}", "takes Zinc (or a form of it) without a dose that can be counted"),
        ("{pregnant: true}", "is pregnant"),
        ("{not: {pregnant: true}}", "is not pregnant (or did not say so)"),
        ("{breastfeeding: true}", "is breastfeeding"),
        ("{age: {below: 19}}", "is under 19 years old (an age was given)"),
        ("{not: {age: {at_least: 51}}}", "is not at least 51 years old, or gave no age"),
        ("{sex: female}", "gave sex female"),
        (
            "{not: {no_dose: zinc}}",
            "takes no Zinc (nor a form of it) without a dose that can be counted",
        ),
    ],
)
def test_when_text(when: str, words: str) -> None:
    assert when_text(_when(when), SHIPPED) == words


def test_when_text_without_a_base_names_ids() -> None:
    when = _when("{all: [{condition: lupus}, {any: [{medication: x}, {active: true}]}]}")
    assert when_text(when) == (
        "has lupus (or a kind of it) AND (takes x (or a medication in that class) OR the disease "
        "is currently active or flaring)"
    )
    assert when_data(when) == {
        "all": [{"condition": "lupus"}, {"any": [{"medication": "x"}, {"active": True}]}]
    }


# --- no_dose: the test added to show that a test is one class and one registry line ----------

NO_DOSE_BASE = """\
supplements:
  - {id: zinc, name: Zinc, nutrient: {measure: elemental zinc, unit: mg}}
  - {id: zinc-picolinate, name: Zinc picolinate, parents: [zinc]}
  - {id: eye-formula, name: Eye formula, contents: {per: one daily dose, amounts: [
      {supplement: zinc, amount: 25, unit: mg}], source: {title: Trial}}}
  - {id: magnesium, name: Magnesium}
rules:
  - id: zinc-without-dose
    title: T
    mechanism: other
    severity: info
    evidence: theoretical
    when: {no_dose: zinc}
    rationale: R.
    advice: A.
    ask: [Q?]
    sources: [{title: S}]
    reviewed: 2026-11-21
    examples:
      fires: [{supplements: [zinc]}]
      silent: [{supplements: [zinc 10 mg]}]
"""


def _check(base: RuleBase, *supplements: str) -> Report:
    profile = names.resolve_profile(base.vocabularies(), supplements=list(supplements))
    return engine.evaluate(base, profile)


@pytest.mark.parametrize(
    ("supplements", "fires", "because"),
    [
        (["zinc"], ["zinc"], ["no amount was given for Zinc"]),
        (["zinc picolinate"], ["zinc-picolinate"], ["no amount was given for Zinc picolinate"]),
        (["zinc 10 mg"], [], []),
        (["zinc picolinate 30 mg", "magnesium"], [], []),
        (["zinc 400 IU"], ["zinc"], ["the amount given for Zinc (400 IU) cannot be counted"]),
        (["eye formula"], [], []),  # counted with its listed amounts
        (["magnesium"], [], []),
        (
            ["zinc 10 mg", "zinc picolinate"],
            ["zinc-picolinate"],
            ["no amount was given for Zinc picolinate"],
        ),
    ],
)
def test_no_dose_fires_only_for_a_dose_that_cannot_be_counted(
    supplements: list[str], fires: list[str], because: list[str]
) -> None:
    report = _check(base_from_yaml(NO_DOSE_BASE), *supplements)
    if not fires:
        assert report.findings == ()
        return
    (finding,) = report.findings
    assert list(finding.supplements) == fires
    assert list(finding.because) == because


def test_no_dose_through_an_extra_rule_file_and_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text(
        textwrap.dedent(NO_DOSE_BASE.split("rules:\n", 1)[1].join(["rules:\n", ""])).replace(
            "zinc-without-dose", "zinc-no-dose-extra"
        ),
        encoding="utf-8",
    )
    result = run("explain", "zinc-no-dose-extra", "--rules", str(path))
    assert result.exit_code == 0, result.stderr
    assert "takes Zinc (or a form of it) without a dose that can be counted" in result.stdout
    assert result.stderr == ""
    result = run("check", "-s", "zinc picolinate", "--rules", str(path), "--format", "json")
    assert result.stderr == ""
    assert result.exit_code == 0  # an info finding: below --fail-on caution
    fired = [f["rule_id"] for f in json.loads(result.stdout)["findings"]]
    assert "zinc-no-dose-extra" in fired


# --- any_supplement ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "supplements", "fires"),
    [
        ("{any_supplement: true}", ["zinc 10 mg"], True),
        ("{any_supplement: true}", [], False),
        ("{any_supplement: false}", [], True),
        ("{any_supplement: false}", ["magnesium"], False),
    ],
)
def test_any_supplement_holds_when_some_supplement_is_taken(
    when: str, supplements: list[str], fires: bool
) -> None:
    text = NO_DOSE_BASE.replace("{no_dose: zinc}", when)
    report = _check(base_from_yaml(text), *supplements)
    assert bool(report.findings) is fires


def test_any_supplement_is_said_in_words_and_refuses_a_non_boolean(tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    rules = NO_DOSE_BASE.split("rules:\n", 1)[1].replace("zinc-without-dose", "any-supp-extra")
    path.write_text(
        textwrap.dedent("rules:\n" + rules).replace("{no_dose: zinc}", "{any_supplement: true}"),
        encoding="utf-8",
    )
    result = run("explain", "any-supp-extra", "--rules", str(path))
    assert result.exit_code == 0 and "takes at least one supplement" in result.stdout
    path.write_text(path.read_text().replace("{any_supplement: true}", "{any_supplement: 1}"))
    result = run("rules", "validate", str(path))
    assert (
        result.exit_code == 2
        and "any_supplement: expected true or false, got a number (1)" in result.stderr
    )


# --- life stage: pregnant, breastfeeding, age, sex -------------------------------------------

STAGE_BASE = """\
supplements:
  - {id: zinc, name: Zinc}
rules:
  - id: zinc-staged
    title: T
    mechanism: other
    severity: info
    evidence: theoretical
    when: {all: [{supplement: zinc}, WHEN]}
    rationale: R.
    advice: A.
    ask: [Q?]
    sources: [{title: S}]
    reviewed: 2026-11-21
    examples:
      fires: [FIRES]
      silent: [{supplements: [zinc]}]
"""


def _staged(when: str, fires: str = "{supplements: [zinc]}") -> RuleBase:
    return base_from_yaml(STAGE_BASE.replace("WHEN", when).replace("FIRES", fires))


def _check_staged(base: RuleBase, **stage: Any) -> Report:
    profile = names.resolve_profile(base.vocabularies(), supplements=["zinc"], **stage)
    return engine.evaluate(base, profile)


@pytest.mark.parametrize(
    ("when", "stage", "because"),
    [
        ("{pregnant: true}", {"pregnant": True}, "you said you are pregnant"),
        ("{pregnant: true}", {}, None),
        ("{pregnant: false}", {}, ""),
        ("{pregnant: false}", {"pregnant": True}, None),
        ("{breastfeeding: true}", {"breastfeeding": True}, "you said you are breastfeeding"),
        ("{breastfeeding: true}", {"pregnant": True}, None),
        ("{age: {below: 19}}", {"age": 16}, "you are 16 (under 19)"),
        ("{age: {below: 19}}", {"age": 19}, None),
        ("{age: {below: 19}}", {}, None),  # no age: false
        ("{age: {at_least: 51}}", {"age": 51}, "you are 51 (at least 51)"),
        ("{age: {at_least: 51}}", {"age": 50}, None),
        ("{age: {at_least: 51}}", {}, None),  # no age: false
        ("{not: {age: {at_least: 51}}}", {}, ""),  # ... so its negation holds
        ("{sex: female}", {"sex": "female"}, "you said your sex is female"),
        ("{sex: female}", {"sex": "male"}, None),
        ("{sex: female}", {}, None),
    ],
)
def test_life_stage_tests_match_only_what_was_given(
    when: str, stage: dict[str, Any], because: str | None
) -> None:
    report = _check_staged(_staged(when), **stage)
    if because is None:
        assert report.findings == ()
        return
    (finding,) = report.findings
    assert [b for b in finding.because if b != "you take Zinc"] == ([because] if because else [])


def test_examples_take_the_life_stage_and_are_run(tmp_path: Path) -> None:
    base = _staged("{age: {below: 19}}", "{supplements: [zinc], age: 16, sex: female}")
    (rule,) = base.rules.values()
    assert rule.fires[0].age == 16 and rule.fires[0].sex == "female"
    from suppcheck.engine.examples import example_problems

    assert list(example_problems(base)) == []
    wrong = _staged("{pregnant: true}", "{supplements: [zinc], breastfeeding: true}")
    (problem,) = example_problems(wrong)
    assert problem.endswith("examples.fires[0]: expected the rule to fire")
    with pytest.raises(RuleFileError) as caught:
        _staged("{pregnant: true}", "{supplements: [zinc], age: old, sex: x, pregnant: 1}")
    assert caught.value.problems == [
        "test.yaml:16: rules[0].examples.fires[0].pregnant: expected true or false",
        "test.yaml:16: rules[0].examples.fires[0].age: expected whole years from 0 to 120",
        "test.yaml:16: rules[0].examples.fires[0].sex: expected female or male, got 'x'",
    ]


def test_life_stage_rule_through_an_extra_rule_file_the_cache_and_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    text = STAGE_BASE.split("rules:\n", 1)[1].replace("zinc-staged", "zinc-teen-extra")
    text = text.replace("WHEN", "{age: {below: 19}}").replace(
        "FIRES", "{supplements: [zinc], age: 16}"
    )
    path.write_text("rules:\n" + text, encoding="utf-8")
    validated = run("rules", "validate", str(path))
    assert validated.exit_code == 0, validated.stderr
    for _ in range(2):  # the second run reads the parsed-rule-base cache
        result = run("check", "-s", "zinc", "--age", "16", "--rules", str(path), "-f", "json")
        assert result.exit_code == 0 and result.stderr == ""
        assert "zinc-teen-extra" in [f["rule_id"] for f in json.loads(result.stdout)["findings"]]
    adult = run("check", "-s", "zinc", "--rules", str(path), "-f", "json")
    assert "zinc-teen-extra" not in [f["rule_id"] for f in json.loads(adult.stdout)["findings"]]
