"""`suppcheck batch`: JSON Lines in, one report (or error record) a line out, in input order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from suppcheck import paths
from suppcheck.cli.batch import MAX_LINE_BYTES
from suppcheck.cli.main import app

SUPPCHECK = str(Path(sys.executable).parent / "suppcheck")


def batch(text: str | bytes, *args: str) -> tuple[int, list[dict[str, object]], str]:
    result = CliRunner().invoke(app, ["batch", *args], input=text)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, lines, result.stderr


def line(**profile: object) -> str:
    return json.dumps(profile) + "\n"


def check_json(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(app, ["check", "--format", "json", *args])
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_each_line_gives_the_check_report_with_its_id() -> None:
    text = line(id="a", conditions=["lupus"], supplements=["melatonin"]) + line(
        id=7, conditions=["RA"], supplements=["zinc 50 mg"], medications=["methotrexate"],
        active=True,
    )  # fmt: skip
    code, out, err = batch(text)
    assert code == 1 and err == ""
    assert [r["id"] for r in out] == ["a", 7]
    first = dict(out[0])
    del first["id"]
    assert first == check_json("-c", "lupus", "-s", "melatonin")
    second = dict(out[1])
    del second["id"]
    assert second == check_json("-c", "RA", "-s", "zinc 50 mg", "-m", "methotrexate", "--active")


def test_bad_lines_give_error_records_and_the_rest_go_on() -> None:
    good = line(id="ok", conditions=["lupus"], supplements=["vitamin c"])
    text = (
        good
        + "{not json\n"
        + line(id="x", conditions="lupus", supplements=[5])
        + "[1, 2]\n"
        + line(id="y", color="blue")
        + line(id="z")
        + "\n"  # blank lines are skipped
        + good
    )
    code, out, err = batch(text)
    assert err == ""
    assert code == 3  # an error line: not everything understood, never exit 0
    assert [r.get("id") for r in out] == ["ok", None, "x", None, "y", "z", "ok"]
    errors = {r["line"]: r["error"] for r in out if "error" in r}
    assert set(errors) == {2, 3, 4, 5, 6}
    assert str(errors[2]).startswith("invalid JSON:")
    assert errors[3] == "supplements[0]: expected a name, or a mapping of name, amount and unit"
    assert "JSON object" in str(errors[4])
    assert "unknown key 'color'" in str(errors[5])
    assert "nothing to check" in str(errors[6])


def test_exit_status_is_the_worst_over_the_lines() -> None:
    clean = line(conditions=["lupus"], supplements=["vitamin c"])
    unknown = line(conditions=["lupus"], supplements=["ashwaganda"])
    finding = line(conditions=["lupus"], supplements=["melatonin"])
    assert batch(clean)[0] == 0
    assert batch(clean + unknown)[0] == 3
    assert batch(unknown + finding)[0] == 1
    assert batch(finding, "--fail-on", "warning")[0] == 0
    assert batch("")[0] == 2  # nothing checked is never "all clear" (issue 14)


def test_a_too_long_line_is_an_error_and_the_next_line_is_read() -> None:
    long_name = "x" * (MAX_LINE_BYTES + 10)
    text = line(id="long", conditions=[long_name]) + line(id="next", conditions=["lupus"],
                                                          supplements=["melatonin"])  # fmt: skip
    code, out, err = batch(text)
    assert code == 1 and err == ""
    assert out[0] == {"line": 1, "id": None, "error": "line is longer than 1024 KiB"}
    assert out[1]["id"] == "next" and "findings" in out[1]


def test_binary_and_deeply_nested_lines_are_errors() -> None:
    code, out, _ = batch(b"\xff\xfe\x00garbage\n" + b"[" * 100_000 + b"\n")
    assert code == 3
    assert out[0]["error"] == "not UTF-8 text"
    assert str(out[1]["error"]).startswith("invalid JSON")


def test_batch_reads_a_file_and_ignores_the_saved_profile(tmp_path: Path) -> None:
    profile = paths.profile_path()
    profile.parent.mkdir(parents=True)
    profile.write_text("conditions: [lupus]\n")
    source = tmp_path / "in.jsonl"
    source.write_text(line(id=1, supplements=["melatonin"]))
    code, out, err = batch("", str(source))
    assert err == ""
    assert code == 0  # melatonin without a condition; the saved lupus is not added
    assert out[0]["input"]["conditions"] == []  # type: ignore[index]


@pytest.mark.parametrize("target", ["missing.jsonl", "."])
def test_an_unreadable_input_file_is_a_usage_error(target: str) -> None:
    result = CliRunner().invoke(app, ["batch", target])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"suppcheck: error: {target}: cannot read profiles")


def test_a_broken_rule_file_is_a_usage_error(tmp_path: Path) -> None:
    broken = tmp_path / "bad.yaml"
    broken.write_text("rules: {")
    profile = line(conditions=["x"])
    result = CliRunner().invoke(app, ["batch", "--rules", str(broken)], input=profile)
    assert result.exit_code == 2 and result.stdout == ""
    assert "bad.yaml:" in result.stderr and "Traceback" not in result.stderr


def test_help_says_the_saved_profile_is_not_used() -> None:
    result = CliRunner().invoke(app, ["batch", "--help"])
    assert result.exit_code == 0
    assert "saved profile is NOT added" in " ".join(result.stdout.split())


def test_batch_streams_a_reply_per_line_through_a_pipe(isolated_environment: Path) -> None:
    """A program can write one profile and read its report before sending the next."""
    with subprocess.Popen(
        [SUPPCHECK, "batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        for name in ("first", "second"):
            process.stdin.write(line(id=name, conditions=["lupus"], supplements=["melatonin"]))
            process.stdin.flush()
            reply = json.loads(process.stdout.readline())
            assert reply["id"] == name
        process.stdin.close()
        assert process.wait(timeout=30) == 1


def test_a_closed_pipe_stops_the_batch_and_is_never_all_clear(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    profiles = tmp_path / "profiles.jsonl"
    line = '{"conditions": ["vitiligo"], "supplements": ["collagen"]}\n'  # no finding
    profiles.write_text(line * 2000, encoding="utf-8")
    script = shutil.which("suppcheck", path=os.path.dirname(sys.executable))
    assert script is not None
    reader, writer = os.pipe()
    os.close(reader)
    process = subprocess.run(
        [script, "batch", str(profiles)],
        stdout=writer,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    os.close(writer)
    assert process.returncode == 3  # stopped early: the unchecked lines are not "all clear"
    assert "Traceback" not in process.stderr


@pytest.mark.parametrize("block", [1, 7, 64, 8 * 1024])
def test_line_groups_number_every_line_whatever_the_read_size(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines split across reads, blank lines, CRLF, over-long lines in the middle and at the end
    without a newline: each keeps its number, and the limit is on the line's own bytes."""
    import io

    from suppcheck.cli import batch as cli_batch

    monkeypatch.setattr(cli_batch, "MAX_LINE_BYTES", 20)
    monkeypatch.setattr(cli_batch, "_BLOCK", block)
    text = (
        b'{"a": 1}\n'  # 1
        b"\n"  # 2: blank, skipped
        b'{"b": 2}\r\n'  # 3
        + b"x" * 20  # 4: exactly the limit
        + b"\n"
        + b"y" * 21  # 5: one byte over
        + b"\n"
        + b"z" * 100  # 6: far over, across reads
        + b"\n   \n"  # 7: blank
        + b'{"c": 3}\n'  # 8
        + b"w" * 30  # 9: over, last, no newline
    )
    waits = []
    groups = list(cli_batch._line_groups(io.BytesIO(text), lambda: waits.append(1)))
    lines = [item for group in groups for item in group]
    assert lines == [
        (1, b'{"a": 1}'),
        (3, b'{"b": 2}\r'),
        (4, b"x" * 20),
        (5, None),
        (6, None),
        (8, b'{"c": 3}'),
        (9, None),
    ]
    assert len(waits) >= len(groups)  # flushed before every read that could wait


def test_the_last_line_without_a_newline_is_checked() -> None:
    text = line(id="a", conditions=["lupus"]) + json.dumps({"id": "b", "conditions": ["lupus"]})
    code, out, _ = batch(text)
    assert [reply["id"] for reply in out] == ["a", "b"] and code == 0


@pytest.mark.parametrize(
    "text",
    ['{"a": [1, 2.5, "x"]}', '  {"a": 1}  ', '{"a": 1}\r', '"text"', "[]", "{",
     '{"a": 1} extra', '{"a": 1}{"b": 2}', "nul", '{"a": 01}', "NaN"],
)  # fmt: skip
def test_a_line_is_read_as_json_loads_reads_it(text: str) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        expected = f"invalid JSON: {exc.msg} (column {exc.colno})"
    else:
        expected = "unknown key 'a'" if isinstance(data, dict) else "a profile is a JSON object"
    code, out, err = batch(text + "\n")
    assert code == 3 and err == "" and len(out) == 1
    assert str(out[0]["error"]).startswith(expected), out
