"""Rule-base lints: what loads but makes a large rule base less trustworthy.

Each lint is `file:line: message`. `suppcheck rules validate` reports them as errors for the
shipped base (the test suite runs them too) and as warnings for a user's own files.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from suppcheck.model import Kind, Rule
from suppcheck.rules.language import encode_when
from suppcheck.rules.loader import ParsedFile
from suppcheck.rules.rulebase import RuleBase

# The documents suppcheck was created from (docs/claims.md): the only sources cited by title
# alone, without a URL.
SEED_TITLES = frozenset(
    {
        "Why is melatonin bad for autoimmune",
        "Is Zinc Actually Bad for Autoimmune Disease?",
        "Can probiotics make autoimmune disease worse",
        "A Complex Relationship",
    }
)


def lint(files: Sequence[ParsedFile], base: RuleBase) -> list[str]:
    """Every lint of the merged rule base, in file order."""
    rules = [base.rule(rule_id) for rule_id in base.rules]
    active = [rule for rule in rules if not rule.retired]
    problems = [
        *_same_when(active),
        *_unsatisfiable(active),
        *_unused_properties(files, base),
        *_unsourced(rules),
    ]
    return sorted(problems, key=_position)


def _position(problem: str) -> tuple[str, int]:
    file, line, _ = problem.split(":", 2)
    return (file, int(line)) if line.isdigit() else (problem, 0)


# --- identical `when` ------------------------------------------------------------------------


def canonical(raw: Any) -> Any:
    """A `when` in its cache form, with `all` and `any` flattened, ordered and de-duplicated, so
    that `{all: [A, B]}` and `{all: [B, {all: [A]}]}` compare equal."""
    key = raw[0]
    if key in ("all", "any"):
        items: set[Any] = set()
        for item in raw[1]:
            child = canonical(item)
            items.update(child[1] if child[0] == key else (child,))
        ordered = tuple(sorted(items, key=repr))
        return ordered[0] if len(ordered) == 1 else (key, ordered)
    if key == "not":
        return (key, canonical(raw[1]))
    return tuple(raw)


def _same_when(rules: list[Rule]) -> Iterator[str]:
    first: dict[Any, Rule] = {}
    for rule in sorted(rules, key=lambda r: _position(f"{r.origin}:")):
        when = canonical(encode_when(rule.when))
        earlier = first.setdefault(when, rule)
        if earlier is not rule and (rule.group is None or rule.group != earlier.group):
            yield (
                f"{rule.origin}: rule {rule.id!r}: the same `when` as rule {earlier.id!r} "
                f"({earlier.origin}); give both one `group` if they make one point, or merge them"
            )


# --- unsatisfiable `when` --------------------------------------------------------------------


def _unsatisfiable(rules: list[Rule]) -> Iterator[str]:
    for rule in rules:
        reason = contradiction(canonical(encode_when(rule.when)))
        if reason is not None:
            yield f"{rule.origin}: rule {rule.id!r}: when can never hold: {reason}"


def contradiction(when: Any) -> str | None:
    """Why an `all` in this (canonical) `when` can never hold, or None: it holds a test and its
    `not`, or one yes/no test with both answers ({active: true} and {active: false})."""
    key = when[0]
    if key == "not":
        return contradiction(when[1])
    if key not in ("all", "any"):
        return None
    for item in when[1]:
        reason = contradiction(item)
        if reason is not None:
            return reason
    if key == "any":
        return None
    items = set(when[1])
    for item in items:
        if ("not", item) in items:
            return f"it needs both {_words(item)} and not {_words(item)}"
    answers: dict[str, set[bool]] = {}
    for item in items:
        if len(item) == 2 and isinstance(item[1], bool):
            answers.setdefault(item[0], set()).add(item[1])
    for test, seen in sorted(answers.items()):
        if len(seen) > 1:
            return f"it needs {{{test}: true}} and {{{test}: false}}"
    return None


def _words(item: Any) -> str:
    return f"{{{item[0]}: {item[1]}}}" if len(item) == 2 else repr(item)


# --- unused properties -----------------------------------------------------------------------


def _unused_properties(files: Sequence[ParsedFile], base: RuleBase) -> Iterator[str]:
    carried = {p for entry in base.entries[Kind.SUPPLEMENT].values() for p in entry.properties}
    for parsed in files:
        for prop, _description, line in parsed.properties:
            if prop not in carried:
                yield (
                    f"{parsed.file}:{line}: property {prop!r} is declared but no supplement "
                    "carries it"
                )


# --- sources ---------------------------------------------------------------------------------


def _unsourced(rules: list[Rule]) -> Iterator[str]:
    for rule in rules:
        for source in rule.sources:
            if source.url is None and source.title not in SEED_TITLES:
                yield (
                    f"{rule.origin}: rule {rule.id!r}: source {source.title!r} has no url and "
                    "is not a seed document (docs/claims.md): give its https:// address"
                )
