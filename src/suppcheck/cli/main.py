"""The command line: parse -> load -> resolve -> evaluate -> render -> exit status.

Only this layer prints and chooses the exit status. Heavy modules (yaml, rich, the engine) are
imported inside the commands that need them: the shell runs this file on every TAB press.
"""

# No `from __future__ import annotations` here: typer reads these signatures on every run, and
# string annotations would have to be evaluated one by one (about a millisecond per run).

import contextlib
import errno
import gc
import importlib
import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn, Optional

import typer

from suppcheck.cli.common import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_NOT_UNDERSTOOD,
    EXIT_OK,
    EXIT_USAGE,
    AgeOption,
    BreastfeedingOption,
    FailOnOption,
    OnceCommand,
    PregnantOption,
    ReaderLeft,
    RulesOption,
    SexOption,
    debug_enabled,
    fail,
    life_stage,
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
    "diff": "suppcheck.cli.diff",
    "plan": "suppcheck.cli.plan",
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
        app.command(cls=OnceCommand)(check)
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
    age: AgeOption = None,
    sex: SexOption = None,
    pregnant: PregnantOption = False,
    breastfeeding: BreastfeedingOption = False,
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
        Optional[Format],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            help="Report format [default: text, or what the --output file's extension says: "
            ".txt, .md, .markdown, .html, .htm, .json].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
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
    no_input: Annotated[
        bool,
        typer.Option(
            "--no-input",
            help="Never ask a question (also: SUPPCHECK_NO_INPUT=1). Otherwise, when the text "
            "report goes to a terminal, a name that was not understood but has one close "
            'match is asked about ("Did you mean lupus? [y/N]", default No).',
        ),
    ] = False,
    since_last: Annotated[
        bool,
        typer.Option(
            "--since-last",
            help="Print only what changed since the last --since-last check of this regimen "
            "(text or json); keeps this report for the next one.",
        ),
    ] = False,
) -> None:
    """Check conditions, supplements (with doses) and medications for cautions.

    \b
    Examples:
      suppcheck check -c lupus -s melatonin
      suppcheck check -c RA -s "zinc 50 mg" -s "vitamin D3 2000 IU" -m MTX
      suppcheck check -c "Crohn's" -s "L. rhamnosus GG" --active
      suppcheck check -s "vitamin A 10000 IU" --pregnant --age 30
      suppcheck check --input regimen.yaml --format html --output report.html
    """
    from suppcheck.cli.common import report_for, with_files
    from suppcheck.inputs.regimen import Regimen

    report_format = _format(fmt, output)  # before any work: a conflict is a usage error
    stage = life_stage(age, sex, pregnant, breastfeeding)
    typed = with_files(
        Regimen(list(condition), list(supplement), list(medication), active, **stage), input_files
    )
    from suppcheck.cli.prompt import may_ask

    ask = may_ask(
        no_input=no_input,
        text_to_terminal=report_format is Format.TEXT and output is None,
        stdin_read="-" in input_files,
    )
    report = report_for(typed, rules, no_profile, ask=ask)
    if since_last:
        from suppcheck.cli.diff import regimen_key, since_last_check

        plain = Regimen(list(condition), list(supplement), list(medication), active)
        key = regimen_key(input_files, plain, typed, no_profile)
        not_here = {"--quiet": quiet, "--details": details, "--for": for_name}
        since_last_check(report, key, report_format, output, not_here)
        raise typer.Exit(exit_status(report, fail_on))
    if quiet and details:
        fail("--quiet and --details ask for opposite things: give one of them")
    from suppcheck.cli.render import options_for, render_paged

    options = options_for(quiet=quiet, details=details, for_name=for_name)
    if output is None and not no_pager and render_paged(report, report_format, color, options):
        raise typer.Exit(exit_status(report, fail_on))
    _render(report, report_format, output, color, options)
    raise typer.Exit(exit_status(report, fail_on))


def exit_status(report: object, fail_on: Severity) -> int:
    from suppcheck.model import Report

    assert isinstance(report, Report)
    if any(f.rule.severity.rank >= fail_on.rank for f in report.findings):
        return EXIT_FINDINGS
    if not report.fully_understood:
        return EXIT_NOT_UNDERSTOOD
    return EXIT_OK


_EXTENSIONS = {
    ".txt": Format.TEXT,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".json": Format.JSON,
}


def _format(fmt: Format | None, output: Path | None) -> Format:
    """--format, else what the output file's extension says, else text; a known extension that
    contradicts --format is refused rather than writing, say, plain text into report.html."""
    implied = _EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if fmt is not None and implied is not None and fmt is not implied:
        fail(f"--format {fmt.value} does not match the extension of --output {output} "
             f"({implied.value}); change one of them")  # fmt: skip
    return fmt or implied or Format.TEXT


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
    from suppcheck.fileio import write_output
    from suppcheck.printable import readable

    shown = readable(str(output))
    if not Path(os.path.realpath(output)).parent.is_dir():
        fail(f"{shown}: cannot write the report: folder {readable(str(output.parent))} "
             "does not exist")  # fmt: skip
    try:
        write_output(output, lambda out: formatter.write(report, out))
    except OSError as exc:
        fail(f"{shown}: cannot write the report: {exc.strerror or exc}")
    say(f"suppcheck: report written to {shown}")


class _ClosedOutput(io.RawIOBase):
    """Standard output that was closed before suppcheck started (`>&-`): the first write fails
    (main() reports it); later ones, such as the flush at exit, are dropped."""

    failed = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if not self.failed:
            self.failed = True
            raise OSError(errno.EBADF, "standard output is closed")
        return len(data)


# What failing to write the output looks like (a full disk, /dev/full, a closed stdout). Every
# file suppcheck reads or writes on purpose reports its own errors with its name first, so an
# OSError that reaches main() is the output's.
_OUTPUT_ERRORS = frozenset(
    {errno.EBADF, errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
)


def _standard_streams() -> None:
    """Give Python's missing standard streams a defined meaning.

    A stream closed before start (`<&-`, `>&-`, `2>&-`) is None in Python, and the first use
    would be an internal error. A closed stdin reads as empty; a closed stderr discards messages
    (the exit status still says everything); a closed stdout fails the first write, which main()
    reports as a write error (exit 2).
    """
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives for the run
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_ClosedOutput()), encoding="utf-8")
    # Arguments and input lines that are not valid UTF-8 reach us as lone surrogates; a strict
    # stdout (any UTF-8 locale but C.UTF-8) would fail on them mid-report. Written as \udcff
    # instead, the output stays valid UTF-8 and the JSON still parses.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")


def _reader_left() -> None:
    """The reader of stdout left (`suppcheck list | head`): later writes and the flush at exit
    go nowhere instead of failing again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main() -> None:
    """Console-script entry point: no traceback for any input, and a bug is never exit 1."""
    _standard_streams()
    status: object = EXIT_OK
    try:
        try:
            build_app(requested_command(sys.argv[1:], os.environ))()
        except SystemExit as exc:
            status = exc.code
        # Flushed here, not at exit: a full disk must be an error, not a silently short report.
        sys.stdout.flush()
        raise SystemExit(status)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        say("suppcheck: interrupted")
        sys.exit(130)
    except (BrokenPipeError, ReaderLeft):
        # `suppcheck list | head` closed the pipe: not an error, and not a finding (1). As git
        # and ripgrep do, end quietly: with the status already chosen (check and batch keep
        # theirs, so findings are never lost), else 0.
        _reader_left()
        raise SystemExit(status) from None
    except Exception as exc:  # an internal error is not a finding (1) and never a traceback
        if isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRORS:
            _reader_left()
            say(f"suppcheck: error: cannot write the output: {exc.strerror or exc}")
            sys.exit(EXIT_USAGE)
        if debug_enabled():
            raise
        say(f"suppcheck: internal error: {exc!r} (set SUPPCHECK_DEBUG=1 for details)")
        sys.exit(EXIT_INTERNAL)


def entry_point() -> NoReturn:
    """The console script and `python -m suppcheck`: main(), then a normal exit with its status.

    A normal exit (not os._exit) keeps `python -m cProfile -m suppcheck`, coverage and exit
    handlers working (tests/e2e/test_entry_point.py).
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
    _flush_or_discard(sys.stdout)
    _flush_or_discard(sys.stderr)
    # The exit's garbage collections would walk every object of typer, click, rich and the rule
    # base only to free memory the process gives back anyway: frozen, they are skipped. Most of
    # the exit's cost, 10-20 ms of a short run (docs/performance.md); exit handlers still run.
    gc.freeze()
    sys.exit(code)


def _flush_or_discard(stream: IO[str]) -> None:
    try:
        stream.flush()
    except (OSError, ValueError):  # the reader left (a closed pipe), or the stream is closed
        # What is left goes nowhere, so that the flush at exit cannot fail again and turn the
        # status into 120 (the recipe in the Python docs, signal module, "Note on SIGPIPE").
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


def __getattr__(name: str) -> typer.Typer:
    # `from suppcheck.cli.main import app` (tests, typer's tools) gets the app with every command.
    if name == "app":
        full = build_app()
        globals()["app"] = full
        return full
    raise AttributeError(f"module 'suppcheck.cli.main' has no attribute {name!r}")


__all__ = ["EXIT_USAGE", "build_app", "entry_point", "main"]  # and `app`, built on first use
