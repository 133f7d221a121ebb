"""Shell completion through the real protocol: the installed console script, as the shell runs it.

Each shell asks typer's completion classes through environment variables
(typer/_completion_classes.py in typer 0.28):
bash  `_SUPPCHECK_COMPLETE=complete_bash`, COMP_WORDS and COMP_CWORD;
zsh   `_SUPPCHECK_COMPLETE=complete_zsh` and _TYPER_COMPLETE_ARGS (the words up to the cursor);
fish  `_SUPPCHECK_COMPLETE=complete_fish`, _TYPER_COMPLETE_ARGS and _TYPER_COMPLETE_FISH_ACTION.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from suppcheck.cli import completion

SCRIPT = Path(sys.executable).with_name("suppcheck")


def complete(shell: str, **env: str) -> subprocess.CompletedProcess[str]:
    assert SCRIPT.exists(), f"the console script is not installed next to {sys.executable}"
    return subprocess.run(
        [str(SCRIPT)],
        env={**os.environ, "_SUPPCHECK_COMPLETE": f"complete_{shell}", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def bash(line: str) -> list[str]:
    words = line.split(" ")
    result = complete("bash", COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    assert (result.returncode, result.stderr) == (0, "")
    return result.stdout.split()


# --- bash --------------------------------------------------------------------------------------


def test_bash_completes_supplements() -> None:
    offered = bash("suppcheck check --supplement mela")
    assert offered == ["melatonin"]


def test_bash_completes_conditions_with_alias_forms() -> None:
    offered = bash("suppcheck check --condition hash")
    assert offered[:2] == ["hashimotos-encephalopathy", "hashimotos-thyroiditis"]  # ids, sorted
    assert {"hashimoto", "hashimotos"} <= set(offered)
    assert all(word.startswith("hash") for word in offered)  # what the shell will accept
    assert "Hashimoto's" not in offered  # would need quoting in the shell


def test_bash_completes_medications_with_short_option() -> None:
    assert bash("suppcheck check -m metho") == ["methotrexate"]


def test_bash_keeps_the_case_the_user_typed() -> None:
    assert bash("suppcheck check -m MT") == ["MTX"]
    assert bash("suppcheck check -m mt") == ["mtx"]


def test_bash_completes_profile_options() -> None:
    assert "lupus" in bash("suppcheck profile add -c lup")
    assert bash("suppcheck profile remove --medication metho") == ["methotrexate"]


def test_bash_completes_nothing_for_an_unknown_prefix() -> None:
    assert bash("suppcheck check -s zzzz") == []


# --- zsh and fish ------------------------------------------------------------------------------


def test_zsh_completes_with_descriptions() -> None:
    result = complete("zsh", _TYPER_COMPLETE_ARGS="suppcheck check --supplement mela")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == '_arguments \'*: :(("melatonin":"Melatonin"))\''


def test_zsh_completes_conditions_and_medications() -> None:
    result = complete("zsh", _TYPER_COMPLETE_ARGS="suppcheck check -c hash")
    assert '"hashimotos-thyroiditis":"Hashimoto\'\'s thyroiditis"' in result.stdout
    assert '"hashimoto":' in result.stdout
    result = complete("zsh", _TYPER_COMPLETE_ARGS="suppcheck check -m metho")
    assert '"methotrexate":"Methotrexate"' in result.stdout


def test_fish_completes_with_descriptions() -> None:
    result = complete(
        "fish",
        _TYPER_COMPLETE_ARGS="suppcheck check --supplement mela",
        _TYPER_COMPLETE_FISH_ACTION="get-args",
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "melatonin\tMelatonin\n"
    result = complete(
        "fish",
        _TYPER_COMPLETE_ARGS="suppcheck check -m metho",
        _TYPER_COMPLETE_FISH_ACTION="get-args",
    )
    assert result.stdout == "methotrexate\tMethotrexate\n"


def test_fish_is_args_says_there_are_values() -> None:
    result = complete(
        "fish", _TYPER_COMPLETE_ARGS="suppcheck check -c lup", _TYPER_COMPLETE_FISH_ACTION="is-args"
    )
    assert result.returncode == 0


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script_for_each_shell(shell: str) -> None:
    result = subprocess.run(
        [str(SCRIPT), "--show-completion", shell],
        env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert f"_SUPPCHECK_COMPLETE=complete_{shell}" in result.stdout


# --- a broken rule base never breaks the shell -------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"rules: [\n",
        b"rules:\n  - id: Bad Id\n",
        b"\x00\xff binary",
        b"!!python/object:os.system x\n",
    ],
)
def test_a_broken_user_rule_file_completes_quietly(
    isolated_environment: Path, content: bytes
) -> None:
    rules_dir = isolated_environment / ".config" / "suppcheck" / "rules.d"
    rules_dir.mkdir(parents=True)
    (rules_dir / "bad.yaml").write_bytes(content)
    for shell, env in (
        ("bash", {"COMP_WORDS": "suppcheck check -s mela", "COMP_CWORD": "3"}),
        ("zsh", {"_TYPER_COMPLETE_ARGS": "suppcheck check -s mela"}),
        ("fish", {"_TYPER_COMPLETE_ARGS": "suppcheck check -s mela",
                  "_TYPER_COMPLETE_FISH_ACTION": "get-args"}),
    ):  # fmt: skip
        result = complete(shell, **env)
        assert result.returncode == 0, (shell, result.stderr)
        assert result.stderr == ""
        assert "Traceback" not in result.stdout
        assert "error" not in result.stdout.lower()
        assert "bad.yaml" not in result.stdout
    # the same file makes a real command fail loudly, so the quiet completion above is deliberate
    check = subprocess.run(
        [str(SCRIPT), "check", "-s", "melatonin"], capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 2
    assert "bad.yaml" in check.stderr


def test_completers_never_raise_or_print(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from suppcheck.cli import catalog

    def broken(*args: object) -> list[tuple[str, str]]:
        print("noise")  # what a careless loader might do; it must not matter ...
        raise RuntimeError("boom")

    monkeypatch.setattr(catalog, "vocabulary_names", broken)
    monkeypatch.setattr(catalog, "rule_titles", broken)
    assert list(completion.complete_supplement("mel")) == []
    assert list(completion.complete_condition("")) == []
    assert list(completion.complete_medication("m")) == []
    assert list(completion.complete_rule_id("m")) == []
    assert capsys.readouterr().out == "noise\n" * 4  # ... beyond its own print


# --- what is offered ---------------------------------------------------------------------------


def test_matching_is_case_insensitive_and_keeps_the_typed_prefix() -> None:
    entries = [
        ("hashimotos-thyroiditis", "H"),
        ("Hashimoto", "H"),
        ("Hashimoto's", "H"),
        ("HASHIMOTO", "H"),
        ("lupus", "L"),
        ("vitamin D3 (cholecalciferol)", "D"),
    ]
    assert list(completion._matching(entries, "hash")) == [
        ("hashimotos-thyroiditis", "H"),
        ("hashimoto", "H"),
    ]
    assert list(completion._matching(entries, "Hash")) == [
        ("Hashimotos-thyroiditis", "H"),
        ("Hashimoto", "H"),
    ]
    assert [v for v, _ in completion._matching(entries, "")] == [
        "hashimotos-thyroiditis",
        "Hashimoto",
        "lupus",
    ]


def test_rule_ids_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [value for value, _ in completion.complete_rule_id("melatonin-imm")]
    assert ids == ["melatonin-immune-stimulation", "melatonin-immunosuppressive-treatment"]
    titles = dict(completion.complete_rule_id("melatonin-immune"))
    assert "Melatonin may stimulate" in titles["melatonin-immune-stimulation"]


def test_completion_does_not_import_rich_or_the_engine() -> None:
    """The shell runs this on every TAB press: only names are needed."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(SCRIPT)],
        env={
            **os.environ,
            "_SUPPCHECK_COMPLETE": "complete_bash",
            "COMP_WORDS": "suppcheck check -s mela",
            "COMP_CWORD": "3",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout == "melatonin\n"
    imported = set(re.findall(r"\|\s+(\S+)\s*$", result.stderr, re.MULTILINE))
    assert "suppcheck.engine.evaluate" not in imported
    assert "suppcheck.report.text" not in imported


# --- a real bash -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_real_bash_sources_the_script_and_completes() -> None:
    env = {
        **os.environ,
        "PATH": f"{SCRIPT.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1",
    }
    program = r"""
        eval "$(suppcheck --show-completion bash)" || exit 10
        spec=$(complete -p suppcheck) || exit 11
        func=${spec#*-F }; func=${func%% *}
        complete_line() {
            read -r -a COMP_WORDS <<< "$1"
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMPREPLY=()
            "$func" suppcheck "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s|' "${COMPREPLY[@]}"
            printf '\n'
        }
        complete_line "suppcheck check --supplement mela"
        complete_line "suppcheck check -c hash"
        complete_line "suppcheck check -m metho"
    """
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "melatonin|"
    assert lines[1].startswith("hashimotos-encephalopathy|hashimotos-thyroiditis|")
    assert "|hashimoto|" in lines[1]
    assert lines[2] == "methotrexate|"
