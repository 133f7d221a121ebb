"""`check` asks "Did you mean lupus? [y/N]" at a terminal, and only there (issue 11).

Run through a real pseudo-terminal against the installed console script: standard input and
standard error are the terminal, standard output a pipe (so the report is read whole and never
paged). Each test asserts the exit status, the report on stdout and what the terminal showed.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from suppcheck.cli.prompt import confirm_names
from suppcheck.engine.pipeline import run_check
from suppcheck.inputs.regimen import Regimen
from suppcheck.model import Kind
from suppcheck.report.data import report_to_dict
from suppcheck.report.jsonline import report_to_json
from suppcheck.rules import cache

SCRIPT = Path(sys.executable).parent / "suppcheck"
QUESTION = "Did you mean lupus (Systemic lupus erythematosus)? [y/N] "


class Session:
    """A console-script run whose stdin and stderr are a pseudo-terminal."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, stdin_pipe: bool = False):
        self.master, slave = pty.openpty()
        environment = {**os.environ, **(env or {})}
        self.process = subprocess.Popen(
            [str(SCRIPT), *args],
            stdin=subprocess.PIPE if stdin_pipe else slave,
            stdout=subprocess.PIPE,
            stderr=slave,
            env=environment,
            start_new_session=True,  # the terminal is its controlling one: Ctrl-C reaches it
        )
        os.close(slave)
        self.screen = ""

    def read_until(self, text: str, timeout: float = 60) -> str:
        """What the terminal showed, up to and including `text`."""
        end = time.monotonic() + timeout
        while text not in self.screen:
            left = end - time.monotonic()
            assert left > 0, f"never showed {text!r}; showed {self.screen!r}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the other end closed: the process ended
                    break
                if not chunk:
                    break
                self.screen += chunk.decode("utf-8", "replace")
        assert text in self.screen, f"never showed {text!r}; showed {self.screen!r}"
        return self.screen

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def finish(self, stdin: bytes | None = None) -> tuple[int, str, str]:
        """Exit status, stdout and everything the terminal showed."""
        if stdin is not None:
            assert self.process.stdin is not None
            self.process.stdin.write(stdin)
            self.process.stdin.close()
        stdout = self.process.stdout.read().decode() if self.process.stdout else ""
        code = self.process.wait(timeout=60)
        while True:  # what is left on the terminal
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.screen += chunk.decode("utf-8", "replace")
        os.close(self.master)
        return code, stdout, self.screen.replace("\r\n", "\n")


@pytest.fixture(autouse=True)
def _may_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUPPCHECK_NO_INPUT", raising=False)


def test_yes_checks_the_confirmed_name_and_says_it_was_confirmed() -> None:
    session = Session("check", "-c", "lupsu", "-s", "melatonin", "--no-pager")
    session.read_until(QUESTION)
    session.type(b"y\n")
    code, stdout, screen = session.finish()
    assert code == 1  # the lupus cautions about melatonin fire
    assert "suppcheck: condition 'lupsu' is not known. " + QUESTION in screen
    assert "Traceback" not in screen
    assert "lupsu -> Systemic lupus erythematosus (confirmed)" in stdout
    assert "Melatonin may stimulate an immune system" in stdout
    assert "NOT UNDERSTOOD" not in stdout
    assert "Some input was not understood" not in stdout


@pytest.mark.parametrize("answer", [b"\n", b"n\n", b"no\n", b"maybe\n"])
def test_no_or_enter_leaves_the_name_not_understood(answer: bytes) -> None:
    session = Session("check", "-c", "lupsu", "-s", "melatonin")
    session.read_until(QUESTION)
    session.type(answer)
    code, stdout, screen = session.finish()
    assert code == 3  # nothing at or above caution, and something was not understood
    assert "? NOT UNDERSTOOD  condition lupsu: unknown condition, not checked" in stdout
    assert "(confirmed)" not in stdout
    assert "Traceback" not in screen


def test_end_of_input_is_no_without_a_traceback() -> None:
    session = Session("check", "-c", "lupsu", "-s", "melatonin")
    session.read_until(QUESTION)
    session.type(b"\x04")  # Ctrl-D at the start of a line: end of input
    code, stdout, screen = session.finish()
    assert code == 3
    assert "condition lupsu: unknown condition, not checked" in stdout
    assert "Traceback" not in screen
    assert screen.endswith(QUESTION + "\n")  # the prompt's line is ended; nothing else said


def test_ctrl_c_is_no_without_a_traceback() -> None:
    session = Session("check", "-c", "lupsu", "-s", "melatonin")
    session.read_until(QUESTION)
    os.killpg(session.process.pid, signal.SIGINT)  # what Ctrl-C at the terminal sends
    code, stdout, screen = session.finish()
    assert code == 3
    assert "condition lupsu: unknown condition, not checked" in stdout
    assert "Traceback" not in screen
    assert "interrupted" not in screen


def test_supplements_and_medications_are_asked_about_and_keep_their_dose() -> None:
    session = Session("check", "-s", "magnesum 400 mg", "-m", "methotrexat")
    session.read_until("supplement 'magnesum' is not known. Did you mean magnesium? [y/N] ")
    session.type(b"yes\n")
    session.read_until("medication 'methotrexat' is not known. Did you mean methotrexate? [y/N] ")
    session.type(b"Y\n")
    code, stdout, screen = session.finish()
    assert code == 1  # 400 mg of magnesium is above the upper limit
    assert "magnesum 400 mg -> Magnesium (confirmed), 400 mg a day" in stdout
    assert "methotrexat -> Methotrexate (confirmed)" in stdout
    assert "magnesium (mg) adds up to 400 mg a day" in " ".join(stdout.split())
    assert "Traceback" not in screen


def test_a_name_typed_twice_is_asked_about_once() -> None:
    session = Session("check", "-s", "magnesum 200 mg", "-s", "Magnesum 200 mg")
    session.read_until("Did you mean magnesium? [y/N] ")
    session.type(b"y\n")
    code, stdout, screen = session.finish()
    assert code == 1  # 400 mg of magnesium in all
    assert screen.count("Did you mean") == 1
    assert "magnesum 200 mg -> Magnesium (confirmed), 200 mg a day" in stdout
    assert "Magnesum 200 mg -> Magnesium (confirmed), 200 mg a day" in stdout


def test_a_short_word_or_another_first_letter_is_never_asked_about() -> None:
    # Goli is a brand, not goji; PASC (long COVID) is not PSC; zinx may well be zinc, but a
    # four-letter word is too short to tell a slip from another name
    session = Session("check", "-s", "Goli", "-c", "PASC", "-s", "zinx", "-m", "fludrocortisone")
    code, stdout, screen = session.finish()
    assert code == 3
    assert "Did you mean" not in screen
    said = " ".join(stdout.split())
    assert "Goli: unknown supplement, not checked. Did you mean goji?" in said  # listed, not asked
    assert "medication fludrocortisone: unknown medication, not checked" in said
    assert "hydrocortisone" not in said  # another drug is not even suggested


def test_a_weak_or_ambiguous_suggestion_is_never_asked_about() -> None:
    # "sclerosis" could be multiple or systemic sclerosis: suggestions, no question
    session = Session("check", "-c", "sclerosis", "-s", "melatonin")
    code, stdout, screen = session.finish()
    assert code == 3
    assert "Did you mean" not in screen
    assert "? [y/N]" not in screen
    said = " ".join(stdout.split())
    assert "condition sclerosis: unknown condition, not checked. Did you mean one of" in said


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--no-input",), {}),
        ((), {"SUPPCHECK_NO_INPUT": "1"}),
        (("--format", "json"), {}),
        (("--format", "markdown"), {}),
    ],
    ids=["--no-input", "SUPPCHECK_NO_INPUT", "json", "markdown"],
)
def test_never_asks_when_told_not_to_or_for_other_formats(
    args: tuple[str, ...], env: dict[str, str]
) -> None:
    session = Session("check", "-c", "lupsu", "-s", "melatonin", *args, env=env)
    code, stdout, screen = session.finish()
    assert code == 3
    assert screen == ""
    assert "lupsu" in stdout
    assert "(confirmed)" not in stdout and '"confirmed"' not in stdout


def test_never_asks_when_the_report_is_written_to_a_file(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    session = Session("check", "-c", "lupsu", "-s", "melatonin", "-o", str(report))
    code, stdout, screen = session.finish()
    assert code == 3
    assert stdout == ""
    assert screen == f"suppcheck: report written to {report}\n"
    assert "condition lupsu: unknown condition" in report.read_text()


def test_never_asks_when_standard_input_is_piped() -> None:
    session = Session("check", "-c", "lupsu", "-s", "melatonin", stdin_pipe=True)
    code, stdout, screen = session.finish(stdin=b"y\n")
    assert code == 3
    assert screen == ""
    assert "condition lupsu: unknown condition, not checked" in stdout


def test_never_asks_when_the_regimen_is_read_from_standard_input() -> None:
    session = Session("check", "--input", "-", stdin_pipe=True)
    code, stdout, screen = session.finish(stdin=b"conditions: [lupsu]\nsupplements: [melatonin]\n")
    assert code == 3
    assert screen == ""
    assert "condition lupsu: unknown condition, not checked" in stdout


def test_batch_never_asks() -> None:
    session = Session("batch", "-", stdin_pipe=True)
    line = json.dumps({"id": 1, "conditions": ["lupsu"], "supplements": ["melatonin"]})
    code, stdout, screen = session.finish(stdin=line.encode() + b"\n")
    assert code == 3
    assert screen == ""
    assert json.loads(stdout.splitlines()[0])["unresolved"][0]["input"] == "lupsu"


# --- the parts, without a terminal ---------------------------------------------------------


def test_confirmed_names_are_marked_in_json_and_the_fast_encoding_agrees() -> None:
    base = cache.load()
    regimen = Regimen(["lupsu"], ["zinx 25 mg"], ["methotrexat"])
    confirmed = {
        Kind.CONDITION: {"lupsu": "lupus"},
        Kind.SUPPLEMENT: {"zinx": "zinc"},
        Kind.MEDICATION: {"methotrexat": "methotrexate"},
    }
    report = run_check(base, regimen, confirmed=confirmed)
    data = report_to_dict(report)
    assert data["unresolved"] == []
    assert data["resolved"]["conditions"] == [
        {"input": "lupsu", "id": "lupus", "name": "Systemic lupus erythematosus", "confirmed": True}
    ]
    assert data["resolved"]["supplements"][0]["confirmed"] is True
    assert data["resolved"]["supplements"][0]["dose"]["amount"] == 25
    assert data["resolved"]["medications"][0]["confirmed"] is True
    assert json.loads(report_to_json(report)) == data
    schema = json.loads((Path(__file__).parents[2] / "docs" / "report-schema.json").read_text())
    jsonschema.validate(data, schema)
    # without a confirmation the same names are not understood, and nothing says "confirmed"
    plain = report_to_dict(run_check(base, regimen))
    assert sorted(u["input"] for u in plain["unresolved"]) == ["lupsu", "methotrexat", "zinx 25 mg"]
    assert "confirmed" not in json.dumps(plain)


def test_only_plain_unknown_names_are_asked_about() -> None:
    base = cache.load()
    # a known name with an unreadable number after it, and an unreadable dose of a known name:
    # confirming either would lose what was typed after the name
    regimen = Regimen([], ["zinc ½ mg", "zinc 25 mg blah", "lupus"], [])
    report = run_check(base, regimen)
    assert report.profile.unresolved
    import io

    ask, answers = io.StringIO(), io.StringIO("y\n" * 5)
    assert confirm_names(report, base.vocabularies(), ask, answers) == {}
    assert ask.getvalue() == ""
