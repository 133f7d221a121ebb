"""The answer first, short by default, --quiet and --details, and a long report paged on a
terminal as git does it (a real pseudo-terminal, a real pager process)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from tests.helpers import run

from suppcheck.cli.pager import pager_command, should_page

ARGS = ("check", "-c", "lupus", "-s", "melatonin", "-s", "zinc 50 mg")


def flat(text: str) -> str:
    return " ".join(text.split())


def test_quiet_prints_only_the_summary_and_the_safety_sentences() -> None:
    result = run(*ARGS, "--quiet")
    assert result.exit_code == 1 and result.stderr == ""
    out = flat(result.stdout)
    assert "▲ WARNING Zinc (50 mg a day)" in out and "◆ CAUTION Melatonin" in out
    assert "Ask your clinician" in out and "Daily totals against upper limits" in out
    assert "Details:" not in out and "What to do:" not in out and "Sources:" not in out
    assert "not medical advice" in out and "to your clinician" in out
    assert len(result.stdout.splitlines()) < 35


def test_quiet_leaves_json_unchanged() -> None:
    assert run(*ARGS, "-q", "-f", "json").stdout == run(*ARGS, "-f", "json").stdout


def test_details_add_the_concern_the_evidence_explained_and_every_question() -> None:
    short = run(*ARGS)
    full = run(*ARGS, "--details")
    assert full.exit_code == short.exit_code == 1 and full.stderr == short.stderr == ""
    assert "The concern:" in full.stdout and "The concern:" not in short.stdout
    assert "theoretical (a plausible mechanism" in flat(full.stdout)
    assert "(10 more in the details: --details)" in short.stdout
    assert "more in the details" not in full.stdout
    assert flat(run(*ARGS, "-v").stdout) == flat(full.stdout)


def test_quiet_and_details_together_is_a_usage_error() -> None:
    result = run(*ARGS, "-q", "-v")
    assert result.exit_code == 2 and result.stdout == ""
    assert "--quiet and --details" in result.stderr


def test_not_understood_names_and_doses_are_in_the_summary() -> None:
    result = run(
        "check",
        "-c",
        "lupus",
        "-s",
        "ashwaganda",
        "-s",
        "zinc 50 blargs",
        "-q",
        "--fail-on",
        "warning",
    )
    assert result.exit_code == 3 and result.stderr == ""
    out = flat(result.stdout)
    assert "? NOT UNDERSTOOD ashwaganda: unknown supplement, not checked." in out
    assert "Did you mean ashwagandha?" in out
    assert "? NOT UNDERSTOOD the dose could not be read: unknown unit 'blargs'" in out


def test_no_questions_means_no_questions_are_mentioned() -> None:
    result = run("check", "-s", "melatonin")
    assert result.exit_code == 0 and result.stderr == ""
    assert "listed above" not in result.stdout and "Ask your clinician" not in result.stdout
    assert "NOTHING FOUND  Melatonin" in result.stdout  # a state line, never silence


def test_a_long_url_is_never_cut_at_80_columns() -> None:
    out = run(*ARGS).stdout
    url = "https://books.nap.edu/openbook.php?record_id=10026&page=486"
    assert any(line.strip() == url for line in out.splitlines())


def test_the_for_line_and_date_are_on_printed_reports() -> None:
    for fmt in ("html", "markdown"):
        result = run(*ARGS, "--for", "Ann <Lee>", "-f", fmt)
        assert result.exit_code == 1 and result.stderr == ""
        assert "2026-09-21" in result.stdout  # SOURCE_DATE_EPOCH, set by conftest
        assert "Ann &lt;Lee&gt;" in result.stdout or "Ann \\<Lee\\>" in result.stdout


def test_html_says_nothing_found_without_green() -> None:
    page = run("check", "-c", "lupus", "-s", "vitamin C", "-f", "html").stdout
    assert "NOTHING FOUND" in page
    for green in ("green", "#1d5e20", "#0a0", "#080"):
        assert green not in page


# --- the pager ---------------------------------------------------------------------------------


def test_pager_command_reads_pager_as_git_does() -> None:
    assert pager_command({}) == ["less", "-FRX"]
    assert pager_command({"PAGER": "more -s"}) == ["more", "-s"]
    assert pager_command({"PAGER": ""}) is None
    assert pager_command({"PAGER": "cat"}) is None
    assert pager_command({"PAGER": "more", "SUPPCHECK_PAGER": "cat"}) is None


class _Tty:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_should_page_only_a_terminal_and_only_a_long_text() -> None:
    assert should_page(_Tty(True), "x\n" * 30, lines=24)  # type: ignore[arg-type]
    assert not should_page(_Tty(True), "x\n" * 10, lines=24)  # type: ignore[arg-type]
    assert not should_page(_Tty(False), "x\n" * 30, lines=24)  # type: ignore[arg-type]


def _run_on_a_terminal(tmp_path: Path, *extra: str, pager: str) -> tuple[int, str]:
    """Run suppcheck with stdout on a pseudo-terminal of 80x20; (exit status, what it showed)."""
    env = {**os.environ, "PAGER": pager, "LINES": "20", "COLUMNS": "80", "NO_COLOR": "1"}
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "suppcheck", *ARGS, *extra],
        stdout=slave,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert process.wait(timeout=60) == 1
    assert process.stderr is not None
    assert process.stderr.read() == b""
    return 1, shown.decode("utf-8", "replace")


@pytest.mark.slow
def test_a_long_report_on_a_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    _, shown = _run_on_a_terminal(tmp_path, pager=f"sh -c 'cat > {paged}'")
    assert shown == ""  # everything went to the pager
    text = paged.read_text(encoding="utf-8")
    assert text.startswith("suppcheck: supplement caution report")
    assert "not medical advice" in text


@pytest.mark.slow
def test_no_pager_and_pager_cat_print_directly(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    _, shown = _run_on_a_terminal(tmp_path, "--no-pager", pager=f"sh -c 'cat > {paged}'")
    assert not paged.exists()
    assert "suppcheck: supplement caution report" in shown
    _, shown = _run_on_a_terminal(tmp_path, pager="cat")
    assert "not medical advice" in " ".join(shown.split())


def test_a_pipe_is_never_paged(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    env = {**os.environ, "PAGER": f"sh -c 'cat > {paged}'", "LINES": "5"}
    result = subprocess.run(
        [sys.executable, "-m", "suppcheck", *ARGS],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.startswith("suppcheck: supplement caution report")
    assert not paged.exists()


def test_a_medication_whose_dose_was_not_read_is_not_also_said_to_be_unchecked() -> None:
    # it read "Insulin glargine was still checked for everything that does not depend on the
    # dose, not checked" (found trying the tool as real users would)
    result = run("check", "-m", "Lantus 20 units", "--no-input")
    said = " ".join(result.stdout.split())
    assert result.exit_code == 3
    assert "does not depend on the dose, not checked" not in said
    assert (
        "Insulin glargine was still checked for everything that does not depend on the dose" in said
    )
