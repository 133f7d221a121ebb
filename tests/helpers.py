"""Small builders shared by the tests: in-memory rule files and CLI runs."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from typer.testing import CliRunner

from suppcheck.cli.main import app
from suppcheck.rules import loader
from suppcheck.rules.rulebase import RuleBase


def base_from_yaml(text: str, name: str = "test.yaml") -> RuleBase:
    return loader.build([loader.parse_text(textwrap.dedent(text), name)])


def run(*args: str, input: str | None = None) -> Any:
    """Invoke the CLI in-process; returns the click Result (exit_code, stdout, stderr)."""
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def run_json(*args: str, input: str | None = None) -> tuple[int, dict[str, Any]]:
    result = run(*args, "--format", "json", input=input)
    return result.exit_code, json.loads(result.stdout)
