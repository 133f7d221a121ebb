"""Daily totals name each product's share by what the person typed, so that three zinc products
are told apart ("30 mg from "zinc picolinate 30 mg""), in the totals section, in the upper-limit
finding's reason, and in JSON (`totals[].products[].input`, added beside `name`) (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from tests.helpers import run

from suppcheck.engine.pipeline import run_check
from suppcheck.inputs.regimen import Regimen
from suppcheck.model import Contribution, NutrientTotal
from suppcheck.report.data import report_to_dict
from suppcheck.report.jsonline import report_to_json
from suppcheck.rules import cache

REGIMEN = """\
supplements:
  - zinc 15 mg
  - zinc 10 mg twice daily
  - {name: multivitamin, contents: [{name: zinc, amount: 11, unit: mg}]}
"""


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_each_share_is_named_as_typed_in_the_totals_and_the_reason(tmp_path: Path) -> None:
    regimen = tmp_path / "regimen.yaml"
    regimen.write_text(REGIMEN, encoding="utf-8")
    result = run("check", "--input", str(regimen), "-s", "zinc picolinate 30 mg", "--no-input")
    assert result.exit_code == 1  # 66 mg of zinc a day is above the upper limit
    assert result.stderr == ""
    shown = _flat(result.stdout)
    assert (
        "Zinc: 76 mg a day, ABOVE the upper limit of 40 mg for adults 19 years and older (" in shown
    )
    assert "your elemental zinc adds up to 76 mg a day (" in shown
    for share in (
        '15 mg from "zinc 15 mg"',
        '20 mg from "zinc 10 mg twice daily"',
        '11 mg from "multivitamin: zinc 11 mg"',
        '30 mg from "zinc picolinate 30 mg"',
    ):
        assert shown.count(share) == 2, share  # in the totals and in the finding's reason
    assert "(Zinc 15 mg" not in shown  # the entry's name alone no longer stands for a product


def test_a_salt_share_is_the_elemental_amount_next_to_the_typed_weight() -> None:
    result = run("check", "-s", "ferrous sulfate 325 mg", "--format", "markdown")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert '(65 mg from "ferrous sulfate 325 mg")' in result.stdout


def test_json_adds_the_typed_input_beside_the_name_and_the_fast_encoding_agrees() -> None:
    report = run_check(cache.load(), Regimen([], ["zinc 15 mg", "zinc picolinate 30 mg"]))
    data = report_to_dict(report)
    zinc = next(t for t in data["totals"] if t["nutrient"] == "zinc")
    assert zinc["products"] == [
        {"name": "Zinc", "amount": 15, "input": "zinc 15 mg"},
        {"name": "Zinc picolinate", "amount": 30, "input": "zinc picolinate 30 mg"},
    ] or zinc["products"] == [
        {"name": "Zinc picolinate", "amount": 30, "input": "zinc picolinate 30 mg"},
        {"name": "Zinc", "amount": 15, "input": "zinc 15 mg"},
    ]
    assert json.loads(report_to_json(report)) == data


def test_the_cli_json_report_validates_with_inputs() -> None:
    result = run("check", "-s", "zinc 15 mg", "-s", "zinc 30 mg", "--format", "json")
    assert result.exit_code == 1
    assert result.stderr == ""
    data = json.loads(result.stdout)
    schema = json.loads((Path(__file__).parents[2] / "docs" / "report-schema.json").read_text())
    jsonschema.validate(data, schema)
    zinc = data["totals"][0]
    assert [p["input"] for p in zinc["products"]] == ["zinc 15 mg", "zinc 30 mg"]
    assert [p["name"] for p in zinc["products"]] == ["Zinc", "Zinc"]


def test_the_breakdown_names_each_share_as_typed() -> None:
    shares = (Contribution("Zinc", 15, "zinc 15 mg"), Contribution("Zinc", 30, "Zinc 30mg"))
    total = NutrientTotal("zinc", "Zinc", "mg", 45, shares, (), None, None)
    assert total.breakdown == '15 mg from "zinc 15 mg" + 30 mg from "Zinc 30mg"'


def test_a_nutrient_named_inside_a_sentence_keeps_its_capitals() -> None:
    # "vitamin c (ascorbic acid)" was printed when the note lower-cased the whole name
    result = run("check", "-s", "vitamin C", "--format", "json")
    notes = json.loads(result.stdout)["notes"]
    assert any("the daily total of vitamin C (ascorbic acid) could not" in n for n in notes), notes
