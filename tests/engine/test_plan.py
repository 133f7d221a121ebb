"""When to take what: engine/plan.py keeps every gap, or says that no day can."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run

from suppcheck.engine.plan import SLOTS, Gap, apart, schedule


def gap(a: str, b: str, hours: float) -> Gap:
    return Gap(a, b, hours, f"rule-{a}-{b}", "title")


def test_a_day_repeats_so_bedtime_and_waking_are_nine_hours_apart() -> None:
    assert apart(0, 15) == 9
    assert apart(1, 5) == 4
    assert apart(5, 1) == 4


def test_every_gap_is_kept() -> None:
    gaps = [gap("levothyroxine", "calcium", 4), gap("levothyroxine", "iron", 4)]
    placed = schedule(gaps)
    assert placed is not None
    for g in gaps:
        assert apart(placed[g.first].hour, placed[g.second].hour) >= g.hours
    assert placed["levothyroxine"] == SLOTS[0]  # the first named, earliest slot


def test_a_chain_of_gaps_is_kept() -> None:
    gaps = [gap("a", "b", 4), gap("b", "c", 4), gap("a", "c", 6)]
    placed = schedule(gaps)
    assert placed is not None
    for g in gaps:
        assert apart(placed[g.first].hour, placed[g.second].hour) >= g.hours


def test_three_things_each_twelve_hours_from_the_others_cannot_fit_a_day() -> None:
    assert schedule([gap("a", "b", 12), gap("b", "c", 12), gap("a", "c", 12)]) is None


def test_a_gap_longer_than_half_a_day_cannot_fit_a_day() -> None:
    assert schedule([gap("a", "b", 13)]) is None


RULES = """\
rules:
  - id: test-calcium-levothyroxine-gap
    title: Calcium apart from levothyroxine
    mechanism: medication-interaction
    severity: caution
    evidence: preliminary
    when: {all: [{medication: levothyroxine}, {supplement: calcium}]}
    rationale: Calcium can bind levothyroxine.
    advice: Keep them apart.
    ask: [How far apart?]
    sources: [{title: A source, url: "https://example.org/"}]
    reviewed: 2026-11-21
    action: separate
    separate_hours: HOURS
    examples:
      fires: [{supplements: [calcium], medications: [levothyroxine]}]
      silent: [{supplements: [zinc]}]
"""


def _rules(tmp_path: Path, hours: int, name: str = "") -> str:
    path = tmp_path / f"gap{hours}{name}.yaml"
    path.write_text(RULES.replace("HOURS", str(hours)), encoding="utf-8")
    return str(path)


def test_the_report_proposes_a_day_and_names_the_rule(tmp_path: Path) -> None:
    args = ("check", "-s", "calcium carbonate 600 mg", "-m", "levothyroxine")
    result = run(*args, "--rules", _rules(tmp_path, 4))
    assert result.exit_code == 1 and result.stderr == ""
    out = " ".join(result.stdout.split())
    assert "When to take what" in out
    assert "07:00 on waking, on an empty stomach: Levothyroxine" in out
    assert "12:00 with lunch: Calcium carbonate" in out
    assert (
        "Levothyroxine and Calcium carbonate at least 4 hours apart "
        "(rule test-calcium-levothyroxine-gap)" in out
    )
    for fmt in ("markdown", "html"):
        page = run(*args, "--rules", _rules(tmp_path, 4, fmt), "-f", fmt)
        assert page.exit_code == 1 and "When to take what" in page.stdout, page.stdout


def test_the_report_says_plainly_when_no_day_keeps_the_gaps(tmp_path: Path) -> None:
    args = ("check", "-s", "calcium carbonate 600 mg", "-m", "levothyroxine")
    result = run(*args, "--rules", _rules(tmp_path, 14))
    assert result.exit_code == 1 and result.stderr == ""
    out = " ".join(result.stdout.split())
    assert "No daily plan keeps every one of these gaps" in out
    assert "07:00" not in out


def test_no_separation_rule_no_plan_section() -> None:
    result = run("check", "-c", "lupus", "-s", "melatonin")
    assert result.exit_code == 1 and "When to take what" not in result.stdout


def test_the_plan_survives_the_rule_cache(tmp_path: Path) -> None:
    args = ("check", "-s", "calcium carbonate 600 mg", "-m", "levothyroxine")
    rules = _rules(tmp_path, 4)
    first = run(*args, "--rules", rules)
    second = run(*args, "--rules", rules)  # this time from the parsed-rule-base cache
    assert "When to take what" in first.stdout
    assert second.stdout == first.stdout


# `suppcheck plan`: the same input as check, only the plan.

PLAN_ARGS = ("plan", "-s", "calcium carbonate 600 mg", "-m", "levothyroxine", "--no-profile")


def test_plan_prints_only_the_plan_and_the_rule_of_each_gap(tmp_path: Path) -> None:
    result = run(*PLAN_ARGS, "--rules", _rules(tmp_path, 4))
    assert result.exit_code == 0 and result.stderr == ""
    out = " ".join(result.stdout.split())
    assert result.stdout.startswith("When to take what\n")
    assert "07:00 on waking, on an empty stomach: Levothyroxine" in out
    assert "12:00 with lunch: Calcium carbonate" in out
    assert "(rule test-calcium-levothyroxine-gap)" in out
    assert "Found:" not in out and "Ask your clinician" not in out  # not the whole report
    assert "not medical advice" in out and "to your clinician" in out


def test_plan_says_plainly_when_no_day_keeps_every_gap_and_exits_1(tmp_path: Path) -> None:
    result = run(*PLAN_ARGS, "--rules", _rules(tmp_path, 14))
    assert result.exit_code == 1 and result.stderr == ""
    out = " ".join(result.stdout.split())
    assert "No daily plan keeps every one of these gaps" in out
    assert "at least 14 hours apart (rule test-calcium-levothyroxine-gap)" in out
    assert "07:00" not in out
    data = json.loads(run(*PLAN_ARGS, "--rules", _rules(tmp_path, 14, "j"), "-f", "json").stdout)
    assert data["possible"] is False and data["schedule"] == []
    gaps = {g["rule_id"]: g["hours"] for g in data["gaps"]}
    assert gaps["test-calcium-levothyroxine-gap"] == 14


def test_plan_says_plainly_when_no_rule_sets_a_gap() -> None:
    result = run("plan", "-c", "lupus", "-s", "melatonin")
    assert result.exit_code == 0 and result.stderr == ""
    assert "No rule sets a gap between the things given" in " ".join(result.stdout.split())
    data = json.loads(run("plan", "-c", "lupus", "-s", "melatonin", "-f", "json").stdout)
    assert data["gaps"] == [] and data["schedule"] == [] and data["possible"] is True


def test_plan_with_input_not_understood_is_never_complete_exit_3() -> None:
    result = run("plan", "-m", "levothyroxine", "-s", "calcium", "-s", "bogus-herb")
    assert result.exit_code == 3 and result.stderr == ""
    out = " ".join(result.stdout.split())
    assert "not understood and was not checked: 'bogus-herb'" in out
    assert "07:00 on waking, on an empty stomach: Levothyroxine" in out


def test_plan_reads_regimen_files_as_check_does(tmp_path: Path) -> None:
    regimen = tmp_path / "regimen.yaml"
    regimen.write_text("medications: [levothyroxine]\nsupplements: [iron]\n", encoding="utf-8")
    result = run("plan", "-i", str(regimen), "-s", "calcium", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    assert {g["rule_id"] for g in data["gaps"]} == {
        "calcium-levothyroxine-timing",
        "iron-levothyroxine-timing",
    }
    taken = {name: row["time"] for row in data["schedule"] for name in row["take"]}
    assert taken["Levothyroxine"] == "07:00" and taken["Iron"] != "07:00"
    assert data["disclaimer"] and data["clinician_prompt"]


def test_plan_with_nothing_given_or_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    nothing = run("plan")
    assert nothing.exit_code == 2 and nothing.stdout == ""
    assert "nothing to check" in nothing.stderr
    missing = run("plan", "-i", str(tmp_path / "missing.yaml"))
    assert missing.exit_code == 2 and missing.stdout == "" and "missing.yaml" in missing.stderr
