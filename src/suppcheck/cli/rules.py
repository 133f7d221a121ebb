"""suppcheck rules validate / schema: tools for rule authors (registered on the main app by cli.py).

The loader and yaml are imported inside the commands: this module is imported on every TAB press.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from suppcheck.cli.common import EXIT_USAGE, OnceCommand, say

if TYPE_CHECKING:
    from suppcheck.rules.loader import ParsedFile
    from suppcheck.rules.rulebase import RuleBase

rules_app = typer.Typer(
    name="rules",
    help="Tools for rule authors: validate rule files, print the rule file schema.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the `rules` command group to `app`."""
    app.add_typer(rules_app, name="rules")


@rules_app.command("validate", cls=OnceCommand)
def validate_command(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Rule files (YAML or JSON) to check."),
    ],
    alone: Annotated[
        bool,
        typer.Option(
            "--alone",
            help="Check the files without the shipped rule base: every name they use must then "
            "be defined in the files themselves.",
        ),
    ] = False,
) -> None:
    """Check rule files: format, references and every rule's own examples.

    By default the files are checked merged with the shipped rule base, as `check --rules` and
    the config folder's rules.d/ use them. Problems are printed as FILE:LINE: message on stderr
    (exit 2); a clean run prints a one-line summary.

    Example: suppcheck rules validate my-rules.yaml
    """
    from suppcheck.printable import readable, visible
    from suppcheck.rules import loader

    shipped = loader.shipped_rules_path()
    # The shipped file itself (a rule author editing data/rules.yaml, or any copy of it) is
    # checked as the base, not merged with its own installed copy, which would report every id
    # twice.
    with_base = not alone and not any(loader.is_shipped(path) for path in files)
    sources = [(shipped, "rules.yaml")] if with_base else []
    sources += [(path, readable(str(path))) for path in files]
    parsed = _parse_all(sources)
    base = _build(parsed)

    from suppcheck.engine.examples import example_problems

    _stop_on(list(example_problems(base)))
    from suppcheck.rules.lint import lint

    # The shipped base must be free of lints (an error); a user's own files get warnings.
    strict = not with_base and any(loader.is_shipped(path) for path in files)
    lints = lint(parsed, base)
    if strict:
        _stop_on(lints)
    for problem in lints:
        if not (with_base and problem.startswith("rules.yaml:")):
            say(f"warning: {problem}")
    own = sum(len(p.rules) for p in (parsed[1:] if with_base else parsed))
    summary = f"{' + '.join(display for _, display in sources)}: {_count(own, 'rule')} OK"
    if with_base:
        summary += f" ({_count(len(base.rules), 'rule')} with the shipped base)"
    print(visible(summary))


@rules_app.command("schema", cls=OnceCommand)
def schema_command() -> None:
    """Print the JSON Schema of rule files, for editors and other tools.

    Draft 2020-12; the same schema is docs/rule-schema.json.

    Example: suppcheck rules schema > rule-schema.json
    """
    from suppcheck.rules.schema import schema_json

    sys.stdout.write(schema_json())
    sys.stdout.flush()


def _parse_all(sources: list[tuple[Path, str]]) -> list[ParsedFile]:
    """Every file parsed; the problems of all of them reported together."""

    results = [_parse_one(path, display) for path, display in sources]
    _stop_on([problem for result in results if isinstance(result, list) for problem in result])
    return [result for result in results if not isinstance(result, list)]


def _parse_one(path: Path, display: str) -> ParsedFile | list[str]:
    from suppcheck.errors import RuleFileError
    from suppcheck.rules import loader

    try:
        return loader.parse_file(path, display)
    except RuleFileError as exc:
        return exc.problems


def _build(parsed: list[ParsedFile]) -> RuleBase:
    from suppcheck.errors import RuleFileError
    from suppcheck.rules import loader

    try:
        return loader.build(parsed)
    except RuleFileError as exc:
        _stop_on(exc.problems)
        raise  # pragma: no cover - _stop_on exits when there are problems


def _stop_on(problems: list[str]) -> None:
    """Print each `file:line: message` and exit 2, if there is any."""
    if not problems:
        return
    for problem in problems:
        say(problem)
    say(f"suppcheck: {_count(len(problems), 'problem')} found")
    raise typer.Exit(EXIT_USAGE)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
