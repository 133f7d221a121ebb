"""`suppcheck plan`: only "When to take what", for the same input as `check`.

The plan is engine/plan.py's (the report's "When to take what" section); this command reads the
input as `check` does, evaluates it, and prints the plan alone, in text or JSON. It says plainly
when no rule sets a gap, when no day keeps every gap, and when some input was not understood (a
gap it needs cannot be in the plan).
"""

from __future__ import annotations

import enum
import json
import sys
import textwrap
from typing import TYPE_CHECKING, Annotated, Any

import typer

from suppcheck.cli.common import (
    EXIT_FINDINGS,
    EXIT_NOT_UNDERSTOOD,
    EXIT_OK,
    OnceCommand,
    RulesOption,
    report_for,
    with_files,
)
from suppcheck.cli.main import ConditionOpt, MedicationOpt, SupplementOpt

if TYPE_CHECKING:
    from suppcheck.model import Report

PLAN_VERSION = "1"
NO_GAP = (
    "No rule sets a gap between the things given, so there is no plan to make. This is only "
    "about timing: `suppcheck check` with the same input lists the cautions."
)
UNDERSTOOD_ONLY = (
    "Some input was not understood and was not checked: {names}. A gap it needs cannot be in "
    "this plan."
)


class PlanFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("plan", cls=OnceCommand)(plan)


def plan(
    condition: ConditionOpt = [],  # noqa: B006 - typer needs a literal default
    supplement: SupplementOpt = [],  # noqa: B006
    medication: MedicationOpt = [],  # noqa: B006
    active: Annotated[
        bool, typer.Option("--active", help="Your disease is currently active or flaring.")
    ] = False,
    input_files: Annotated[
        list[str],
        typer.Option(
            "--input",
            "-i",
            metavar="FILE",
            help="A regimen file (YAML or JSON; repeatable, the files add up); - reads "
            "standard input.",
        ),
    ] = [],  # noqa: B006
    fmt: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = PlanFormat.TEXT,
    rules: RulesOption = [],  # noqa: B006
    no_profile: Annotated[
        bool, typer.Option("--no-profile", help="Ignore your saved profile for this plan.")
    ] = False,
) -> None:
    """When to take what: a day that keeps the gaps the rules ask for, and which rule sets each.

    Takes the same input as `check`. Times are examples for a day that starts at 07:00.

    \b
    Exit status: 0 a plan keeps every gap (or none is needed), 1 no day keeps every gap,
    2 usage or file error, 3 some input was not understood (the plan may lack a gap).

    \b
    Examples:
      suppcheck plan -m levothyroxine -s "calcium carbonate 600 mg" -s iron
      suppcheck plan --input regimen.yaml --format json
    """
    from suppcheck.engine.plan import make_plan
    from suppcheck.inputs.regimen import Regimen

    typed = Regimen(list(condition), list(supplement), list(medication), active)
    report = report_for(with_files(typed, input_files), rules, no_profile)
    day = make_plan(report)
    if fmt is PlanFormat.JSON:
        json.dump(plan_data(report), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for line in plan_lines(report):
            sys.stdout.write(_wrap(line) + "\n")
    if not report.fully_understood:
        raise typer.Exit(EXIT_NOT_UNDERSTOOD)
    raise typer.Exit(EXIT_FINDINGS if day is not None and not day.possible else EXIT_OK)


def _not_understood(report: Report) -> list[str]:
    return [u.input for u in report.profile.unresolved]


def plan_lines(report: Report) -> list[str]:
    from suppcheck.printable import readable
    from suppcheck.report import overview, wording

    lines = ["When to take what", ""]
    lines += overview.plan_lines(report) or [NO_GAP]
    missing = _not_understood(report)
    if missing:
        names = ", ".join(repr(readable(name)) for name in missing)
        lines += ["", UNDERSTOOD_ONLY.format(names=names)]
    return [*lines, "", wording.CLINICIAN_PROMPT, "", wording.DISCLAIMER]


def plan_data(report: Report) -> dict[str, Any]:
    """The plan as JSON-ready data (docs/json-report.md, "The plan")."""
    from suppcheck.engine.plan import clock, make_plan
    from suppcheck.report import wording

    day = make_plan(report)
    return {
        "plan_version": PLAN_VERSION,
        "gaps": [
            {
                "first": gap.first,
                "second": gap.second,
                "hours": gap.hours,
                "rule_id": gap.rule_id,
                "title": gap.title,
            }
            for gap in (day.gaps if day else ())
        ],
        "possible": day is None or day.possible,
        "schedule": [
            {"time": clock(slot), "slot": slot.name, "take": list(names)}
            for slot, names in (day.schedule if day else ())
        ],
        "not_understood": _not_understood(report),
        "disclaimer": wording.DISCLAIMER,
        "clinician_prompt": wording.CLINICIAN_PROMPT,
    }


def _wrap(line: str, width: int = 80) -> str:
    return textwrap.fill(line, width=width, break_long_words=False, break_on_hyphens=False)
