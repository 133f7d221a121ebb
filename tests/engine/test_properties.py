"""Properties of the engine over generated profiles (hypothesis), on the shipped rule base."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from suppcheck.cli.main import exit_status
from suppcheck.engine import evaluate as engine
from suppcheck.engine import resolve as names
from suppcheck.model import Kind, Report, Severity, When
from suppcheck.report.data import report_to_dict
from suppcheck.rules import loader
from suppcheck.rules.language import AllOf, AnyOf, NotOf

BASE = loader.load()
CONDITIONS = sorted(BASE.entries[Kind.CONDITION])
SUPPLEMENTS = sorted(BASE.entries[Kind.SUPPLEMENT])
MEDICATIONS = sorted(BASE.entries[Kind.MEDICATION])
DOSES = ["", " 5 mg", " 50 mg", " 400 mcg", " 2000 IU", " 10 billion CFU", " 3 g"]

supplement = st.builds(lambda s, d: s + d, st.sampled_from(SUPPLEMENTS), st.sampled_from(DOSES))
profiles = st.fixed_dictionaries(
    {
        "conditions": st.lists(st.sampled_from(CONDITIONS), max_size=3),
        "supplements": st.lists(supplement, min_size=1, max_size=4),
        "medications": st.lists(st.sampled_from(MEDICATIONS), max_size=2),
        "active": st.booleans(),
    }
)
SETTINGS = settings(max_examples=60, deadline=None)


def evaluate(profile: dict[str, Any]) -> Report:
    resolved = names.resolve_profile(
        BASE.vocabularies(),
        conditions=profile["conditions"],
        supplements=profile["supplements"],
        medications=profile["medications"],
        active=profile["active"],
    )
    return engine.evaluate(BASE, resolved)


def as_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2)


def negates(when: When) -> bool:
    if isinstance(when, NotOf):
        return True
    if isinstance(when, AllOf | AnyOf):
        return any(negates(item) for item in when.items)
    return False


# Rules with `not` may stop firing when something is added ("turmeric, unless you have
# autoimmune hepatitis"); monotonicity is claimed only for the others.
NEGATING = {rule.id for rule in BASE.rules.values() if negates(rule.when)}


def test_the_shipped_base_has_few_negating_rules() -> None:
    assert len(NEGATING) < len(BASE.rules) // 4


@SETTINGS
@given(profiles)
def test_same_input_gives_byte_identical_json(profile: dict[str, Any]) -> None:
    assert as_json(evaluate(profile)) == as_json(evaluate(profile))


@SETTINGS
@given(profiles, st.randoms(use_true_random=False))
def test_order_of_inputs_does_not_matter(profile: dict[str, Any], rng: Any) -> None:
    shuffled = {
        key: rng.sample(value, len(value)) if isinstance(value, list) else value
        for key, value in profile.items()
    }
    first = report_to_dict(evaluate(profile))
    second = report_to_dict(evaluate(shuffled))
    first.pop("input")
    second.pop("input")
    assert first == second


@SETTINGS
@given(profiles, st.sampled_from(CONDITIONS), supplement)
def test_adding_an_item_never_removes_a_finding(
    profile: dict[str, Any], condition: str, extra: str
) -> None:
    before = {f.rule.id for f in evaluate(profile).findings} - NEGATING
    for key, value in (("conditions", condition), ("supplements", extra)):
        grown = dict(profile, **{key: [*profile[key], value]})
        after = {f.rule.id for f in evaluate(grown).findings}
        assert before <= after, key


@SETTINGS
@given(profiles)
def test_every_finding_names_only_inputs_that_were_given(profile: dict[str, Any]) -> None:
    report = evaluate(profile)
    given_ids = {
        "conditions": {r.id for r in report.profile.conditions},
        "supplements": {r.id for r in report.profile.supplements},
        "medications": {r.id for r in report.profile.medications},
    }
    for finding in report.findings:
        assert set(finding.conditions) <= given_ids["conditions"]
        assert set(finding.supplements) <= given_ids["supplements"]
        assert set(finding.medications) <= given_ids["medications"]


@SETTINGS
@given(profiles, st.sampled_from(["conditions", "supplements", "medications"]),
       st.sampled_from(["zzqx unknown", "ashwaganda", "zinc 5 spoons", ""]))  # fmt: skip
def test_input_not_understood_never_exits_0(
    profile: dict[str, Any], key: str, unknown: str
) -> None:
    report = evaluate(dict(profile, **{key: [*profile[key], unknown]}))
    assert not report.fully_understood
    for fail_on in Severity:
        assert exit_status(report, fail_on) != 0
