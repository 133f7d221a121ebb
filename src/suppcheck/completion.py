"""Shell completion of option values from the rule base.

The shell runs suppcheck on every TAB press: completers never print to stdout and never raise
(a broken rule file simply completes nothing).
"""

from __future__ import annotations

from collections.abc import Iterator

from suppcheck.model import Kind


def _names(kind: Kind, incomplete: str) -> Iterator[tuple[str, str]]:
    try:
        from suppcheck.catalog import vocabulary_names

        entries = vocabulary_names(kind)
    except Exception:  # a completer must never break the user's shell
        return
    typed = incomplete.casefold()
    seen: set[str] = set()
    for spelling, help_text in entries:
        if spelling.casefold().startswith(typed) and spelling not in seen:
            seen.add(spelling)
            yield spelling, help_text


def complete_condition(incomplete: str) -> Iterator[tuple[str, str]]:
    return _names(Kind.CONDITION, incomplete)


def complete_supplement(incomplete: str) -> Iterator[tuple[str, str]]:
    return _names(Kind.SUPPLEMENT, incomplete)


def complete_medication(incomplete: str) -> Iterator[tuple[str, str]]:
    return _names(Kind.MEDICATION, incomplete)


def complete_rule_id(incomplete: str) -> Iterator[tuple[str, str]]:
    try:
        from suppcheck.catalog import rule_titles

        rules = rule_titles()
    except Exception:  # a completer must never break the user's shell
        return
    for rule_id, title in rules:
        if rule_id.startswith(incomplete.lower()):
            yield rule_id, title
