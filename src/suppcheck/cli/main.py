"""The command line: parse -> load -> resolve -> evaluate -> render -> exit status.

Only this layer prints and chooses the exit status. Heavy modules (yaml, rich, the engine) are
imported inside the commands that need them: the shell runs this file on every TAB press.
"""

# No `from __future__ import annotations` here: typer reads these signatures on every run, and
# string annotations would have to be evaluated one by one (about a millisecond per run).

import contextlib
import importlib
import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from suppcheck.cli.common import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_NOT_UNDERSTOOD,
    EXIT_OK,
    EXIT_USAGE,
    FailOnOption,
    RulesOption,
    debug_enabled,
    fail,
    load_rule_base,
    say,
)
from suppcheck.cli.completion import complete_condition, complete_medication, complete_supplement
from suppcheck.model import Severity
from suppcheck.report import Format
from suppcheck.version import __version__

HELP = """Check supplements against autoimmune conditions, medications and doses.

Each caution names its source, how strong the evidence is, and what to ask your
clinician. suppcheck is not medical advice.

\b
Examples:
  suppcheck check --condition lupus --supplement melatonin
  suppcheck check -c "Hashimoto's" -s "zinc 25 mg" -s "selenium 200 mcg"
  suppcheck check --input regimen.yaml --format json | jq .summary
  suppcheck show zinc
  suppcheck explain zinc-total-above-upper-limit

\b
Exit status:
  0  every input understood, nothing at or above --fail-on
  1  a finding at or above --fail-on (default: caution)
  2  usage error, or an unreadable or invalid file
  3  nothing at or above --fail-on, but some input was not understood
  4  internal error (a bug: please report it)
"""

COMMAND_MODULES = {
    "list": "suppcheck.cli.lookup",
    "show": "suppcheck.cli.lookup",
    "explain": "suppcheck.cli.lookup",
    "rules": "suppcheck.cli.rules",
    "profile": "suppcheck.cli.profile",
    "batch": "suppcheck.cli.batch",
}
COMMANDS = ("check", *COMMAND_MODULES)


def build_app(command: str | None = None) -> typer.Typer:
    """The typer app with every command, or with only `command`.

    typer builds a click command for every registered command and option on each run, which
    costs several milliseconds per command; the console script builds only the one asked for.
    """
    app = typer.Typer(
        name="suppcheck",
        help=HELP,
        no_args_is_help=True,
        # Plain help: it reads better at 80 columns than rich's boxed tables, and --help then
        # never imports rich.
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 80},
    )
    app.callback()(_root)
    if command in (None, "check"):
        app.command()(check)
    modules = {COMMAND_MODULES[command]} if command in COMMAND_MODULES else set()
    if command is None:
        modules = set(COMMAND_MODULES.values())
    for name in sorted(modules, key=list(COMMAND_MODULES.values()).index):
        importlib.import_module(name).register(app)
    return app


def requested_command(argv: list[str], environ: Mapping[str, str]) -> str | None:
    """The command this run is for, when it can be told; None means build them all.

    During shell completion the words come from the environment, and the command only counts
    when a word follows it (otherwise the command name itself is being completed).
    """
    words = argv
    completing = any(key.endswith("_COMPLETE") for key in environ if key.startswith("_SUPPCHECK"))
    if completing:
        line = environ.get("COMP_WORDS") or environ.get("_TYPER_COMPLETE_ARGS") or ""
        words = line.split()[1:]
        if len(words) < 2:
            return None
    if words and words[0] in COMMANDS:
        return words[0]
    return None


def _version(value: bool) -> None:
    if value:
        print(f"suppcheck {__version__}")
        raise typer.Exit(EXIT_OK)


def _root(
    version: Annotated[
        Optional[bool],  # noqa: UP045 - typer 0.28 reads the annotation at runtime
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """Check supplements against autoimmune conditions, medications and doses."""


ConditionOpt = Annotated[
    list[str],
    typer.Option(
        "--condition",
        "-c",
        metavar="NAME",
        help='A condition you have (repeatable): lupus, RA, MS, "Hashimoto\'s", IBD ...',
        autocompletion=complete_condition,
    ),
]
SupplementOpt = Annotated[
    list[str],
    typer.Option(
        "--supplement",
        "-s",
        metavar="NAME [DOSE]",
        help="A supplement you take or consider (repeatable), optionally with its daily dose: "
        '"zinc 50 mg", "vitamin D3 2000 IU".',
        autocompletion=complete_supplement,
    ),
]
MedicationOpt = Annotated[
    list[str],
    typer.Option(
        "--medication",
        "-m",
        metavar="NAME",
        help="A medication you take (repeatable): methotrexate, prednisone, Humira ...",
        autocompletion=complete_medication,
    ),
]


def check(
    condition: ConditionOpt = [],  # noqa: B006 - typer needs a literal default
    supplement: SupplementOpt = [],  # noqa: B006
    medication: MedicationOpt = [],  # noqa: B006
    active: Annotated[
        bool, typer.Option("--active", help="Your disease is currently active or flaring.")
    ] = False,
    input_file: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--input",
            "-i",
            metavar="FILE",
            help="A regimen file (YAML or JSON); - reads standard input.",
        ),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Report format.", case_sensitive=False)
    ] = Format.TEXT,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the report to FILE.", dir_okay=False
        ),
    ] = None,
    fail_on: FailOnOption = Severity.CAUTION,
    rules: RulesOption = [],  # noqa: B006
    no_profile: Annotated[
        bool, typer.Option("--no-profile", help="Ignore your saved profile for this check.")
    ] = False,
    color: Annotated[
        Optional[bool],  # noqa: UP045
        typer.Option("--color/--no-color", help="Force colour on or off (default: automatic)."),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only the summary (not JSON).")
    ] = False,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            "-v",
            help="Add each finding's full concern, the evidence explained and every question.",
        ),
    ] = False,
    for_name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--for", metavar="NAME", help="Whom the report is for (printed on it)."),
    ] = None,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never page a long report on a terminal.")
    ] = False,
) -> None:
    """Check conditions, supplements (with doses) and medications for cautions.

    \b
    Examples:
      suppcheck check -c lupus -s melatonin
      suppcheck check -c RA -s "zinc 50 mg" -s "vitamin D3 2000 IU" -m MTX
      suppcheck check -c "Crohn's" -s "L. rhamnosus GG" --active
      suppcheck check --input regimen.yaml --format html --output report.html
    """
    from suppcheck.engine.pipeline import run_check
    from suppcheck.inputs.regimen import Regimen, read_regimen

    typed = Regimen(list(condition), list(supplement), list(medication), active)
    if input_file is not None:
        from suppcheck.errors import InputError

        try:
            typed = read_regimen(input_file).extend(typed)
        except InputError as exc:
            fail(str(exc))
    if not (typed.conditions or typed.supplements or typed.medications):
        fail("nothing to check: give --condition, --supplement or --medication, or --input FILE")
    base = load_rule_base(rules)
    from suppcheck.errors import SuppcheckError

    try:
        saved = None
        if not no_profile:
            from suppcheck.inputs.profile import load_saved

            saved = load_saved()
        report = run_check(base, typed, saved=saved)
    except SuppcheckError as exc:
        fail(str(exc))
    if quiet and details:
        fail("--quiet and --details ask for opposite things: give one of them")
    from suppcheck.cli.render import options_for, render_paged

    options = options_for(quiet=quiet, details=details, for_name=for_name)
    if output is None and not no_pager and render_paged(report, fmt, color, options):
        raise typer.Exit(exit_status(report, fail_on))
    _render(report, fmt, output, color, options)
    raise typer.Exit(exit_status(report, fail_on))


def exit_status(report: object, fail_on: Severity) -> int:
    from suppcheck.model import Report

    assert isinstance(report, Report)
    if any(f.rule.severity.rank >= fail_on.rank for f in report.findings):
        return EXIT_FINDINGS
    if not report.fully_understood:
        return EXIT_NOT_UNDERSTOOD
    return EXIT_OK


def _render(
    report: object,
    fmt: Format,
    output: Path | None,
    color: bool | None,
    options: object = None,
) -> None:
    from suppcheck.model import Report
    from suppcheck.report import Options, get_formatter

    assert isinstance(report, Report)
    assert options is None or isinstance(options, Options)
    formatter = get_formatter(fmt, color=False if output is not None else color, options=options)
    if output is None:
        try:
            formatter.write(report, sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            # `suppcheck check ... | head`: the reader left. The exit status must still say
            # what was found (never 0 for findings or input not understood), so carry on.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    from suppcheck.fileio import write_atomic_text

    if not output.parent.is_dir():
        fail(f"{output}: cannot write the report: folder {output.parent} does not exist")
    try:
        write_atomic_text(output, lambda out: formatter.write(report, out))
    except OSError as exc:
        fail(f"{output}: cannot write the report: {exc.strerror or exc}")
    say(f"suppcheck: report written to {output}")


def main() -> None:
    """Console-script entry point: no traceback for any input, and a bug is never exit 1."""
    # Arguments and input lines that are not valid UTF-8 reach us as lone surrogates; a strict
    # stdout (any UTF-8 locale but C.UTF-8) would fail on them mid-report. Written as \udcff
    # instead, the output stays valid UTF-8 and the JSON still parses.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        build_app(requested_command(sys.argv[1:], os.environ))()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        say("suppcheck: interrupted")
        sys.exit(130)
    except BrokenPipeError:
        # `suppcheck ... | head` closed the pipe: not an error of ours. Silence the flush at exit.
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except Exception as exc:  # an internal error is not a finding (1) and never a traceback
        if debug_enabled():
            raise
        say(f"suppcheck: internal error: {exc!r} (set SUPPCHECK_DEBUG=1 for details)")
        sys.exit(EXIT_INTERNAL)


def entry_point() -> NoReturn:
    """The console script and `python -m suppcheck`: main(), then exit at once.

    A normal exit tears the interpreter down module by module, which takes about a sixth of a
    short run's time (typer, click and rich are large) and changes nothing for anyone: every
    file suppcheck writes is closed before main() returns, and no exit handler is needed. So
    the output is flushed and the process ends with main()'s exit status.
    """
    try:
        main()
        code: object = EXIT_OK
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = EXIT_OK
    elif not isinstance(code, int):  # sys.exit("message"): never ours, so a bug
        say(str(code))
        code = EXIT_INTERNAL
    # OSError: the reader left (a closed pipe); ValueError: the stream was closed already.
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def __getattr__(name: str) -> typer.Typer:
    # `from suppcheck.cli.main import app` (tests, typer's tools) gets the app with every command.
    if name == "app":
        full = build_app()
        globals()["app"] = full
        return full
    raise AttributeError(f"module 'suppcheck.cli.main' has no attribute {name!r}")


__all__ = ["EXIT_USAGE", "build_app", "entry_point", "main"]  # and `app`, built on first use
