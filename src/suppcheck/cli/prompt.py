"""Asking at a terminal: "Did you mean lupus? [y/N]" for a name that was not understood.

A misspelling is never applied silently: `check` may ask, on a terminal only, about a name that
has exactly one strong suggestion (Vocabulary.strong_suggestion), and checks the name the person
confirms. Nothing is asked in scripts, JSON and other file formats, batch, or with --no-input or
SUPPCHECK_NO_INPUT (docs/user-guide.md, "Did you mean ...?"). The answer defaults to No.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from suppcheck.model import Kind  # light: the model is imported on every start-up

if TYPE_CHECKING:
    from suppcheck.model import Report
    from suppcheck.rules.vocabulary import Vocabulary

NO_INPUT_VARIABLE = "SUPPCHECK_NO_INPUT"
YES = ("y", "yes")


def may_ask(*, no_input: bool, text_to_terminal: bool, stdin_read: bool) -> bool:
    """Whether `check` may ask a question: a text report printed (not written to a file), the
    regimen not read from standard input, no --no-input or SUPPCHECK_NO_INPUT, and a person at
    the terminal (standard input and standard error are both terminals)."""
    if no_input or not text_to_terminal or stdin_read:
        return False
    if os.environ.get(NO_INPUT_VARIABLE, "") not in ("", "0"):
        return False
    return _is_terminal(sys.stdin) and _is_terminal(sys.stderr)


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed
        return False


def confirm_names(
    report: Report,
    vocabularies: Mapping[Kind, Vocabulary],
    ask: TextIO | None = None,
    answers: TextIO | None = None,
) -> dict[Kind, dict[str, str]]:
    """Ask about each unknown name with one strong suggestion; per kind, the typed names the
    person confirmed -> entry id (for run_check). Each name is asked about once. An empty
    answer, anything but y or yes, end of input and Ctrl-C all mean No; after end of input or
    Ctrl-C nothing more is asked."""
    from suppcheck.engine.resolve import typed_name
    from suppcheck.printable import visible
    from suppcheck.rules.vocabulary import normalise

    ask = ask or sys.stderr
    answers = answers or sys.stdin
    confirmed: dict[Kind, dict[str, str]] = {}
    asked: set[tuple[Kind, str]] = set()
    order = list(Kind)  # conditions, supplements, medications: as --help lists them
    for item in sorted(report.profile.unresolved, key=lambda u: order.index(u.kind)):
        # Only a plain unknown name: never an ambiguous one, a dose that could not be read, or a
        # known name followed by something that is not a dose (the dose would be lost).
        if item.reason != f"unknown {item.kind.value}":
            continue
        name = typed_name(item.kind, item.input)
        if (item.kind, normalise(name)) in asked:
            continue
        asked.add((item.kind, normalise(name)))
        vocabulary = vocabularies[item.kind]
        suggestion = vocabulary.strong_suggestion(name)
        if suggestion is None:
            continue
        entry = vocabulary.entries[suggestion]
        shown = suggestion if normalise(suggestion) == normalise(entry.name) else (
            f"{suggestion} ({entry.name})"
        )  # fmt: skip
        question = (
            f"suppcheck: {item.kind.value} '{visible(name)}' is not known. "
            f"Did you mean {visible(shown)}? [y/N] "
        )
        answer = _ask(question, ask, answers)
        if answer is None:
            break
        if answer:
            confirmed.setdefault(item.kind, {})[name] = suggestion
    return confirmed


def _ask(question: str, ask: TextIO, answers: TextIO) -> bool | None:
    """True for yes, False for no, None for end of input or Ctrl-C (both No)."""
    try:  # Ctrl-C may come while the question is still being written
        ask.write(question)
        ask.flush()
        line = answers.readline()
    except KeyboardInterrupt:
        line = ""
    if not line:  # end of input or Ctrl-C: end the prompt's line, so the report starts afresh
        ask.write("\n")
        ask.flush()
        return None
    return line.strip().casefold() in YES
