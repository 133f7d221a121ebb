"""What every command shares: exit statuses, stderr messages, loading the rule base.

Kept free of heavy imports: this module is imported on every start-up, including TAB presses.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer
import typer.core

from suppcheck.model import Severity

if TYPE_CHECKING:
    from suppcheck.inputs.regimen import Regimen
    from suppcheck.model import Report
    from suppcheck.rules.rulebase import RuleBase

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_NOT_UNDERSTOOD = 3
EXIT_INTERNAL = 4

# Options more than one command takes, declared once.
FailOnOption = Annotated[
    Severity,
    typer.Option(
        "--fail-on",
        help="Exit 1 when a finding is at or above this severity.",
        case_sensitive=False,
    ),
]
RulesOption = Annotated[
    list[Path],
    typer.Option(
        "--rules", metavar="FILE", help="An extra rule file (repeatable).", dir_okay=False
    ),
]

# Life stage (check, profile add): each chooses the upper limits and the cautions that apply.
AgeOption = Annotated[
    Optional[str],  # noqa: UP045 - typer 0.28 reads the annotation at runtime
    typer.Option(
        "--age",
        metavar="YEARS",
        help="Your age in whole years: upper limits for ages 1-18 differ from adults'.",
    ),
]  # fmt: skip (text, read by life_stage(): one message for the command line and files)
SexOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--sex", metavar="female|male", help="Your sex (some cautions depend on it).",
        autocompletion=lambda: ["female", "male"],
    ),
]  # fmt: skip
PregnantOption = Annotated[
    bool, typer.Option("--pregnant", help="You are pregnant (pregnancy limits and cautions).")
]
BreastfeedingOption = Annotated[
    bool,
    typer.Option("--breastfeeding", help="You are breastfeeding (lactation limits and cautions)."),
]


def life_stage(
    age: str | None, sex: str | None, pregnant: bool, breastfeeding: bool
) -> dict[str, Any]:
    """The life-stage options as Regimen keywords, or exit 2 saying what is wrong."""
    from suppcheck.errors import InputError
    from suppcheck.inputs.regimen import life_stage_problem, parse_age, parse_sex

    try:
        years = None
        if age is not None:
            digits = age.strip()
            whole = digits.removeprefix("-").isascii() and digits.removeprefix("-").isdigit()
            years = parse_age(int(digits) if whole else age, "--age")
        chosen = parse_sex(sex, "--sex") if sex is not None else None
    except InputError as exc:
        fail(str(exc))
    problem = life_stage_problem(years, chosen, pregnant, breastfeeding)
    if problem is not None:
        fail(problem)
    return {"age": years, "sex": chosen, "pregnant": pregnant, "breastfeeding": breastfeeding}


class OnceCommand(typer.core.TyperCommand):
    """A command whose single-value options may be given once.

    click keeps the last of `--input a --input b` and drops the first without a word: a regimen
    file, an output file or a format the user gave would be ignored. Repeatable options (-s, -c,
    --rules, --input) are declared as lists and add up; every other option given twice is a
    usage error (exit 2). Every command is registered with `cls=OnceCommand`.
    """

    def make_parser(self, ctx: Any) -> Any:
        parser = super().make_parser(ctx)
        parse = parser.parse_args

        def parse_once(args: list[str]) -> Any:
            opts, rest, order = parse(args)
            if not ctx.resilient_parsing:  # TAB completion parses half-typed lines: no errors
                seen: set[str] = set()
                for param in order:
                    once = getattr(param, "param_type_name", "") == "option" and not (
                        param.multiple or getattr(param, "count", False)
                    )
                    if once and str(param.name) in seen:
                        names = " / ".join(param.opts + param.secondary_opts)
                        raise typer.BadParameter(
                            "given more than once; it takes one value (only options marked "
                            "'repeatable' in --help add up)",
                            ctx=ctx,
                            param_hint=f"'{names}'",
                        )
                    seen.add(str(param.name))
            return opts, rest, order

        parser.parse_args = parse_once  # type: ignore[method-assign]
        return parser

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            # click would turn a closed pipe into exit 1, which here means "a finding".
            raise ReaderLeft from exc


class ReaderLeft(Exception):
    """The reader of standard output left (`suppcheck list | head`); main() ends quietly."""


def say(message: str) -> None:
    """A diagnostic: always stderr, never mixed into the report on stdout. Messages quote file
    names and what was typed: control characters are shown, never sent to the terminal."""
    from suppcheck.printable import visible

    sys.stderr.write(visible(message.rstrip("\n"), newlines=True) + "\n")
    sys.stderr.flush()


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    say(f"suppcheck: error: {message}" if "\n" not in message else f"suppcheck: error:\n{message}")
    raise typer.Exit(code)


def load_rule_base(extra: Sequence[Path] = (), *, user_rules: bool = True) -> RuleBase:
    """The shipped base plus the user's rule files and `extra`, or exit 2 with every problem.

    Read from the parsed-rule-base cache when it is fresh (suppcheck.rules.cache), so a check does
    not import or run the YAML parser; a broken rule file is never cached.
    """
    from suppcheck.errors import RuleFileError
    from suppcheck.rules import cache

    files = list(user_rule_files()) if user_rules else []
    try:
        return cache.load([*files, *extra])
    except RuleFileError as exc:
        fail("\n".join(exc.problems))


def user_rule_files() -> list[Path]:
    """`rules.d/*.yaml` in the user's config directory, in name order (none if it is absent)."""
    from suppcheck import paths

    return paths.user_rule_files()


def debug_enabled() -> bool:
    return os.environ.get("SUPPCHECK_DEBUG", "") not in ("", "0")


def with_files(typed: Regimen, input_files: list[str]) -> Regimen:
    """What `check` and `plan` read: the regimen files (they add up, like several -s), then what
    was typed; exit 2 when a file cannot be read or nothing was given."""
    from suppcheck.errors import InputError
    from suppcheck.inputs.regimen import Regimen, read_regimen

    if input_files.count("-") > 1:
        fail("--input -: standard input can be read only once")
    regimen = typed
    try:  # extend refuses an age or sex given twice differently
        if input_files:
            merged = Regimen()
            for input_file in input_files:
                merged = merged.extend(read_regimen(input_file))
            regimen = merged.extend(typed)
    except InputError as exc:
        fail(str(exc))
    if not (regimen.conditions or regimen.supplements or regimen.medications):
        fail("nothing to check: give --condition, --supplement or --medication, or --input FILE")
    return regimen


def report_for(
    regimen: Regimen, rules: list[Path], no_profile: bool, *, ask: bool = False
) -> Report:
    """The report for `regimen`, with the saved profile unless `no_profile`; exit 2 when the rule
    files or the saved profile cannot be used. With `ask`, a name that was not understood but
    has one strong suggestion is asked about at the terminal (cli/prompt.py), and the check is
    made again with the names the person confirmed."""
    from suppcheck.engine.pipeline import run_check
    from suppcheck.errors import SuppcheckError

    base = load_rule_base(rules)
    try:
        saved = None
        if not no_profile:
            from suppcheck.inputs.profile import load_saved

            saved = load_saved()
        report = run_check(base, regimen, saved=saved)
        if ask and report.profile.unresolved:
            from suppcheck.cli.prompt import confirm_names

            confirmed = confirm_names(report, base.vocabularies())
            if confirmed:
                report = run_check(base, regimen, saved=saved, confirmed=confirmed)
        return report
    except SuppcheckError as exc:
        fail(str(exc))
