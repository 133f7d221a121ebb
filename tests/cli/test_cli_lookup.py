"""suppcheck list / show / explain through the CLI: exit code, stdout and stderr together."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import run

from suppcheck.cli.lookup import complete_name
from suppcheck.model import Kind
from suppcheck.rules import loader

BASE = loader.load()


def _json(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def _rule_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "extra.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


# --- list ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "known"),
    [
        ("conditions", "hashimotos-thyroiditis"),
        ("supplements", "zinc-picolinate"),
        ("medications", "methotrexate"),
        ("rules", "melatonin-immune-stimulation"),
    ],
)
def test_list_text_shows_every_item_and_a_count(kind: str, known: str) -> None:
    result = run("list", kind)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert known in result.stdout
    expected = len(BASE.rules) if kind == "rules" else len(BASE.entries[Kind(kind[:-1])])
    assert result.stdout.rstrip().splitlines()[-1] == f"{expected} {kind}"


def test_list_supplements_text_has_aliases_parents_properties_and_limit() -> None:
    out = run("list", "supplements").stdout
    assert "also called: Zn, zinc supplement" in out
    assert "a form of: zinc" in out
    assert "properties: hormone, immune-stimulating" in out
    assert "upper limit: 40 mg a day" in out


def test_list_rules_text_has_severity_evidence_and_title() -> None:
    lines = run("list", "rules").stdout.splitlines()
    row = next(i for i, line in enumerate(lines) if "melatonin-immune-stimulation" in line)
    assert lines[row].split()[:2] == ["caution", "theoretical"]
    assert "Melatonin may stimulate" in lines[row + 1]


@pytest.mark.parametrize("kind", ["conditions", "supplements", "medications"])
def test_list_entries_json(kind: str) -> None:
    data = _json("list", kind)
    entry_kind = Kind(kind[:-1])
    assert data["kind"] == kind
    assert data["rule_base"]["version"] == BASE.info.version
    assert [item["id"] for item in data["items"]] == sorted(BASE.entries[entry_kind])
    first = data["items"][0]
    assert {"id", "name", "aliases", "parents"} <= set(first)
    assert ("upper_limit" in first) == (entry_kind is Kind.SUPPLEMENT)


def test_list_supplements_json_has_properties_and_upper_limit_with_source() -> None:
    items = {item["id"]: item for item in _json("list", "supplements")["items"]}
    zinc = items["zinc"]
    assert zinc["properties"] == ["mineral"]
    assert zinc["upper_limit"]["amount"] == 40
    assert zinc["upper_limit"]["unit"] == "mg"
    assert zinc["upper_limit"]["source"]["url"].startswith("https://")
    assert items["zinc-picolinate"]["parents"] == ["zinc"]
    assert items["zinc-picolinate"]["upper_limit"] == zinc["upper_limit"]  # counted as zinc
    assert items["melatonin"]["upper_limit"] is None


def test_list_rules_json() -> None:
    items = _json("list", "rules")["items"]
    assert [item["id"] for item in items] == list(BASE.rules)
    melatonin = next(i for i in items if i["id"] == "melatonin-immune-stimulation")
    assert melatonin["severity"] == "caution"
    assert melatonin["evidence"] == "theoretical"
    assert melatonin["title"].startswith("Melatonin may")


def test_list_unknown_kind_is_a_usage_error() -> None:
    result = run("list", "herbs")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "conditions" in result.stderr and "herbs" in result.stderr


# --- show ------------------------------------------------------------------------------------


def test_show_condition_by_possessive_alias() -> None:
    result = run("show", "Hashimoto's")
    assert result.exit_code == 0
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("Hashimoto's thyroiditis (condition: hashimotos-thyroiditis)")
    assert "a kind of     Autoimmune thyroid disease (autoimmune-thyroid-disease)" in out
    assert "also under    Autoimmune disease (autoimmune)" in out
    assert "melatonin-immune-stimulation" in out  # a rule on a parent condition


def test_show_supplement_form_with_inherited_nutrient_and_limit() -> None:
    result = run("show", "zinc picolinate")
    assert result.exit_code == 0
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("Zinc picolinate (supplement: zinc-picolinate)")
    assert "a form of     Zinc (zinc)" in out
    assert "elemental zinc, counted in mg (as declared for zinc)" in out
    assert "40 mg a day for adults 19 years and older" in out
    assert "https://ods.od.nih.gov/factsheets/Zinc-HealthProfessional/" in out
    assert "zinc-total-above-upper-limit" in out


def test_show_medication_by_brand_name() -> None:
    result = run("show", "Humira")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith("Adalimumab (medication: adalimumab)")
    assert "in the class  TNF inhibitors (tnf-inhibitor)" in result.stdout


def test_show_parent_lists_its_forms() -> None:
    words = " ".join(run("show", "zinc").stdout.split())  # wrapping may split a name
    assert "forms Zinc acetate (zinc-acetate)," in words
    assert "Zinc picolinate (zinc-picolinate)" in words


def test_show_json() -> None:
    data = _json("show", "zinc picolinate")
    assert data["query"] == "zinc picolinate"
    (match,) = data["matches"]
    assert match["kind"] == "supplement"
    assert match["id"] == "zinc-picolinate"
    assert match["parents"] == [{"id": "zinc", "name": "Zinc"}]
    assert match["properties"] == ["mineral"]
    assert match["nutrient"]["declared_by"] == "zinc"
    assert match["nutrient"]["upper_limit"]["amount"] == 40
    assert "zinc-copper-interference" in [rule["id"] for rule in match["rules"]]


def test_show_known_supplement_without_rule_says_so() -> None:
    entry = next(e for e in BASE.entries[Kind.SUPPLEMENT].values() if e.no_known_caution)
    result = run("show", entry.id)
    assert result.exit_code == 0
    assert "known, no rule: " in result.stdout
    assert _json("show", entry.id)["matches"][0]["no_known_caution"]["note"]


def test_show_name_in_several_kinds_shows_all(tmp_path: Path) -> None:
    extra = _rule_file(
        tmp_path,
        """
        conditions:
          - {id: zinc-allergy, name: Zinc allergy, aliases: [zinc]}
        """,
    )
    result = run("show", "zinc", "--rules", extra)
    assert result.exit_code == 0
    assert "Zinc (supplement: zinc)" in result.stdout
    assert "Zinc allergy (condition: zinc-allergy)" in result.stdout
    kinds = [m["kind"] for m in _json("show", "zinc", "--rules", extra)["matches"]]
    assert kinds == ["supplement", "condition"]


def test_show_unknown_name_exits_2_with_suggestions() -> None:
    result = run("show", "melatonine")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "suppcheck: error: 'melatonine' is not a supplement, condition or medication in the "
        "rule base\n  did you mean: melatonin (supplement)?\n"
    )


def test_show_empty_name_is_a_usage_error() -> None:
    result = run("show", " ' ")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("suppcheck: error: give a name with at least one letter")


def test_show_prints_rule_file_text_literally(tmp_path: Path) -> None:
    extra = _rule_file(
        tmp_path,
        """
        supplements:
          - {id: odd, name: "[bold red]Odd\\e[31m", aliases: ["[link]"]}
        """,
    )
    result = run("show", "odd", "--rules", extra)
    assert result.exit_code == 0
    assert "[bold red]Odd\\x1b[31m" in result.stdout  # markup shown, escape made visible
    assert "\x1b" not in result.stdout
    assert "No rule involves it. The absence of a rule is not evidence of safety." in result.stdout


def test_complete_name_offers_every_kind() -> None:
    offered = dict(complete_name("hashi"))
    assert offered["hashimotos-thyroiditis"] == "Hashimoto's thyroiditis (condition)"
    assert dict(complete_name("zinc-pic"))["zinc-picolinate"] == "Zinc picolinate (supplement)"


# --- explain ---------------------------------------------------------------------------------


def test_explain_rule_in_full() -> None:
    result = run("explain", "melatonin-immune-stimulation")
    assert result.exit_code == 0
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("Melatonin may stimulate")
    assert "severity      caution: talk to a clinician" in out
    assert "evidence      theoretical: a plausible mechanism" in out
    assert "mechanism     immune-stimulation" in out
    words = " ".join(out.split())
    assert "applies when takes Melatonin (or a form of it) AND has Autoimmune disease" in words
    for heading in ("Why", "What to do", "Ask your clinician", "Sources"):
        assert f"\n{heading}\n" in out
    assert "1. Why is melatonin bad for autoimmune" in out
    assert "fires on   conditions: lupus; supplements: melatonin" in out
    assert "silent on" in out


def test_explain_shows_source_urls() -> None:
    out = run("explain", "zinc-total-above-upper-limit").stdout
    assert "https://ods.od.nih.gov/factsheets/Zinc-HealthProfessional/" in out


def test_explain_json() -> None:
    data = _json("explain", "melatonin-immune-stimulation")
    rule = data["rule"]
    assert rule["id"] == "melatonin-immune-stimulation"
    assert rule["when"] == {"all": [{"supplement": "melatonin"}, {"condition": "autoimmune"}]}
    assert rule["when_text"] == (
        "takes Melatonin (or a form of it) AND has Autoimmune disease (or a kind of it)"
    )
    assert rule["evidence_meaning"].startswith("a plausible mechanism")
    assert rule["sources"][0] == {"title": "Why is melatonin bad for autoimmune", "url": None}
    assert rule["examples"]["fires"][0]["conditions"] == ["lupus"]
    assert rule["reviewed"] == "2026-11-21"
    assert rule["defined_at"].startswith("rules.yaml:")


def test_explain_ignores_case() -> None:
    assert run("explain", "Melatonin-Immune-Stimulation").exit_code == 0


def test_explain_unknown_rule_exits_2_with_suggestions() -> None:
    result = run("explain", "melatonin-immune")
    assert result.exit_code == 2
    assert result.stdout == ""
    first, second = result.stderr.splitlines()
    assert first == "suppcheck: error: no rule with the id 'melatonin-immune'"
    assert second.startswith("  did you mean: melatonin-immune-stimulation")


def test_explain_unknown_rule_without_close_match_has_no_suggestion_line() -> None:
    result = run("explain", "xq")
    assert result.exit_code == 2
    assert result.stderr == "suppcheck: error: no rule with the id 'xq'\n"


def test_show_says_how_a_typed_amount_of_a_salt_counts() -> None:
    # the UL caveat says "amounts must be elemental iron", which read as an instruction to type
    # the elemental amount; iron salts are in fact typed as the tablet's salt weight
    iron = " ".join(run("show", "ferrous-sulfate").stdout.split())
    assert "an amount typed after Ferrous sulfate is the salt's weight" in iron
    assert "20% of it counts as the element" in iron
    calcium = " ".join(run("show", "calcium carbonate").stdout.split())
    assert "is the elemental amount, as Supplement Facts labels list it" in calcium
    data = _json("show", "ferrous-sulfate")["matches"][0]["elemental_fraction"]
    assert data["typed_as"] == "salt" and data["value"] == 0.2
