"""What changed: `suppcheck diff OLD.json NEW.json` and `check --since-last` (issue 13, item 6).

Every report here is a real file written by `check --format json -o`."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from tests.helpers import run

from suppcheck import paths

RULE = """\
rules:
  - id: test-diff-melatonin
    title: TITLE
    mechanism: immune-stimulation
    severity: SEVERITY
    evidence: preliminary
    when: {supplement: melatonin}
    rationale: Melatonin is a test.
    advice: ADVICE
    ask: [Is this a test?]
    sources: [{title: A source, url: "https://example.org/"}]
    reviewed: 2026-11-21
    examples:
      fires: [{supplements: [melatonin]}]
      silent: [{supplements: [zinc]}]
"""


def _rules(tmp_path: Path, name: str, *, severity: str, title: str, advice: str) -> str:
    path = tmp_path / f"{name}.yaml"
    text = RULE.replace("SEVERITY", severity).replace("TITLE", title).replace("ADVICE", advice)
    path.write_text(text, encoding="utf-8")
    return str(path)


def _report(tmp_path: Path, name: str, *args: str) -> str:
    path = tmp_path / f"{name}.json"
    result = run("check", *args, "--format", "json", "-o", str(path))
    assert result.exit_code in (0, 1, 3), result.stderr
    assert result.stdout == ""
    return str(path)


def test_the_same_report_twice_is_no_change_and_exit_0(tmp_path: Path) -> None:
    old = _report(tmp_path, "old", "-c", "lupus", "-s", "melatonin")
    result = run("diff", old, old)
    assert result.exit_code == 0 and result.stderr == ""
    assert "Nothing changed." in result.stdout
    assert "Now: Found: 1 caution, 1 info." in result.stdout
    assert "not medical advice" in result.stdout and "to your clinician" in result.stdout


def test_new_and_removed_supplements_findings_and_doses_exit_1(tmp_path: Path) -> None:
    old = _report(tmp_path, "old", "-c", "lupus", "-s", "melatonin", "-s", "zinc")
    new = _report(tmp_path, "new", "-c", "lupus", "-s", "echinacea", "-s", "zinc 60 mg")
    result = run("diff", old, new)
    assert result.exit_code == 1 and result.stderr == ""
    out = result.stdout
    assert "Supplements added: Echinacea" in out
    assert "Supplements removed: Melatonin" in out
    assert "Dose of Zinc: none given -> 60 mg" in out
    new_part, gone_part = out.split("New findings:")[1].split("Findings no longer given:")
    assert "(zinc-total-above-upper-limit)" in new_part
    assert "(echinacea-autoimmune-immune-stimulation)" in new_part
    assert "(melatonin-immune-stimulation)" in gone_part.split("Now:")[0]
    assert "melatonin" not in new_part


def test_a_rule_whose_severity_and_wording_changed(tmp_path: Path) -> None:
    before = _rules(tmp_path, "a", severity="info", title="Old title", advice="Old advice.")
    after = _rules(tmp_path, "b", severity="warning", title="Old title", advice="New advice.")
    old = _report(tmp_path, "old", "-s", "melatonin", "--rules", before)
    new = _report(tmp_path, "new", "-s", "melatonin", "--rules", after)
    result = run("diff", old, new)
    assert result.exit_code == 1 and result.stderr == ""
    changed = result.stdout.split("Findings that changed:")[1]
    assert "WARNING  Old title (test-diff-melatonin)" in changed
    assert "severity: INFO -> WARNING" in changed
    assert "advice now reads: New advice." in changed
    assert "title now" not in changed  # only what changed is said
    data = json.loads(run("diff", old, new, "--format", "json").stdout)
    (entry,) = data["findings"]["changed"]
    assert entry["changes"] == {
        "severity": {"old": "info", "new": "warning"},
        "advice": {"old": "Old advice.", "new": "New advice."},
    }
    assert data["changed"] is True and data["findings"]["added"] == []


def test_a_new_rule_base_version_is_a_change(tmp_path: Path) -> None:
    old = _report(tmp_path, "old", "-s", "melatonin")
    data = json.loads(Path(old).read_text(encoding="utf-8"))
    version = data["rule_base"]["version"]
    data["rule_base"]["version"] = "1999.01"
    older = tmp_path / "older.json"
    older.write_text(json.dumps(data), encoding="utf-8")
    result = run("diff", str(older), old)
    assert result.exit_code == 1 and result.stderr == ""
    assert f"Rule base: version 1999.01 -> {version}" in result.stdout
    assert "New findings" not in result.stdout


def test_json_output_for_scripts(tmp_path: Path) -> None:
    old = _report(tmp_path, "old", "-s", "melatonin")
    new = _report(tmp_path, "new", "-s", "melatonin", "-s", "bogus-herb")
    result = run("diff", old, new, "-f", "json")
    assert result.exit_code == 1 and result.stderr == ""
    data = json.loads(result.stdout)
    assert data["diff_version"] == "1" and data["changed"] is True
    assert data["not_understood"] == {"added": ["bogus-herb"], "removed": []}
    assert data["summary"]["fully_understood"] is False
    assert data["disclaimer"] and data["clinician_prompt"]
    same = json.loads(run("diff", old, old, "-f", "json").stdout)
    assert same["changed"] is False


def test_one_report_may_come_from_standard_input(tmp_path: Path) -> None:
    old = _report(tmp_path, "old", "-s", "melatonin")
    result = run("diff", "-", old, input=Path(old).read_text(encoding="utf-8"))
    assert result.exit_code == 0 and "Nothing changed." in result.stdout
    both = run("diff", "-", "-", input="{}")
    assert both.exit_code == 2 and both.stdout == ""
    assert "standard input (-) can be read only once" in both.stderr


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("not json", "not a suppcheck JSON report"),
        ("[1, 2]", "not a JSON object"),
        ('{"schema_version": "9"}', "schema_version is '9'"),
        ("\xff", "not a suppcheck JSON report"),
        ("[" * 100000, "not a suppcheck JSON report"),
    ],
)
def test_what_is_not_a_report_is_trouble_exit_2(tmp_path: Path, content: str, says: str) -> None:
    good = _report(tmp_path, "good", "-s", "melatonin")
    bad = tmp_path / "bad.json"
    bad.write_bytes(content.encode("latin-1") if content == "\xff" else content.encode())
    result = run("diff", str(bad), good)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"suppcheck: error: {bad}: ") and says in result.stderr


def test_a_report_with_a_broken_part_is_trouble_not_a_traceback(tmp_path: Path) -> None:
    good = _report(tmp_path, "good", "-s", "melatonin")
    data = json.loads(Path(good).read_text(encoding="utf-8"))
    for part, value in (("findings", {"a": 1}), ("resolved", []), ("summary", None)):
        broken = dict(data, **{part: value})
        path = tmp_path / f"broken-{part}.json"
        path.write_text(json.dumps(broken), encoding="utf-8")
        result = run("diff", good, str(path))
        assert result.exit_code == 2 and result.stdout == "", part
        assert "not a suppcheck JSON report" in result.stderr, part
    missing = run("diff", good, str(tmp_path / "missing.json"))
    assert missing.exit_code == 2 and "cannot read the report" in missing.stderr


def _kept() -> list[Path]:
    folder = paths.last_checks_dir()
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_since_last_first_then_nothing_then_what_the_file_added(tmp_path: Path) -> None:
    regimen = tmp_path / "regimen.yaml"
    regimen.write_text("conditions: [lupus]\nsupplements: [melatonin]\n", encoding="utf-8")
    first = run("check", "-i", str(regimen), "--since-last")
    # the exit status stays check's: a standing caution is never 0
    assert first.exit_code == 1 and first.stderr == ""
    assert first.stdout.startswith("No earlier check of this regimen is kept")
    assert "(melatonin-immune-stimulation)" in first.stdout
    (kept,) = _kept()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600  # health data: readable only by its owner
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700

    again = run("check", "-i", str(regimen), "--since-last")
    assert again.exit_code == 1 and again.stderr == ""
    assert again.stdout.startswith(
        "What changed since the last check of this regimen (2026-09-21):"
    )
    assert "Nothing changed." in again.stdout
    assert "Now: Found: 1 caution, 1 info." in again.stdout

    regimen.write_text("conditions: [lupus]\nsupplements: [melatonin, zinc 60 mg]\n", "utf-8")
    edited = run("check", "-i", str(regimen), "--since-last", "--format", "json")
    assert edited.exit_code == 1 and edited.stderr == ""
    data = json.loads(edited.stdout)
    assert data["since"] == "2026-09-21"
    assert data["added"]["supplements"] == [{"id": "zinc", "name": "Zinc"}]
    added = [f["rule_id"] for f in data["findings"]["added"]]
    assert "zinc-total-above-upper-limit" in added
    assert not any(name.startswith("melatonin") for name in added)  # not new: kept before
    assert len(_kept()) == 1  # the same regimen file: the same kept report


def test_since_last_typed_items_in_another_order_and_case_are_the_same_regimen() -> None:
    first = run("check", "-c", "lupus", "-s", "melatonin", "-s", "zinc", "--since-last")
    second = run("check", "-s", "ZINC", "-s", "melatonin", "-c", "LUPUS", "--since-last")
    assert first.exit_code == second.exit_code == 1
    assert "Nothing changed." in second.stdout
    other = run("check", "-c", "lupus", "-s", "melatonin", "--since-last")
    assert other.stdout.startswith("No earlier check of this regimen is kept")
    assert len(_kept()) == 2


def test_since_last_keeps_exit_3_for_input_not_understood() -> None:
    result = run("check", "-s", "bogus-herb", "--since-last")
    assert result.exit_code == 3 and result.stderr == ""
    assert "Not understood now (not checked): 'bogus-herb'" in result.stdout
    assert "some input was not understood" in result.stdout


def test_since_last_with_a_corrupt_kept_report_says_so_and_compares_with_nothing() -> None:
    run("check", "-c", "lupus", "-s", "melatonin", "--since-last")
    (kept,) = _kept()
    kept.write_text('{"kind": "suppcheck last check", "report": {"schema_version": "1"}}')
    result = run("check", "-c", "lupus", "-s", "melatonin", "--since-last")
    assert result.exit_code == 1
    assert result.stderr.startswith("suppcheck: warning: the kept report ")
    assert "comparing with nothing" in result.stderr
    assert result.stdout.startswith("No earlier check of this regimen is kept")
    assert (
        "Nothing changed." in run("check", "-c", "lupus", "-s", "melatonin", "--since-last").stdout
    )


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (("-f", "html"), "--since-last prints text or json, not html"),
        (("--quiet",), "--quiet does not apply to --since-last"),
        (("--for", "Ann"), "--for does not apply to --since-last"),
    ],
)
def test_since_last_refuses_what_does_not_apply(extra: tuple[str, ...], says: str) -> None:
    result = run("check", "-c", "lupus", "-s", "melatonin", "--since-last", *extra)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"suppcheck: error: {says}" + (
        ", which lists only what changed\n" if "apply" in says else "\n"
    )
    assert _kept() == []


def test_since_last_never_writes_without_being_asked() -> None:
    result = run("check", "-c", "lupus", "-s", "melatonin")
    assert result.exit_code == 1
    assert not paths.data_dir().exists()


def test_an_unwritable_data_folder_is_a_warning_not_a_failure() -> None:
    paths.data_dir().mkdir(parents=True)
    paths.last_checks_dir().write_text("a file where the folder should be")  # root or not
    result = run("check", "-c", "lupus", "-s", "melatonin", "--since-last")
    assert result.exit_code == 1
    assert "could not keep this report for the next --since-last" in result.stderr
    assert result.stdout.startswith("No earlier check of this regimen is kept")
