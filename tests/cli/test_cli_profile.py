"""suppcheck profile add|remove|show|clear, and how `check` uses the saved profile.

Every test runs in its own config directory (conftest.py), so the profile path is private to it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from suppcheck import paths
from suppcheck.cli.main import app
from suppcheck.errors import ProfileError
from suppcheck.inputs import profile
from suppcheck.inputs.regimen import Regimen


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def profile_file() -> Path:
    return paths.profile_path()


def saved_data(path: Path) -> Any:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- add ---------------------------------------------------------------------------------------


def test_add_saves_canonical_ids_and_reports_on_stderr(profile_file: Path) -> None:
    result = run("profile", "add", "-c", "Hashimoto's", "-m", "MTX", "--active")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "added condition hashimotos-thyroiditis (Hashimoto's thyroiditis)" in result.stderr
    assert "added medication methotrexate (Methotrexate)" in result.stderr
    assert "marked your disease as active" in result.stderr
    assert str(profile_file) in result.stderr
    assert saved_data(profile_file) == {
        "conditions": ["hashimotos-thyroiditis"],
        "medications": ["methotrexate"],
        "active": True,
    }
    assert profile_file.read_text(encoding="utf-8").startswith(profile.HEADER)


def test_add_twice_under_another_name_keeps_one_entry(profile_file: Path) -> None:
    assert run("profile", "add", "-c", "lupus").exit_code == 0
    before = profile_file.read_bytes()
    result = run("profile", "add", "-c", "SLE")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "already in your profile" in result.stderr
    assert "nothing changed" in result.stderr
    assert profile_file.read_bytes() == before


def test_add_appends_to_an_existing_profile(profile_file: Path) -> None:
    assert run("profile", "add", "-c", "lupus").exit_code == 0
    assert run("profile", "add", "-c", "rheumatoid arthritis", "-m", "prednisone").exit_code == 0
    data = saved_data(profile_file)
    assert data["conditions"] == ["lupus", "rheumatoid-arthritis"]
    assert data["medications"] == ["prednisone"]
    assert data["active"] is False


def test_add_unknown_name_exits_2_with_suggestions_and_writes_nothing(profile_file: Path) -> None:
    result = run("profile", "add", "-c", "lupsu", "-c", "lupus", "-m", "methotrexat")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'lupsu': condition: unknown condition. Did you mean lupus?" in result.stderr
    assert "nothing changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert not profile_file.exists()
    assert not profile_file.parent.exists()  # folders are created only when writing


def test_add_unknown_medication_keeps_the_existing_file(profile_file: Path) -> None:
    assert run("profile", "add", "-c", "lupus").exit_code == 0
    before = profile_file.read_bytes()
    result = run("profile", "add", "-m", "methotrexat")
    assert result.exit_code == 2
    assert "Did you mean methotrexate?" in result.stderr
    assert profile_file.read_bytes() == before


def test_add_with_nothing_is_a_usage_error(profile_file: Path) -> None:
    result = run("profile", "add")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "nothing to add" in result.stderr
    assert not profile_file.exists()


def test_add_refuses_a_name_the_shell_smuggled_markup_into(profile_file: Path) -> None:
    result = run("profile", "add", "-c", "[bold]lupus\x1b[31m")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "\\x1b" in result.stderr
    assert not profile_file.exists()


# --- remove ------------------------------------------------------------------------------------


def test_remove_by_alias_and_active_flag(profile_file: Path) -> None:
    added = run("profile", "add", "-c", "lupus", "-c", "RA", "-m", "prednisone", "--active")
    assert added.exit_code == 0
    result = run("profile", "remove", "-c", "SLE", "-m", "Deltasone", "--active")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "removed condition lupus" in result.stderr
    assert "removed medication prednisone" in result.stderr
    assert "removed the 'disease currently active' mark" in result.stderr
    assert saved_data(profile_file) == {
        "conditions": ["rheumatoid-arthritis"],
        "medications": [],
        "active": False,
    }


def test_remove_something_not_saved_exits_2_and_changes_nothing(profile_file: Path) -> None:
    assert run("profile", "add", "-c", "lupus", "-m", "prednisone").exit_code == 0
    before = profile_file.read_bytes()
    result = run("profile", "remove", "-m", "prednisone", "-c", "psoriasis")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "condition 'psoriasis' is not in your saved profile" in result.stderr
    assert profile_file.read_bytes() == before  # prednisone was not removed either


def test_remove_a_hand_written_name_the_rule_base_no_longer_knows(profile_file: Path) -> None:
    profile_file.parent.mkdir(parents=True)
    profile_file.write_text("conditions: [lupus, my rare thing]\n", encoding="utf-8")
    result = run("profile", "remove", "-c", "My Rare Thing")
    assert result.exit_code == 0, result.stderr
    assert saved_data(profile_file)["conditions"] == ["lupus"]


def test_remove_active_when_not_active_changes_nothing(profile_file: Path) -> None:
    assert run("profile", "add", "-c", "lupus").exit_code == 0
    before = profile_file.read_bytes()
    result = run("profile", "remove", "--active")
    assert result.exit_code == 0
    assert "was not marked active" in result.stderr
    assert "nothing changed" in result.stderr
    assert profile_file.read_bytes() == before


# --- show --------------------------------------------------------------------------------------


def test_show_without_a_profile(profile_file: Path) -> None:
    result = run("profile", "show")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        f"Saved profile: {profile_file}\n"
        "  (none saved yet; add one with `suppcheck profile add -c NAME -m NAME`)\n"
    )
    data = json.loads(run("profile", "show", "--format", "json").stdout)
    assert data == {
        "path": str(profile_file),
        "exists": False,
        "conditions": [],
        "medications": [],
        "active": False,
        "age": None,
        "sex": None,
        "pregnant": False,
        "breastfeeding": False,
    }


def test_show_text_and_json(profile_file: Path) -> None:
    assert run("profile", "add", "-c", "hashimotos", "-m", "Humira", "--active").exit_code == 0
    result = run("profile", "show")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        f"Saved profile: {profile_file}\n"
        "  condition   hashimotos-thyroiditis -> Hashimoto's thyroiditis\n"
        "  medication  adalimumab -> Adalimumab\n"
        "  activity    active or flaring\n"
        "  life stage  not saved (limits for adults 19 and older are used)\n"
        "Every `suppcheck check` includes this profile unless you add --no-profile.\n"
    )
    result = run("profile", "show", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "path": str(profile_file),
        "exists": True,
        "conditions": [
            {
                "saved": "hashimotos-thyroiditis",
                "id": "hashimotos-thyroiditis",
                "name": "Hashimoto's thyroiditis",
            }
        ],
        "medications": [{"saved": "adalimumab", "id": "adalimumab", "name": "Adalimumab"}],
        "active": True,
        "age": None,
        "sex": None,
        "pregnant": False,
        "breastfeeding": False,
    }


def test_show_prints_hand_written_text_literally(profile_file: Path) -> None:
    profile_file.parent.mkdir(parents=True)
    profile_file.write_text('conditions: ["[red]x[/red]\\e[2J"]\n', encoding="utf-8")
    result = run("profile", "show")
    assert result.exit_code == 0
    assert "[red]x[/red]\\x1b[2J -> NOT in the rule base" in result.stdout
    assert "\x1b" not in result.stdout


# --- clear -------------------------------------------------------------------------------------


def test_clear_with_yes(profile_file: Path) -> None:
    assert run("profile", "add", "-c", "lupus").exit_code == 0
    result = run("profile", "clear", "--yes")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"deleted your saved profile {profile_file}" in result.stderr
    assert not profile_file.exists()


def test_clear_asks_and_a_yes_answer_deletes(profile_file: Path) -> None:
    assert run("profile", "add", "-c", "lupus").exit_code == 0
    result = run("profile", "clear", input="y\n")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"Delete your saved profile {profile_file}? [y/N]:" in result.stderr
    assert not profile_file.exists()


def test_clear_through_a_pipe_in_the_installed_script(profile_file: Path) -> None:
    assert run("profile", "add", "-c", "lupus").exit_code == 0
    script = Path(sys.executable).with_name("suppcheck")
    answer = subprocess.run(
        [str(script), "profile", "clear"], input="n\n", capture_output=True, text=True, timeout=60
    )
    assert (answer.returncode, answer.stdout) == (0, "")
    assert answer.stderr.endswith("[y/N]: \nsuppcheck: nothing changed\n")
    assert profile_file.exists()
    closed = subprocess.run(
        [str(script), "profile", "clear"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (closed.returncode, closed.stdout) == (2, "")
    assert "use --yes" in closed.stderr
    assert profile_file.exists()


def test_clear_answered_no_keeps_the_profile(profile_file: Path) -> None:
    assert run("profile", "add", "-c", "lupus").exit_code == 0
    before = profile_file.read_bytes()
    result = run("profile", "clear", input="n\n")
    assert result.exit_code == 0
    assert "nothing changed" in result.stderr
    assert profile_file.read_bytes() == before


def test_clear_without_anyone_to_ask_refuses_with_exit_2(profile_file: Path) -> None:
    assert run("profile", "add", "-c", "lupus").exit_code == 0
    before = profile_file.read_bytes()
    result = run("profile", "clear", input="")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "use --yes" in result.stderr
    assert profile_file.read_bytes() == before


def test_clear_without_a_profile(profile_file: Path) -> None:
    result = run("profile", "clear")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "nothing to clear" in result.stderr
    assert not profile_file.exists()


# --- damaged profiles --------------------------------------------------------------------------

DAMAGED = {
    "bad-yaml": b"conditions: [lupus\nmedications: x\n",
    "wrong-types": b"conditions: [lupus]\nactive: maybe\n",
    "item-not-text": b"conditions:\n  - {id: lupus}\n",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
    "not-utf8": b"conditions: [caf\xe9]\n",
    "a-list": b"- lupus\n- methotrexate\n",
    "supplements-kept": b"conditions: [lupus]\nsupplements: [melatonin]\n",
    "unknown-key": b"conditions: [lupus]\ncolour: blue\n",
    "python-tag": b"conditions: !!python/object/apply:os.system [echo hi]\n",
}
COMMANDS = {
    "check": ("check", "-s", "melatonin"),
    "add": ("profile", "add", "-c", "lupus"),
    "remove": ("profile", "remove", "-c", "lupus"),
    "show": ("profile", "show"),
    "show-json": ("profile", "show", "--format", "json"),
    "clear": ("profile", "clear", "--yes"),
    "clear-asking": ("profile", "clear"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGED))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_damaged_profile_is_reported_and_left_untouched(
    profile_file: Path, damage: str, command: str
) -> None:
    profile_file.parent.mkdir(parents=True)
    profile_file.write_bytes(DAMAGED[damage])
    result = run(*COMMANDS[command], input="y\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"suppcheck: error: {profile_file}")
    assert "damaged saved profile" in result.stderr
    assert "Traceback" not in result.stderr
    assert profile_file.read_bytes() == DAMAGED[damage]
    assert sorted(p.name for p in profile_file.parent.iterdir()) == ["profile.yaml"]


def test_damaged_profile_message_names_the_line() -> None:
    path = paths.profile_path()
    path.parent.mkdir(parents=True)
    path.write_text("conditions: [lupus]\nmedications:\n  - prednisone\n  - 42\n", encoding="utf-8")
    result = run("profile", "show")
    assert result.exit_code == 2
    assert f"{path}:4: medications[1]: expected a name (text)" in result.stderr
    assert "suppcheck has not changed it" in result.stderr


def test_check_with_no_profile_ignores_a_damaged_profile(profile_file: Path) -> None:
    profile_file.parent.mkdir(parents=True)
    profile_file.write_bytes(DAMAGED["bad-yaml"])
    result = run("check", "-c", "lupus", "-s", "melatonin", "--no-profile")
    assert result.exit_code == 1
    assert "Melatonin may stimulate" in result.stdout
    assert profile_file.read_bytes() == DAMAGED["bad-yaml"]


# --- check uses the saved profile -------------------------------------------------------------


def test_check_includes_the_saved_profile_and_says_so() -> None:
    assert run("profile", "add", "-c", "lupus", "-m", "methotrexate").exit_code == 0
    result = run("check", "-s", "melatonin")
    assert result.exit_code == 1
    assert "condition   lupus -> Systemic lupus erythematosus" in result.stdout
    assert "includes your saved profile" in result.stdout
    assert "melatonin-immunosuppressive-treatment" in result.stdout
    data = json.loads(run("check", "-s", "melatonin", "--format", "json").stdout)
    assert data["input"]["saved_profile_used"] is True
    assert data["input"]["conditions"] == ["lupus"]
    assert data["input"]["medications"] == ["methotrexate"]


def test_check_no_profile_leaves_the_saved_profile_out() -> None:
    assert run("profile", "add", "-c", "lupus").exit_code == 0
    result = run("check", "-s", "melatonin", "--no-profile", "--format", "json")
    data = json.loads(result.stdout)
    assert data["input"]["saved_profile_used"] is False
    assert data["input"]["conditions"] == []
    assert data["findings"] == []


def test_an_empty_profile_file_is_no_profile(profile_file: Path) -> None:
    profile_file.parent.mkdir(parents=True)
    profile_file.write_text("# nothing yet\n", encoding="utf-8")
    data = json.loads(run("check", "-s", "melatonin", "--format", "json").stdout)
    assert data["input"]["saved_profile_used"] is False
    assert run("profile", "add", "-c", "lupus").exit_code == 0
    assert saved_data(profile_file)["conditions"] == ["lupus"]


# --- atomic write ------------------------------------------------------------------------------


def test_save_is_atomic_when_writing_fails(
    profile_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile.save(Regimen(conditions=["lupus"]))
    before = profile_file.read_bytes()

    def broken_dump(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("yaml.safe_dump", broken_dump)
    with pytest.raises(ProfileError, match="cannot write the saved profile: No space left"):
        profile.save(Regimen(conditions=["lupus", "psoriasis"]))
    assert profile_file.read_bytes() == before
    assert sorted(p.name for p in profile_file.parent.iterdir()) == ["profile.yaml"]


def test_saved_profile_round_trips_unusual_text(profile_file: Path) -> None:
    regimen = Regimen(conditions=["Sjögren's", "a: b", "- x", "yes"], medications=["'quoted'"])
    profile.save(regimen)
    loaded = profile.load_saved()
    assert loaded is not None
    assert loaded.conditions == regimen.conditions
    assert loaded.medications == regimen.medications
    assert loaded.active is False
