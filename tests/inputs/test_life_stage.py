"""Life stage: age, sex, pregnant and breastfeeding as inputs (check, regimen files, the saved
profile, batch, the API), the upper limits of the person's own life-stage group, and the report
saying which population its limits are for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import run, run_json
from typer.testing import CliRunner

from suppcheck import api, paths
from suppcheck.cli.main import app
from suppcheck.model import LIFE_STAGE_POPULATION, Profile
from suppcheck.report import wording
from suppcheck.rules.loader import LIFE_STAGE_GROUPS

SUPPCHECK = str(Path(sys.executable).parent / "suppcheck")
NO_STAGE = {"age": None, "sex": None, "pregnant": False, "breastfeeding": False}


def stage_of(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data["input"][key] for key in NO_STAGE}


# --- the inputs ---------------------------------------------------------------------------------


def test_check_options_reach_the_json_input_and_the_text_report() -> None:
    code, data = run_json("check", "-s", "zinc 8 mg", "--age", "34", "--sex", "Female")
    assert code == 0
    assert stage_of(data) == {"age": 34, "sex": "female", "pregnant": False,
                              "breastfeeding": False}  # fmt: skip
    result = run("check", "-s", "zinc 8 mg", "--age", "30", "--pregnant")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "life stage  age 30, pregnant" in result.stdout


def test_without_life_stage_the_json_input_says_none_was_given() -> None:
    code, data = run_json("check", "-s", "zinc 8 mg")
    assert code == 0
    assert stage_of(data) == NO_STAGE


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--age", "121"], "error: --age: expected a whole number of years from 0 to 120, got 121"),
        (["--age", "-1"], "error: --age: expected a whole number of years from 0 to 120, got -1"),
        (["--age", "ten"], "--age: expected a whole number of years from 0 to 120, got 'ten'"),
        (["--age", "16.5"], "--age: expected a whole number of years from 0 to 120, got '16.5'"),
        (["--sex", "other"], "suppcheck: error: --sex: expected female or male, got 'other'"),
        (
            ["--sex", "male", "--pregnant"],
            "suppcheck: error: pregnant and sex male were both given: correct one of them",
        ),
        (
            ["--age", "8", "--pregnant"],
            "suppcheck: error: pregnant with age 8: pregnant is for the person who is pregnant, "
            "and cannot be combined with an age under 10; check the age",
        ),
        (
            ["--age", "2", "--breastfeeding"],
            "suppcheck: error: breastfeeding with age 2: breastfeeding is for the person who is "
            "breastfeeding, and cannot be combined with an age under 10; check the age",
        ),
        (["--age", "30", "--age", "31"], "given more than once"),
    ],
)
def test_bad_life_stage_options_are_usage_errors(args: list[str], message: str) -> None:
    result = run("check", "-s", "zinc", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in " ".join(result.stderr.split())


def test_regimen_file_keys_and_their_errors_with_lines(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("supplements: [zinc 8 mg]\nage: 16\nsex: female\nbreastfeeding: true\n")
    code, data = run_json("check", "-i", str(good))
    assert code == 0
    assert stage_of(data) == {"age": 16, "sex": "female", "pregnant": False, "breastfeeding": True}
    for text, message in (
        ("age: 16.5", "bad.yaml:2: age: expected a whole number of years from 0 to 120, got 16.5"),
        ("age: true", "bad.yaml:2: age: expected a whole number of years from 0 to 120, got True"),
        ("sex: [f]", "bad.yaml:2: sex: expected female or male, got a list"),
        ("pregnant: yes please", "bad.yaml:2: pregnant: expected true or false"),
        ("sex: male\npregnant: true", "bad.yaml:3: pregnant and sex male were both given"),
    ):
        bad = tmp_path / "bad.yaml"
        bad.write_text(f"supplements: [zinc]\n{text}\n")
        result = run("check", "-i", str(bad))
        assert result.exit_code == 2, text
        assert result.stdout == ""
        assert result.stderr.startswith(f"suppcheck: error: {bad.parent}/{message}"), text


def test_an_age_given_twice_differently_is_refused_not_dropped(tmp_path: Path) -> None:
    regimen = tmp_path / "r.yaml"
    regimen.write_text("supplements: [zinc]\nage: 40\n")
    result = run("check", "-i", str(regimen), "--age", "16")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "age is given twice, as 40 and as 16" in result.stderr
    same = run("check", "-i", str(regimen), "--age", "40", "--format", "json")
    assert same.exit_code == 0, same.stderr
    assert json.loads(same.stdout)["input"]["age"] == 40


def test_file_and_command_line_together_must_hold(tmp_path: Path) -> None:
    regimen = tmp_path / "r.yaml"
    regimen.write_text("supplements: [zinc]\npregnant: true\n")
    result = run("check", "-i", str(regimen), "--sex", "male")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "pregnant and sex male were both given: correct one of them (the inputs together)" in (
        result.stderr
    )


def test_profile_add_show_check_and_remove_the_life_stage() -> None:
    result = run("profile", "add", "--age", "17", "--sex", "female", "--breastfeeding")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "added age 17" in result.stderr and "marked breastfeeding" in result.stderr
    shown = run("profile", "show")
    assert shown.exit_code == 0 and shown.stderr == ""
    assert "  life stage  age 17, female, breastfeeding\n" in shown.stdout
    data = json.loads(run("profile", "show", "-f", "json").stdout)
    assert {key: data[key] for key in NO_STAGE} == {
        "age": 17, "sex": "female", "pregnant": False, "breastfeeding": True,
    }  # fmt: skip
    code, report = run_json("check", "-s", "zinc 8 mg")
    assert code == 0
    assert report["input"]["saved_profile_used"] is True
    assert stage_of(report)["age"] == 17
    changed = run("profile", "add", "--age", "18")
    assert changed.exit_code == 0 and "changed age from 17 to 18" in changed.stderr
    refused = run("profile", "add", "--sex", "male", "--pregnant")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "pregnant and sex male were both given" in refused.stderr
    removed = run("profile", "remove", "--age", "--breastfeeding", "--pregnant")
    assert removed.exit_code == 0, removed.stderr
    assert "removed age" in removed.stderr and "removed breastfeeding" in removed.stderr
    assert "your profile has no pregnant saved" in removed.stderr
    code, report = run_json("check", "-s", "zinc 8 mg")
    assert stage_of(report) == {**NO_STAGE, "sex": "female"}


def test_saved_pregnant_with_typed_sex_male_is_refused() -> None:
    assert run("profile", "add", "--pregnant").exit_code == 0
    result = run("check", "-s", "zinc", "--sex", "male")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "pregnant and sex male were both given" in result.stderr
    assert run("check", "-s", "zinc", "--sex", "male", "--no-profile").exit_code == 0


def test_a_damaged_life_stage_in_the_saved_profile_is_reported() -> None:
    path = paths.profile_path()
    path.parent.mkdir(parents=True)
    path.write_text("conditions: []\nage: old\n", encoding="utf-8")
    result = run("check", "-s", "zinc")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{path}:2: age: expected a whole number of years" in result.stderr
    assert "(damaged saved profile)" in result.stderr


def test_batch_lines_take_the_life_stage_and_report_bad_values() -> None:
    lines = [
        {"id": "a", "supplements": ["zinc 8 mg"], "age": 16, "pregnant": True},
        {"id": "b", "supplements": ["zinc"], "age": "16"},
        {"id": "c", "supplements": ["zinc"], "sex": "male", "pregnant": True},
    ]
    text = "".join(json.dumps(item) + "\n" for item in lines)
    result = CliRunner().invoke(app, ["batch"], input=text)
    assert result.exit_code == 3
    assert result.stderr == ""
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["id"] == "a"
    assert stage_of(out[0]) == {"age": 16, "sex": None, "pregnant": True, "breastfeeding": False}
    assert out[1] == {"line": 2, "id": "b", "error": "age: expected a whole number of years "
                      "from 0 to 120, got '16'"}  # fmt: skip
    assert out[2] == {"line": 3, "id": "c", "error": "pregnant and sex male were both given: "
                      "correct one of them"}  # fmt: skip


def test_batch_output_equals_check_json_with_a_life_stage() -> None:
    text = json.dumps({"supplements": ["vitamin A 10000 IU"], "age": 30, "sex": "female",
                       "pregnant": True}) + "\n"  # fmt: skip
    result = CliRunner().invoke(app, ["batch"], input=text)
    (line,) = [json.loads(item) for item in result.stdout.splitlines()]
    code, data = run_json("check", "-s", "vitamin A 10000 IU", "--age", "30", "--sex", "female",
                          "--pregnant")  # fmt: skip
    assert result.exit_code == code
    assert {"id": None, **data} == line


def test_api_takes_the_life_stage_and_refuses_bad_values() -> None:
    checker = api.Checker()
    report = checker.check(supplements=["zinc 8 mg"], age=16, sex="female", breastfeeding=True)
    assert stage_of(report) == {"age": 16, "sex": "female", "pregnant": False,
                                "breastfeeding": True}  # fmt: skip
    assert report == json.loads(
        run(
            "check",
            "-s",
            "zinc 8 mg",
            "--age",
            "16",
            "--sex",
            "female",
            "--breastfeeding",
            "--format",
            "json",
        ).stdout
    )
    with pytest.raises(ValueError, match="age: expected a whole number of years"):
        checker.check(supplements=["zinc"], age=130)
    with pytest.raises(ValueError, match="sex: expected female or male"):
        checker.check(supplements=["zinc"], sex="f")
    with pytest.raises(ValueError, match="pregnant and sex male"):
        checker.check(supplements=["zinc"], sex="male", pregnant=True)
    with pytest.raises(TypeError, match="pregnant: expected True or False"):
        checker.check(supplements=["zinc"], pregnant="yes")  # type: ignore[arg-type]
    many = list(checker.check_many([{"id": 1, "supplements": ["zinc"], "age": 5.5}]))
    error = "age: expected a whole number of years from 0 to 120, got 5.5"
    assert many == [{"line": 1, "id": 1, "error": error}]
    assert api.check(supplements=["zinc 8 mg"], age=40)["input"]["age"] == 40


def test_installed_cli_takes_the_life_stage() -> None:
    result = subprocess.run(
        [
            SUPPCHECK,
            "check",
            "-s",
            "vitamin A 10000 IU",
            "--age",
            "30",
            "--pregnant",
            "--format",
            "json",
            "--no-profile",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    data = json.loads(result.stdout)
    assert result.stderr == ""
    assert stage_of(data) == {"age": 30, "sex": None, "pregnant": True, "breastfeeding": False}
    assert result.returncode in (0, 1)  # decided by the rules; the input itself is understood
    assert data["summary"]["fully_understood"] is True


# --- the groups -----------------------------------------------------------------------------------


def test_every_loader_group_has_words_and_the_model_chooses_only_those() -> None:
    assert set(LIFE_STAGE_POPULATION) == set(LIFE_STAGE_GROUPS)
    chosen = {
        Profile(age=age, pregnant=p, breastfeeding=b).life_stage_group
        for age in [None, *range(0, 121)]
        for p in (False, True)
        for b in (False, True)
    }
    assert chosen == {*LIFE_STAGE_GROUPS, None}


@pytest.mark.parametrize(
    ("age", "pregnant", "breastfeeding", "group"),
    [
        (None, False, False, "adults-19+"),
        (0, False, False, None),
        (1, False, False, "ages-1-3"),
        (3, False, False, "ages-1-3"),
        (4, False, False, "ages-4-8"),
        (13, False, False, "ages-9-13"),
        (14, False, False, "ages-14-18"),
        (18, False, False, "ages-14-18"),
        (19, False, False, "adults-19+"),
        (None, True, False, "pregnancy-19+"),
        (18, True, False, "pregnancy-14-18"),
        (19, True, True, "pregnancy-19+"),
        (16, False, True, "lactation-14-18"),
        (None, False, True, "lactation-19+"),
    ],
)
def test_life_stage_group(age: int | None, pregnant: bool, breastfeeding: bool, group: str) -> None:
    profile = Profile(age=age, pregnant=pregnant, breastfeeding=breastfeeding)
    assert profile.life_stage_group == group


# --- upper limits by life stage -----------------------------------------------------------------


def total_of(data: dict[str, Any], nutrient: str) -> dict[str, Any]:
    (total,) = [t for t in data["totals"] if t["nutrient"] == nutrient]
    return total


def fired(data: dict[str, Any]) -> set[str]:
    return {f["rule_id"] for f in data["findings"]}


def test_a_16_year_old_is_held_to_the_limit_for_14_to_18_years() -> None:
    code, adult = run_json("check", "-s", "zinc 38 mg")
    assert code == 0
    assert total_of(adult, "zinc")["upper_limit"]["amount"] == 40
    assert total_of(adult, "zinc")["over_limit"] is False
    assert "zinc-total-above-upper-limit" not in fired(adult)
    code, teen = run_json("check", "-s", "zinc 38 mg", "--age", "16")
    assert code == 1
    limit = total_of(teen, "zinc")["upper_limit"]
    assert (limit["amount"], limit["unit"], limit["population"]) == (
        34, "mg", "adolescents 14 to 18 years"
    )  # fmt: skip
    assert total_of(teen, "zinc")["over_limit"] is True
    (finding,) = [f for f in teen["findings"] if f["rule_id"] == "zinc-total-above-upper-limit"]
    # The Total test compares with the person's own limit, and says which one.
    assert (
        "above the tolerable upper intake level of 34 mg a day for adolescents 14 to 18 "
        in (finding["because"][0])
    )
    assert teen["limits_for"] == {"group": "ages-14-18", "population": "adolescents 14 to 18 years",
                                  "assumed": False, "note": None}  # fmt: skip


def test_pregnancy_limits_are_named_in_every_format() -> None:
    args = ("check", "-s", "zinc 38 mg", "--pregnant", "--age", "30")
    code, data = run_json(*args)
    assert code == 0
    assert total_of(data, "zinc")["upper_limit"]["population"] == "pregnancy, 19 years and older"
    text = run(*args, "--no-pager")
    assert text.exit_code == 0 and text.stderr == ""
    assert "for pregnancy, 19 years and older" in " ".join(text.stdout.split())
    assert "Limits are for adults" not in text.stdout
    for fmt in ("markdown", "html"):
        result = run(*args, "--format", fmt)
        assert "for pregnancy, 19 years and older" in " ".join(result.stdout.split()), fmt
    teen = run_json("check", "-s", "vitamin A 9000 IU", "--pregnant", "--age", "17")[1]
    limit = total_of(teen, "vitamin-a")["upper_limit"]
    assert (limit["amount"], limit["population"]) == (2800, "pregnancy, 14 to 18 years")
    assert limit["caveat"].startswith("About the adults' limit: Applies to preformed vitamin A")


def test_without_a_life_stage_every_format_says_the_limits_are_adults() -> None:
    line = wording.LIMITS_ASSUMED
    code, data = run_json("check", "-s", "zinc 8 mg")
    assert code == 0
    assert line == (
        "Limits are for adults 19 years and older; give --age, --pregnant or --breastfeeding "
        "for your own."
    )
    assert data["limits_for"] == {"group": "adults-19+", "population": "adults 19 years and older",
                                  "assumed": True, "note": line}  # fmt: skip
    for fmt in ("text", "markdown", "html"):
        result = run("check", "-s", "zinc 8 mg", "--format", fmt, "--no-pager")
        assert result.exit_code == 0 and result.stderr == ""
        assert line in " ".join(result.stdout.split()), fmt
    given = run("check", "-s", "zinc 8 mg", "--age", "40", "--no-pager")
    assert given.exit_code == 0
    assert "Limits are for adults" not in given.stdout
    assert "for adults 19 years and older" in " ".join(given.stdout.split())
    nothing = run("check", "-s", "melatonin", "--no-pager")  # no totals: no line about limits
    assert "Limits are for adults" not in nothing.stdout


# The shipped base gives every limited nutrient every group; a user's rule file may not.
ADULT_LIMIT_ONLY = """\
supplements:
  - id: testmineral
    name: Testmineral
    nutrient:
      measure: testmineral (mcg)
      unit: mcg
      upper_limit:
        amount: 10000
        unit: mcg
        population: adults 19 years and older
        applies_to: total
        basis: A test limit.
        source: {title: A test source, url: "https://example.org/testmineral"}
    no_known_caution:
      note: A test entry.
      sources: [{title: A test source, url: "https://example.org/testmineral"}]
"""


def test_a_group_the_rule_base_has_no_limit_for_gets_the_adults_limit_and_a_note(
    tmp_path: Path,
) -> None:
    extra = tmp_path / "adult-limit-only.yaml"
    extra.write_text(ADULT_LIMIT_ONLY, encoding="utf-8")
    code, data = run_json(
        "check", "--rules", str(extra), "-s", "testmineral 9000 mcg", "--age", "2"
    )
    assert code == 0
    limit = total_of(data, "testmineral")["upper_limit"]
    assert limit["population"] == "adults 19 years and older"
    assert (
        "The rule base lists no upper limit of testmineral for children 1 to 3 years: the limit "
        "shown is the one for adults 19 years and older, and yours may be lower."
        in data["notes"][0]
    )
    infant = run_json("check", "-s", "zinc 5 mg", "--age", "0")[1]
    assert infant["limits_for"]["group"] is None
    assert "do not apply to a baby" in infant["limits_for"]["note"]
    assert any("for infants under 1 year" in note for note in infant["notes"])
