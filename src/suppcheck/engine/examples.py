"""Running each rule's own examples: every `fires` profile must fire it, every `silent` must not.

Used by `suppcheck rules validate` and by the test suite, so a rule cannot ship with examples
that contradict it.
"""

from __future__ import annotations

from collections.abc import Iterator

from suppcheck.engine.pipeline import run_check
from suppcheck.inputs.regimen import Regimen
from suppcheck.model import ExampleProfile, Rule
from suppcheck.rules.rulebase import RuleBase


def fires(base: RuleBase, rule: Rule, example: ExampleProfile) -> tuple[bool, list[str]]:
    """Whether `rule` fires on `example`, and any example names the base does not know."""
    regimen = Regimen(
        list(example.conditions),
        list(example.supplements),
        list(example.medications),
        example.active,
        age=example.age,
        sex=example.sex,
        pregnant=example.pregnant,
        breastfeeding=example.breastfeeding,
    )
    report = run_check(base, regimen)
    problems = [f"{u.input!r} ({u.kind.value}: {u.reason})" for u in report.profile.unresolved]
    return any(f.rule.id == rule.id for f in report.findings), problems


def example_problems(base: RuleBase) -> Iterator[str]:
    """`file:line: rule ID: ...` for every example that does not behave as declared."""
    for rule in base.rules.values():
        if rule.retired:
            continue  # never fires, so its examples describe the rule as it was
        for key, expected in (("fires", True), ("silent", False)):
            for index, example in enumerate(getattr(rule, key)):
                fired, unknown = fires(base, rule, example)
                where = f"{rule.origin}: rule {rule.id!r}: examples.{key}[{index}]"
                if unknown:
                    yield f"{where}: names not in the rule base: {', '.join(unknown)}"
                elif fired != expected:
                    yield f"{where}: expected the rule to {'fire' if expected else 'stay silent'}"
