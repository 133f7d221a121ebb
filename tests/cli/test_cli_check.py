"""`suppcheck check` through the CLI: exit status, stdout and stderr together."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from tests.helpers import run, run_json

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "report-schema.json").read_text())


def test_card_example_prints_a_caution_and_exits_1() -> None:
    result = run("check", "--condition", "lupus", "--supplement", "melatonin")
    assert result.exit_code == 1
    assert result.stderr == ""
    out = " ".join(result.stdout.split())  # the report wraps at 80 columns
    assert "CAUTION" in out and "Melatonin may stimulate" in out
    assert "Systemic lupus erythematosus is a kind of Autoimmune disease" in out
    assert "What to do:" in out and "Ask your clinician" in out
    assert "evidence: theoretical" in out
    assert "Sources: - Why is melatonin bad for autoimmune (seed document;" in out
    assert "not medical advice" in out and "Consult your clinician" in out
    assert "\x1b[" not in result.stdout  # not a terminal: no escape codes


def test_json_report_has_the_spec_fields_and_matches_its_schema() -> None:
    code, data = run_json("check", "-c", "lupus", "-s", "melatonin")
    assert code == 1
    jsonschema.validate(data, SCHEMA)
    assert data["schema_version"] == "1"
    assert data["input"] == {
        "conditions": ["lupus"],
        "supplements": ["melatonin"],
        "medications": [],
        "active": False,
        "saved_profile_used": False,
        "age": None,
        "sex": None,
        "pregnant": False,
        "breastfeeding": False,
    }
    assert data["resolved"]["conditions"] == [
        {"input": "lupus", "id": "lupus", "name": "Systemic lupus erythematosus"}
    ]
    assert data["resolved"]["supplements"][0]["dose"] is None
    rule_ids = [f["rule_id"] for f in data["findings"]]
    assert "melatonin-immune-stimulation" in rule_ids
    assert data["summary"]["highest_severity"] == "caution"
    assert data["rule_base"]["reviewed"] and data["rule_base"]["version"]
    assert "not medical advice" in data["disclaimer"]


@pytest.mark.parametrize(
    "args",
    [
        ("-c", "rheumatoid arthritis", "-s", "melatonin"),
        ("-c", "MS", "-s", "melatonin"),
        ("-c", "Hashimoto's", "-s", "melatonin"),
        ("-c", "SLE", "-s", "melatonin"),
    ],
)
def test_seed_conditions_reach_the_seed_rules(args: tuple[str, ...]) -> None:
    code, data = run_json("check", *args)
    assert code == 1
    assert "melatonin-immune-stimulation" in [f["rule_id"] for f in data["findings"]]


def test_unknown_supplement_exits_3_and_is_listed_never_all_clear() -> None:
    result = run("check", "-c", "lupus", "-s", "ashwaganda")
    assert result.exit_code == 3
    out = " ".join(result.stdout.split())
    assert "ashwaganda" in out and "Did you mean ashwagandha?" in out
    assert "No caution found for what was checked" not in result.stdout
    assert "Incomplete check" in result.stdout
    code, data = run_json("check", "-c", "lupus", "-s", "ashwaganda")
    assert code == 3
    assert data["unresolved"] == [
        {
            "input": "ashwaganda",
            "kind": "supplement",
            "reason": "unknown supplement",
            "suggestions": ["ashwagandha"],
        }
    ]
    assert data["summary"]["fully_understood"] is False


def test_fail_on_sets_the_threshold() -> None:
    assert run("check", "-c", "lupus", "-s", "melatonin", "--fail-on", "warning").exit_code == 0
    assert run("check", "-c", "lupus", "-s", "melatonin", "--fail-on", "info").exit_code == 1
    result = run("check", "-c", "lupus", "-s", "melatonin", "--fail-on", "high")
    assert result.exit_code == 2 and "Invalid value for '--fail-on'" in result.stderr


def test_not_covered_supplement_is_said_and_exit_is_0() -> None:
    result = run("check", "-c", "vitiligo", "-s", "collagen", "--fail-on", "caution")
    assert "not evidence of safety" in result.stdout
    code, data = run_json("check", "-c", "vitiligo", "-s", "collagen")
    assert data["not_covered"] == ["collagen"]
    assert code == 0


def test_zinc_doses_and_totals() -> None:
    code, data = run_json("check", "-c", "lupus", "-s", "zinc 50 mg")
    warning = [f for f in data["findings"] if f["rule_id"] == "zinc-total-above-upper-limit"]
    assert code == 1 and warning and warning[0]["severity"] == "warning"
    assert "50 mg" in warning[0]["because"][0] and "40 mg" in warning[0]["because"][0]
    assert any(s["url"] and "ods.od.nih.gov" in s["url"] for s in warning[0]["sources"])
    _, data = run_json(
        "check", "-c", "lupus", "-s", "zinc picolinate 25 mg", "-s", "zinc gluconate 25 mg"
    )
    assert "zinc-total-above-upper-limit" in [f["rule_id"] for f in data["findings"]]
    _, data = run_json("check", "-c", "lupus", "-s", "zinc 10 mg")
    ids = [f["rule_id"] for f in data["findings"]]
    # 10 mg is below the 40 mg limit the copper concern is tied to (issue 12: dose-aware rules)
    assert "zinc-total-above-upper-limit" not in ids and "zinc-copper-interference" not in ids
    assert data["resolved"]["supplements"][0]["dose"] == {
        "amount": 10.0,
        "unit": "mg",
        "per": "day",
        "arithmetic": None,
    }


def test_zinc_without_a_dose_still_explains_balance_and_copper() -> None:
    _, data = run_json("check", "-c", "lupus", "-s", "zinc")
    ids = [f["rule_id"] for f in data["findings"]]
    assert {"zinc-immune-balance", "zinc-copper-interference"} <= set(ids)
    assert any("No dose that could be counted was given for Zinc" in note for note in data["notes"])


def test_medication_and_activity_raise_severity() -> None:
    _, data = run_json("check", "-c", "lupus", "-s", "melatonin", "-m", "methotrexate")
    warning = [f for f in data["findings"] if f["severity"] == "warning"]
    assert warning and warning[0]["medications"] == ["methotrexate"]
    _, active = run_json("check", "-c", "Crohn's disease", "-s", "probiotics", "--active")
    _, calm = run_json("check", "-c", "Crohn's disease", "-s", "probiotics")
    assert active["summary"]["highest_severity"] == "warning"
    assert calm["summary"]["highest_severity"] == "caution"


def test_a_bad_dose_is_reported_and_the_supplement_still_checked() -> None:
    code, data = run_json("check", "-c", "lupus", "-s", "zinc 50 tablets")
    assert code == 1  # a caution that does not need the dose was found
    assert data["unresolved"][0]["input"] == "zinc 50 tablets"
    assert "not the amount in each" in data["unresolved"][0]["reason"]
    assert data["resolved"]["supplements"][0]["id"] == "zinc"
    assert data["resolved"]["supplements"][0]["dose"] is None
    assert "zinc-immune-balance" in [f["rule_id"] for f in data["findings"]]
    code, data = run_json("check", "-s", "zinc 50 tablets")
    assert code == 3  # nothing at or above caution, and something was not understood


def test_nothing_to_check_is_a_usage_error() -> None:
    result = run("check")
    assert result.exit_code == 2 and result.stdout == ""
    assert "nothing to check" in result.stderr


def test_regimen_file_yaml_and_options_add_to_it(tmp_path: Path) -> None:
    regimen = tmp_path / "regimen.yaml"
    regimen.write_text(
        "conditions: [lupus]\nsupplements:\n  - zinc picolinate 25 mg\n"
        "  - {name: zinc gluconate, amount: 25, unit: mg}\nmedications: [methotrexate]\n",
        encoding="utf-8",
    )
    code, data = run_json("check", "--input", str(regimen), "-s", "melatonin")
    assert code == 1
    assert data["input"]["supplements"] == [
        "zinc picolinate 25 mg",
        "zinc gluconate 25 mg",
        "melatonin",
    ]
    assert "zinc-total-above-upper-limit" in [f["rule_id"] for f in data["findings"]]


def test_regimen_json_on_stdin() -> None:
    payload = json.dumps({"conditions": ["Crohn's"], "supplements": ["probiotic"], "active": True})
    code, data = run_json("check", "--input", "-", input=payload)
    assert code == 1 and data["input"]["active"] is True
    assert "probiotic-active-disease" in [f["rule_id"] for f in data["findings"]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("conditions: [lupus\n", "regimen.yaml:2: invalid YAML"),
        ("conditions: [lupus]\nsupplement: [zinc]\n", "regimen.yaml:2: unknown key 'supplement'"),
        ("conditions: [lupus]\nactive: maybe\n", "regimen.yaml:2: active: expected true or false"),
        (
            "supplements:\n  - {name: zinc, amount: -1, unit: mg}\n",
            "regimen.yaml:2: supplements[0]: amount",
        ),
        ("- lupus\n", "regimen.yaml:1: a regimen is a mapping"),
        ("", "regimen.yaml:1: the regimen is empty"),
    ],
)
def test_broken_regimen_file_exits_2_with_file_and_line(
    tmp_path: Path, content: str, message: str
) -> None:
    regimen = tmp_path / "regimen.yaml"
    regimen.write_text(content, encoding="utf-8")
    result = run("check", "--input", str(regimen))
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_missing_regimen_file_and_bad_rule_file(tmp_path: Path) -> None:
    result = run("check", "--input", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "cannot read regimen file" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [{id: x}]\n", encoding="utf-8")
    result = run("check", "-s", "zinc", "--rules", str(bad))
    assert result.exit_code == 2 and f"{bad}:1: rules[0]: missing required key" in result.stderr


def test_user_text_is_printed_literally() -> None:
    result = run("check", "-s", "[bold red]x[/bold red]", "-s", "evil\x1b[2Jname")
    assert result.exit_code == 3
    assert "[bold red]x[/bold red]" in result.stdout
    assert "\x1b" not in result.stdout and "evil\\x1b[2Jname" in result.stdout


def test_color_is_forced_or_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "\x1b[" in run("check", "-c", "lupus", "-s", "melatonin", "--color").stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run("check", "-c", "lupus", "-s", "melatonin").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR")
    out = run("check", "-c", "lupus", "-s", "melatonin").stdout
    assert "\x1b[3" not in out  # no colour codes; the severity word carries the meaning
    assert "CAUTION" in out


def test_an_internal_error_is_exit_4_never_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from suppcheck.cli import main as cli
    from suppcheck.engine import evaluate as engine

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "evaluate", broken)
    monkeypatch.setattr("sys.argv", ["suppcheck", "check", "-s", "zinc"])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 4
    err = capsys.readouterr().err
    assert "internal error: RuntimeError('boom')" in err and "Traceback" not in err


def test_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run(
        "check", "-c", "lupus", "-s", "melatonin", "--format", "json", "--output", str(target)
    )
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(target.read_text())["schema_version"] == "1"


@pytest.mark.parametrize(
    "command", [[], ["check"], ["list"], ["show"], ["explain"], ["rules"], ["profile"], ["batch"]]
)
def test_help_reads_at_80_columns(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and lines[0].startswith("Usage: suppcheck")
    assert max(len(line) for line in lines) <= 80
    assert "\x1b[" not in result.stdout


def test_a_listed_product_adds_its_contents_to_the_totals() -> None:
    code, data = run_json("check", "-c", "lupus", "-s", "AREDS2 80 mg zinc", "-s", "zinc 10 mg")
    assert code == 1
    zinc = next(t for t in data["totals"] if t["nutrient"] == "zinc")
    assert zinc["total"] == 90 and zinc["over_limit"] is True
    assert "zinc-total-above-upper-limit" in [f["rule_id"] for f in data["findings"]]
    assert any("400 IU of Vitamin E" in note for note in data["notes"])  # not convertible: noted
    # A bare "AREDS2" is not guessed at: formulas differ in zinc.
    code, data = run_json("check", "-c", "lupus", "-s", "AREDS2")
    assert code == 3 and data["unresolved"][0]["suggestions"] == ["areds2-formula-80-mg-zinc"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [(("-c", "lupus", "-s", "melatonin"), 1), (("-c", "lupus", "-s", "melatonine"), 3)],
)
def test_a_closed_pipe_keeps_the_exit_status(args: tuple[str, ...], expected: int) -> None:
    import os
    import shutil
    import subprocess
    import sys

    script = shutil.which("suppcheck", path=os.path.dirname(sys.executable))
    assert script is not None
    reader, writer = os.pipe()
    os.close(reader)  # nobody reads: every write fails with EPIPE
    process = subprocess.run(
        [script, "check", *args], stdout=writer, stderr=subprocess.PIPE, text=True, timeout=60
    )
    os.close(writer)
    assert process.returncode == expected
    assert "Traceback" not in process.stderr and "internal error" not in process.stderr


def test_output_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.html"
    result = run("check", "-c", "lupus", "-s", "melatonin", "--output", str(target))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not target.parent.exists()


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["check", "-c", "lupus", "-s", "melatonin", "--format", "json"], 1),
        (["check", "-c", "lupus", "-s", "glucosamine", "--format", "json"], 0),
        (["check", "-c", "lupus", "-s", "not a supplement", "--format", "json"], 3),
        (["check", "--format", "json"], 2),
        (["no-such-command"], 2),
    ],
)
def test_the_installed_command_exits_with_the_status_and_the_whole_output(
    args: list[str], status: int, isolated_environment: Path
) -> None:
    """Through the real entry point: every byte written and the exit status kept."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "suppcheck", *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == status, done.stderr
    if status in (0, 1, 3):
        report = json.loads(done.stdout)  # complete: it parses
        assert report["disclaimer"] and done.stderr == ""
    else:
        assert done.stdout == "" and done.stderr
