"""Names through the CLI (issue 11): safe suggestions, the autoimmune fallback for an unknown
condition, and asking on a terminal only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import run, run_json


def test_an_unknown_condition_offers_the_autoimmune_fallback_and_the_list() -> None:
    result = run("check", "--no-profile", "-c", "lupsu", "-c", "weird disease", "-s", "zinc")
    assert result.exit_code == 3 and result.stderr == ""
    out = " ".join(result.stdout.split())
    assert (
        "condition lupsu: unknown condition, not checked. Did you mean lupus? If your "
        "condition is autoimmune, `-c autoimmune` gives the general autoimmune cautions; "
        "`suppcheck list conditions` shows every known condition." in out
    )
    assert "condition weird disease: unknown condition, not checked. If your condition" in out


def test_a_known_condition_or_an_unknown_supplement_gets_no_autoimmune_hint() -> None:
    result = run("check", "--no-profile", "-c", "lupus", "-s", "jiaogulan")
    assert result.exit_code == 3 and result.stderr == ""
    assert "-c autoimmune" not in result.stdout
    assert "jiaogulan: unknown supplement, not checked" in " ".join(result.stdout.split())


def test_misleading_suggestions_are_gone_from_the_report() -> None:
    # glutamine once led to glucosamine, Caltrate to calcium citrate: both are known now
    code, data = run_json("check", "--no-profile", "-c", "lupus", "-s", "glutamine", "-s",
                          "Caltrate", "-s", "turmerik", "-s", "glutamin")  # fmt: skip
    assert code == 3
    offered = {u["input"]: u["suggestions"] for u in data["unresolved"]}
    assert offered == {"turmerik": ["turmeric"], "glutamin": ["l-glutamine"]}
    resolved = {s["input"]: s["id"] for s in data["supplement_status"]}
    assert resolved == {"glutamine": "l-glutamine", "Caltrate": "calcium-carbonate"}


# A product with its label's contents (regimen files, batch lines, the API).
MULTIVITAMIN = {
    "name": "multivitamin",
    "contents": [
        {"name": "zinc", "amount": 11, "unit": "mg"},
        {"name": "vitamin Q", "amount": 5, "unit": "mg"},
    ],
}


def _contents_report(data: dict[str, Any]) -> None:
    resolved = {s["input"]: s["id"] for s in data["resolved"]["supplements"]}
    assert resolved == {
        "multivitamin": "multivitamin",
        "multivitamin: zinc 11 mg": "zinc",
        "zinc 30 mg": "zinc",
    }
    [unknown] = data["unresolved"]  # an ingredient not understood is reported like any input
    assert unknown["input"] == "multivitamin: vitamin Q 5 mg"
    assert unknown["reason"] == "unknown supplement"
    [zinc] = [t for t in data["totals"] if t["nutrient"] == "zinc"]
    assert zinc["total"] == 41  # the label's 11 mg joins the 30 mg
    fired = {f["rule_id"] for f in data["findings"]}
    assert {"zinc-total-above-upper-limit", "varying-contents-product-label-amounts"} <= fired


def test_product_contents_in_a_regimen_file_join_the_totals(tmp_path: Path) -> None:
    regimen = tmp_path / "regimen.yaml"
    regimen.write_text(
        "conditions: [lupus]\nsupplements:\n  - name: multivitamin\n    contents:\n"
        "      - {name: zinc, amount: 11, unit: mg}\n"
        "      - {name: vitamin Q, amount: 5, unit: mg}\n  - zinc 30 mg\n"
    )
    code, data = run_json("check", "--no-profile", "--input", str(regimen))
    assert code == 1
    _contents_report(data)
    text = run("check", "--no-profile", "--input", str(regimen))
    assert text.exit_code == 1 and text.stderr == ""
    assert "multivitamin: zinc 11 mg -> Zinc, 11 mg a day" in text.stdout


def test_product_contents_in_batch_and_the_api() -> None:
    from suppcheck import api

    line = json.dumps({"id": 7, "conditions": ["lupus"],
                       "supplements": [MULTIVITAMIN, "zinc 30 mg"]})  # fmt: skip
    batch = run("batch", input=line + "\n")
    assert batch.exit_code == 1 and batch.stderr == ""
    from_batch = json.loads(batch.stdout)
    _contents_report(from_batch)
    from_api = api.check(["lupus"], [MULTIVITAMIN, "zinc 30 mg"])
    _contents_report(from_api)
    assert from_batch == {"id": 7, **from_api}


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        ("[]", ": contents: expected a list of {name, amount, unit}"),
        ("[{name: zinc}]", ".contents[0]: expected keys name (text), amount and unit"),
        ("[{name: zinc, amount: -1, unit: mg}]", ".contents[0]: amount: expected a positive"),
        ("[{name: zinc, amount: 5, unit: ''}]", ".contents[0]: unit: expected a unit"),
    ],
)
def test_broken_contents_stop_with_file_and_line(
    tmp_path: Path, contents: str, message: str
) -> None:
    regimen = tmp_path / "regimen.yaml"
    regimen.write_text(f"supplements:\n  - {{name: multivitamin, contents: {contents}}}\n")
    result = run("check", "--no-profile", "--input", str(regimen))
    assert result.exit_code == 2 and result.stdout == ""
    assert f"regimen.yaml:2: supplements[0]{message}" in result.stderr
