"""Quick read-only views of the rule base for completion.

Completion runs on every TAB press, so it reads only names: the `names` and `titles` sections
of the parsed-rule-base cache (suppcheck.rules.cache) when one is fresh, otherwise it loads the
base once, which writes the cache for the next press.
"""

from __future__ import annotations

from suppcheck.model import Kind


def vocabulary_names(kind: Kind) -> list[tuple[str, str]]:
    """(spelling, display name) for every id and alias of `kind`, ids first, each sorted."""
    from suppcheck.cli.common import user_rule_files
    from suppcheck.rules import cache

    return cache.names(kind, user_rule_files())


def rule_titles() -> list[tuple[str, str]]:
    """(rule id, title) for every rule, by id."""
    from suppcheck.cli.common import user_rule_files
    from suppcheck.rules import cache

    return cache.rule_titles(user_rule_files())
