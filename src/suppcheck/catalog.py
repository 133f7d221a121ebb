"""Quick read-only views of the shipped rule base for completion and listings.

Completion runs on every TAB press, so it reads only names: from the parsed-rule-base cache when
one is fresh, otherwise by loading the base once.
"""

from __future__ import annotations

from suppcheck.model import Kind


def vocabulary_names(kind: Kind) -> list[tuple[str, str]]:
    """(spelling, display name) for every id and alias of `kind`, ids first, each sorted."""
    from suppcheck.cli_common import user_rule_files
    from suppcheck.loader import load

    base = load(user_rule_files())
    entries = sorted(base.entries[kind].values(), key=lambda e: e.id)
    names = [(entry.id, entry.name) for entry in entries]
    aliases = sorted(
        (alias, entry.name)
        for entry in entries
        for alias in entry.aliases
        if " " not in alias  # a space would need quoting on the command line
    )
    return names + aliases


def rule_titles() -> list[tuple[str, str]]:
    from suppcheck.cli_common import user_rule_files
    from suppcheck.loader import load

    base = load(user_rule_files())
    return [(rule.id, rule.title) for rule in base.rules.values()]
