"""suppcheck batch: JSON Lines in (one regimen a line), JSON Lines out (one report a line).

Streaming: lines are checked as they arrive, a group of what has arrived at a time, and the
reports are flushed before waiting for more input, so memory stays bounded whatever the input's
length and a program can talk to `suppcheck batch` line by line through a pipe. The rule base is
loaded once. Registered on the main app by cli.py; nothing heavy is imported until it runs.
"""

from __future__ import annotations

import contextlib
import gc
import json  # this module is imported only when the batch command runs
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, Protocol

import typer

from suppcheck import yamlfile
from suppcheck.cli.common import (
    EXIT_FINDINGS,
    EXIT_NOT_UNDERSTOOD,
    EXIT_OK,
    EXIT_USAGE,
    FailOnOption,
    OnceCommand,
    RulesOption,
    fail,
    say,
)
from suppcheck.errors import InputError
from suppcheck.inputs.regimen import regimen_from_data
from suppcheck.model import Severity

if TYPE_CHECKING:
    from suppcheck.rules.rulebase import RuleBase

MAX_LINE_BYTES = 1024 * 1024  # the size limit of a regimen file, per line
_BLOCK = 8 * 1024  # read at a time: a group of lines is what one read brings (~40)


class _Blocks(Protocol):
    """A binary stream that returns what is available, up to `size` bytes (io.BufferedReader)."""

    def read1(self, size: int = -1, /) -> bytes: ...


_LOCATION = re.compile(r"^line \d+:\d+: ")
_SURROGATE = re.compile("[\ud800-\udfff]")

BATCH_HELP = """Check many profiles: JSON Lines in, JSON Lines out.

Each input line is one profile, a JSON object with the keys of a regimen file:
{"id": "p1", "conditions": ["lupus"], "supplements": ["zinc 50 mg"],
"medications": [], "active": false}. Each output line is the report of
`check --format json` for that line, in input order, with the profile's "id"
echoed. A line that cannot be read gives {"line": N, "id": ..., "error": "..."}
and the rest go on. Blank lines are skipped; input with no profile at all is an
error (exit 2): nothing was checked.

Your saved profile is NOT added: each line is checked exactly as given.

Exit status: the worst over all lines, as for check: 1 if any finding is at
or above --fail-on, else 3 if any line was not understood or was an error,
else 0; 2 if FILE or a rule file cannot be read.

Example: suppcheck batch profiles.jsonl > reports.jsonl
"""


def register(app: typer.Typer) -> None:
    """Add the batch command to `app`."""
    app.command("batch", help=BATCH_HELP, cls=OnceCommand)(batch_command)


def batch_command(
    file: Annotated[
        str,
        typer.Argument(metavar="[FILE|-]", help="JSON Lines of profiles; - (default) reads stdin."),
    ] = "-",
    fail_on: FailOnOption = Severity.CAUTION,
    rules: RulesOption = [],  # noqa: B006 - typer needs a literal default
) -> None:
    from suppcheck.cli.common import load_rule_base

    stream = _open(file)
    base = load_rule_base(rules)
    try:
        with _fewer_collections():
            # sys.stdin.buffer is an io.BufferedReader (a BytesIO under test runners): read1.
            status = run_batch(base, stream, sys.stdout.buffer, fail_on)  # type: ignore[arg-type]
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    raise typer.Exit(status)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Less garbage-collector work while a batch runs (about 4% of its time otherwise).

    The rule base and its caches live for the whole run: frozen, the collector stops walking
    them again and again. A check makes short-lived objects without reference cycles, freed as
    soon as they are dropped, so the collector can run less often; it still runs, so memory stays
    bounded even if a cycle appears. Both are undone afterwards.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _open(file: str) -> IO[bytes]:
    if file == "-":
        return sys.stdin.buffer
    try:
        if Path(file).is_dir():
            fail(f"{file}: cannot read profiles: it is a directory, not a file")
        return open(file, "rb")  # closed by the caller
    except OSError as exc:
        fail(f"{file}: cannot read profiles: {exc.strerror or exc}")


def run_batch(base: RuleBase, stream: _Blocks, out: IO[bytes], fail_on: Severity) -> int:
    """Check every line of `stream`, write one JSON line each to `out`; the exit status."""
    from suppcheck.engine.pipeline import run_check
    from suppcheck.printable import json_text
    from suppcheck.report.jsonline import add_report

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def dumps(item: object) -> bytes:
        return json_text(encode(item)).encode(errors="backslashreplace")

    failing = {severity for severity in Severity if severity.rank >= fail_on.rank}
    findings = not_understood = False
    lines = 0
    try:
        # Each group of lines that has arrived goes through one stage at a time (parse all,
        # check all, encode all): a tight loop per stage runs faster than every stage per line.
        # Output is flushed before waiting for more input (see _line_groups), so a program on
        # the other end of a pipe gets each reply before it must send another line.
        for group in _line_groups(stream, out.flush):
            lines += len(group)
            parsed = [_parse_line(number, line) for number, line in group]
            reports = [None if isinstance(p, dict) else run_check(base, p) for p in parsed]
            # The replies' UTF-8 pieces (add_report), joined once for the group and written.
            pieces: list[bytes] = []
            for item, report in zip(parsed, reports, strict=True):
                if report is None:
                    pieces += (dumps(item), b"\n")
                    not_understood = True
                    continue
                add_report(report, pieces, first={"id": item.id})
                pieces.append(b"\n")
                if findings:
                    continue  # the exit status is settled: nothing else can change it
                if any(f.rule.severity in failing for f in report.findings):
                    findings = True
                elif not report.fully_understood:
                    not_understood = True
            out.write(b"".join(pieces))
        out.flush()
    except BrokenPipeError:
        # The reader left: stop. What was found so far still counts, and the lines never
        # checked mean the run can never end as "all clear".
        if out is sys.stdout.buffer:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        not_understood = True
    if findings:
        return EXIT_FINDINGS
    if not lines:  # nothing was checked: never "all clear"
        say("suppcheck: error: no profiles to check: the input was empty or only blank lines")
        return EXIT_USAGE
    return EXIT_NOT_UNDERSTOOD if not_understood else EXIT_OK


def _line_groups(
    stream: _Blocks, before_waiting: Callable[[], None]
) -> Iterator[list[tuple[int, bytes | None]]]:
    """The input's lines, numbered from 1, in groups of those that have arrived: (number, bytes)
    for each non-blank line, None for a line over MAX_LINE_BYTES. Memory stays bounded: a group
    comes from one read of at most _BLOCK bytes (plus the line it completes).

    `before_waiting` is called whenever no complete line is left, before a read that may wait.
    """
    pending = b""  # an incomplete line, waiting for the rest of it
    number = 0
    while True:
        before_waiting()
        block = stream.read1(_BLOCK)
        if not block:  # end of input: the last line may have no newline
            if pending and not pending.isspace():
                yield [(number + 1, None if len(pending) > MAX_LINE_BYTES else pending)]
            return
        lines = (pending + block).split(b"\n")
        pending = lines.pop()
        group: list[tuple[int, bytes | None]] = []
        for line in lines:
            number += 1
            if len(line) > MAX_LINE_BYTES:
                group.append((number, None))
            elif line and not line.isspace():
                group.append((number, line))
        if len(pending) > MAX_LINE_BYTES:  # too long already: skip it, and say so once
            number += 1
            group.append((number, None))
            pending = _skip_line(stream)
        if group:
            yield group


def _skip_line(stream: _Blocks) -> bytes:
    """Read past the end of an over-long line; what comes after its newline."""
    while True:
        block = stream.read1(_BLOCK)
        end = block.find(b"\n")
        if not block or end >= 0:
            return block[end + 1 :] if end >= 0 else b""


def _error(number: int, message: str, profile_id: Any = None) -> dict[str, Any]:
    return {"line": number, "id": profile_id, "error": message}


def _parse_line(number: int, line: bytes | None) -> Any:
    """The Regimen on this line, or the error record for it."""
    if line is None:
        return _error(number, f"line is longer than {MAX_LINE_BYTES // 1024} KiB")
    try:
        text = line.decode()  # "utf-8-sig" would go through the codec registry every line
    except UnicodeDecodeError:
        return _error(number, "not UTF-8 text")
    if text.startswith("\ufeff"):  # a byte-order mark, as some editors write
        text = text[1:]
    try:
        data = yamlfile.loads_json(text)  # refuses duplicate keys and over-long numbers
    except json.JSONDecodeError as exc:
        return _error(number, f"invalid JSON: {exc.msg} (column {exc.colno})")
    except yamlfile.YamlError as exc:
        return _error(number, f"invalid JSON: {exc.message}")
    except RecursionError:
        return _error(number, "invalid JSON: nested too deeply")
    profile_id = _id_of(data)
    if (b"\\ud" in line or b"\\uD" in line) and _has_lone_surrogate(data):
        return _error(number, "invalid JSON text: a \\uD800-\\uDFFF escape that is not part of a "
                      "surrogate pair is not a character", profile_id)  # fmt: skip
    if not isinstance(data, dict):
        return _error(number, "a profile is a JSON object (id, conditions, supplements, ...)")
    try:
        regimen = regimen_from_data(data, f"line {number}")
    except InputError as exc:
        return _error(number, _LOCATION.sub("", str(exc)), profile_id)
    if not (regimen.conditions or regimen.supplements or regimen.medications):
        return _error(number, "nothing to check: no conditions, supplements or medications",
                      profile_id)  # fmt: skip
    return regimen


def _has_lone_surrogate(data: Any) -> bool:
    """Whether any text in the parsed line holds half of a surrogate pair: JSON allows the
    escape, but it is no character, and neither UTF-8 output nor the next JSON reader takes it."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str) and _SURROGATE.search(value):
            return True
    return False


def _id_of(data: Any) -> str | int | None:
    """The profile's id when it is one (text or a whole number), for error records."""
    if isinstance(data, dict):
        value = data.get("id")
        if isinstance(value, str | int) and not isinstance(value, bool):
            return value
    return None
