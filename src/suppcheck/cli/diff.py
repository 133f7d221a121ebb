"""`suppcheck diff OLD.json NEW.json`, and `check --since-last`: what changed between two reports.

`check --since-last` keeps the last report of each regimen in the user's data folder
(paths.last_checks_dir), named by a hash of the regimen: the same --input files (by their full
path: what they hold may change, and that is what is reported), the same items typed on the
command line (in any order and case), standard input by what it holds, and --no-profile.
Nothing is kept unless --since-last is given; nothing is ever sent anywhere.
"""

from __future__ import annotations

import enum
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from suppcheck.cli.common import EXIT_FINDINGS, EXIT_OK, OnceCommand, fail, say

if TYPE_CHECKING:
    from suppcheck.inputs.regimen import Regimen
    from suppcheck.model import Report
    from suppcheck.report import Format
    from suppcheck.report.diff import Changes

MAX_REPORT_BYTES = 64 * 1024 * 1024  # a JSON report of a large regimen is well under 1 MB
KEPT_KIND = "suppcheck last check"


class DiffFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("diff", cls=OnceCommand)(diff)


def diff(
    old: Annotated[str, typer.Argument(metavar="OLD.json", help="The earlier JSON report.")],
    new: Annotated[str, typer.Argument(metavar="NEW.json", help="The later JSON report.")],
    fmt: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = DiffFormat.TEXT,
) -> None:
    """Say what changed between two saved `check --format json` reports.

    New and removed findings, findings whose severity or wording changed, supplements,
    conditions and medications added or removed, changed doses, and a new rule base version.
    - reads one of the two from standard input.

    \b
    Exit status (as diff(1)): 0 nothing changed, 1 something changed, 2 trouble
    (an unreadable file, or one that is not a suppcheck JSON report).

    \b
    Examples:
      suppcheck check -i regimen.yaml -f json -o before.json
      suppcheck diff before.json after.json
    """
    from suppcheck.report import diff as changes_of

    if old == "-" and new == "-":
        fail("standard input (-) can be read only once")
    snapshots = [_snapshot(name) for name in (old, new)]
    changes = changes_of.compare(*snapshots)
    _print(changes, fmt is DiffFormat.JSON, None, intro=f"Changes from {old} to {new}:")
    raise typer.Exit(EXIT_FINDINGS if changes.any else EXIT_OK)


def _snapshot(name: str) -> Any:
    from suppcheck.printable import readable
    from suppcheck.report.diff import snapshot

    shown = readable(name)
    try:
        if name == "-":
            text: str | bytes = sys.stdin.read(MAX_REPORT_BYTES + 1)
        else:
            with open(name, "rb") as stream:
                text = stream.read(MAX_REPORT_BYTES + 1)
    except OSError as exc:
        fail(f"{shown}: cannot read the report: {exc.strerror or exc}")
    if len(text) > MAX_REPORT_BYTES:
        fail(f"{shown}: larger than {MAX_REPORT_BYTES // 1024 // 1024} MB: not a suppcheck report")
    try:  # json.loads reads UTF-8 bytes itself; anything else is a ValueError
        return snapshot(json.loads(text))
    except (ValueError, RecursionError) as exc:
        fail(f"{shown}: not a suppcheck JSON report ({readable(str(exc))})")


def _print(
    changes: Changes, as_json: bool, output: Path | None, *, intro: str, since: str | None = None
) -> None:
    from suppcheck.report import diff as changes_of

    def write(out: Any) -> None:
        if as_json:
            json.dump(changes_of.changes_to_dict(changes, since=since), out, indent=2)
            out.write("\n")
        else:
            changes_of.write_text(changes, out, intro=intro)

    if output is None:
        write(sys.stdout)
        return
    from suppcheck.fileio import write_output
    from suppcheck.printable import readable

    try:
        write_output(output, write)
    except OSError as exc:
        fail(f"{readable(str(output))}: cannot write the report: {exc.strerror or exc}")
    say(f"suppcheck: report written to {readable(str(output))}")


def regimen_key(input_files: list[str], typed: Regimen, merged: Regimen, no_profile: bool) -> str:
    """The name a regimen's kept report goes by (see the module's docstring)."""
    import hashlib

    def items(values: list[Any]) -> list[str]:
        return sorted(" ".join(json.dumps(v, sort_keys=True).casefold().split()) for v in values)

    given = merged if "-" in input_files else typed
    identity = {
        "files": sorted(os.path.realpath(name) for name in input_files if name != "-"),
        "conditions": items(given.conditions),
        "supplements": items(given.supplements),
        "medications": items(given.medications),
        "active": given.active,
        "no_profile": no_profile,
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:32]


def since_last_check(
    report: Report,
    key: str,
    fmt: Format,
    output: Path | None,
    not_here: Mapping[str, object],
) -> None:
    """Print what changed since the kept report of this regimen, then keep this one.

    `not_here` names the check options that do not apply to a list of changes (given: refused,
    never silently ignored)."""
    from suppcheck import paths
    from suppcheck.cli.render import report_date
    from suppcheck.fileio import write_atomic_text
    from suppcheck.report import Format
    from suppcheck.report import diff as changes_of
    from suppcheck.report.data import report_to_dict

    if fmt not in (Format.TEXT, Format.JSON):
        fail(f"--since-last prints text or json, not {fmt.value}")
    given = [name for name, value in not_here.items() if value]
    if given:
        fail(f"{given[0]} does not apply to --since-last, which lists only what changed")
    kept_path = paths.last_checks_dir() / f"{key}.json"
    previous, date = _kept(kept_path)
    data = report_to_dict(report)
    changes = changes_of.compare(previous or changes_of.EMPTY, changes_of.snapshot(data))
    if previous is None:
        intro = (
            "No earlier check of this regimen is kept, so everything below is new. The next "
            "`check --since-last` of this regimen shows only what changed."
        )
    else:
        intro = f"What changed since the last check of this regimen ({date}):"
    kept = {"kind": KEPT_KIND, "date": report_date(), "report": data}
    try:
        kept_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic_text(kept_path, lambda out: json.dump(kept, out))
    except OSError as exc:
        say(f"suppcheck: warning: could not keep this report for the next --since-last: "
            f"{exc.strerror or exc}")  # fmt: skip
    _print(changes, fmt is Format.JSON, output, intro=intro, since=date)


def _kept(path: Path) -> tuple[Any, str | None]:
    """The kept report's snapshot and date, or (None, None) when none is kept or it cannot be
    used (said on stderr: the check goes on, compared with nothing)."""
    from suppcheck.printable import readable
    from suppcheck.report.diff import snapshot

    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_REPORT_BYTES + 1)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        say(f"suppcheck: warning: cannot read the kept report {readable(str(path))}: "
            f"{exc.strerror or exc}; comparing with nothing")  # fmt: skip
        return None, None
    try:
        kept = json.loads(raw.decode("utf-8"))
        if not isinstance(kept, dict) or kept.get("kind") != KEPT_KIND:
            raise ValueError("not a kept report")
        date = kept.get("date")
        return snapshot(kept.get("report")), date if isinstance(date, str) else "date unknown"
    except (ValueError, RecursionError) as exc:
        say(f"suppcheck: warning: the kept report {readable(str(path))} cannot be used "
            f"({readable(str(exc))}); comparing with nothing")  # fmt: skip
        return None, None


__all__ = ["diff", "regimen_key", "register", "since_last_check"]
