"""The declared property vocabulary and the rule-base lints (`rules validate`, CI)."""

from __future__ import annotations

import textwrap

import pytest

from suppcheck.errors import RuleFileError
from suppcheck.rules import loader

HERB = """\
properties:
  - {id: botanical, description: A plant product.}
supplements:
  - id: moringa
    name: Moringa
    properties:
      - botanical
      - botanicle
"""


def _parse(text: str, name: str = "test.yaml") -> loader.ParsedFile:
    return loader.parse_text(textwrap.dedent(text), name)


def test_an_undeclared_property_is_an_error_at_its_line() -> None:
    with pytest.raises(RuleFileError) as caught:
        loader.build([_parse(HERB)])
    assert caught.value.problems == [
        "test.yaml:8: supplement 'moringa': property 'botanicle' is not declared (add it to the "
        "top-level 'properties' list of this or an earlier rule file)"
    ]


def test_a_property_declared_by_an_earlier_file_may_be_used() -> None:
    earlier = _parse("properties: [{id: botanical, description: A plant product.}]\n", "a.yaml")
    later = _parse("supplements: [{id: moringa, name: Moringa, properties: [botanical]}]\n")
    base = loader.build([earlier, later])
    assert base.properties_of("moringa") == ("botanical",)
    with pytest.raises(RuleFileError) as caught:
        loader.build([later, earlier])  # declared only by a later file: not yet known
    assert (
        "test.yaml:1: supplement 'moringa': property 'botanical' is not declared"
        in (caught.value.problems[0])
    )


def test_a_property_is_declared_once_with_a_description() -> None:
    twice = "properties:\n  - {id: mineral, description: A.}\n  - {id: mineral, description: B.}\n"
    with pytest.raises(RuleFileError) as caught:
        loader.build([_parse(twice)])
    assert caught.value.problems == [
        "test.yaml:3: property 'mineral' is already declared at test.yaml:2"
    ]
    with pytest.raises(RuleFileError) as caught:
        _parse("properties:\n  - {id: Mineral}\n")
    assert caught.value.problems == [
        "test.yaml:2: properties[0]: missing required key 'description'",
        "test.yaml:2: properties[0].id: ids are kebab-case (a-z, 0-9, -), got 'Mineral'",
    ]


def test_every_property_the_shipped_base_uses_is_declared() -> None:
    parsed = loader.parse_file(loader.shipped_rules_path(), "rules.yaml")
    declared = {prop for prop, _, _ in parsed.properties}
    used = {prop for entry, _ in parsed.entries for prop in entry.properties}
    assert used <= declared
    assert all(description for _, description, _ in parsed.properties)
