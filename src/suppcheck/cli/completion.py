"""Shell completion of option values from the rule base.

The shell runs suppcheck on every TAB press: completers never print to stdout and never raise
(a broken rule file simply completes nothing).

Names match case-insensitively, and an offered name keeps what the user already typed: `hash`
completes to `hashimotos-thyroiditis`, `hashimoto` and `hashimotos` (names are matched after
normalisation, so the case of a name does not matter to `check`). Spellings that would need
quoting in a shell (an apostrophe, a space) are not offered; an equivalent spelling without
them always exists, since every id is kebab-case.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from suppcheck.model import Kind

_NEEDS_QUOTING = frozenset(" \t\n'\"\\$`!&;|<>()*?[]{}#~")


def _matching(entries: Iterable[tuple[str, str]], incomplete: str) -> Iterator[tuple[str, str]]:
    typed = incomplete.casefold()
    seen: set[str] = set()
    for spelling, help_text in entries:
        if _NEEDS_QUOTING.intersection(spelling):
            continue
        head, rest = spelling[: len(incomplete)], spelling[len(incomplete) :]
        if head.casefold() != typed:
            continue
        if head != incomplete:  # keep the user's prefix so the shell accepts the candidate
            offered = incomplete + (rest.lower() if incomplete == incomplete.lower() else rest)
        else:
            offered = spelling
        if offered.casefold() not in seen:
            seen.add(offered.casefold())
            yield offered, help_text


def _names(kind: Kind, incomplete: str) -> Iterator[tuple[str, str]]:
    try:
        from suppcheck.cli.catalog import vocabulary_names

        entries = vocabulary_names(kind)
    except Exception:  # a completer must never break the user's shell
        return iter(())
    return _matching(entries, incomplete)


def complete_condition(incomplete: str) -> Iterator[tuple[str, str]]:
    return _names(Kind.CONDITION, incomplete)


def complete_supplement(incomplete: str) -> Iterator[tuple[str, str]]:
    return _names(Kind.SUPPLEMENT, incomplete)


def complete_medication(incomplete: str) -> Iterator[tuple[str, str]]:
    return _names(Kind.MEDICATION, incomplete)


def complete_rule_id(incomplete: str) -> Iterator[tuple[str, str]]:
    try:
        from suppcheck.cli.catalog import rule_titles

        rules = rule_titles()
    except Exception:  # a completer must never break the user's shell
        return iter(())
    return _matching(sorted(rules), incomplete)
