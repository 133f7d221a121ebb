"""The declared property vocabulary and the rule-base lints (`rules validate`, CI)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from tests.helpers import run

from suppcheck.errors import RuleFileError
from suppcheck.rules import loader
from suppcheck.rules.lint import lint

HERB = """\
properties:
  - {id: botanical, description: A plant product.}
supplements:
  - id: jiaogulan
    name: Jiaogulan
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
        "test.yaml:8: supplement 'jiaogulan': property 'botanicle' is not declared (add it to the "
        "top-level 'properties' list of this or an earlier rule file)"
    ]


def test_a_property_declared_by_an_earlier_file_may_be_used() -> None:
    earlier = _parse("properties: [{id: botanical, description: A plant product.}]\n", "a.yaml")
    later = _parse("supplements: [{id: jiaogulan, name: Jiaogulan, properties: [botanical]}]\n")
    base = loader.build([earlier, later])
    assert base.properties_of("jiaogulan") == ("botanical",)
    with pytest.raises(RuleFileError) as caught:
        loader.build([later, earlier])  # declared only by a later file: not yet known
    assert (
        "test.yaml:1: supplement 'jiaogulan': property 'botanical' is not declared"
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


# --- the lints -------------------------------------------------------------------------------

LINTED = """\
properties:
  - {id: botanical, description: A plant product.}
  - {id: never-used, description: Carried by nothing.}
conditions:
  - {id: lupus, name: Lupus}
supplements:
  - {id: jiaogulan, name: Jiaogulan, properties: [botanical]}
rules:
"""


def _rule(rule_id: str, when: str, extra: str = "", source: str = "") -> str:
    source = source or f'{{title: S, url: "https://example.org/{rule_id}"}}'
    return textwrap.indent(
        textwrap.dedent(f"""\
            - id: {rule_id}
              title: T
              mechanism: other
              severity: info
              evidence: theoretical
              when: {when}
              rationale: R.
              advice: A.
              ask: [Q?]
              sources: [{source}]
              reviewed: 2026-11-21
              examples: {{fires: [{{supplements: [jiaogulan]}}], silent: [{{}}]}}
            """)
        + extra,
        "  ",
    )


def _lints(*rules: str) -> list[str]:
    files = [_parse(LINTED + "".join(rules))]
    return lint(files, loader.build(files))


def test_lints_name_each_problem_at_its_line() -> None:
    problems = _lints(
        _rule("a", "{all: [{supplement: jiaogulan}, {condition: lupus}]}"),
        _rule("b", "{all: [{condition: lupus}, {all: [{supplement: jiaogulan}]}]}"),  # same as a
        _rule("c", "{all: [{supplement: jiaogulan}, {not: {supplement: jiaogulan}}]}"),
        _rule("d", "{all: [{supplement: jiaogulan}, {active: true}, {active: false}]}"),
        _rule("e", "{supplement: jiaogulan}", source="{title: A blog post}"),
    )
    assert problems == [
        "test.yaml:3: property 'never-used' is declared but no supplement carries it",
        "test.yaml:21: rule 'b': the same `when` as rule 'a' (test.yaml:9); give both one "
        "`group` if they make one point, or merge them",
        "test.yaml:33: rule 'c': when can never hold: it needs both {supplement: jiaogulan} and "
        "not {supplement: jiaogulan}",
        "test.yaml:45: rule 'd': when can never hold: it needs {active: true} and {active: false}",
        "test.yaml:57: rule 'e': source 'A blog post' has no url and is not a seed document "
        "(docs/claims.md): give its https:// address",
    ]


def test_a_shared_group_retirement_or_a_different_when_is_not_a_lint() -> None:
    assert _lints(
        _rule("a", "{supplement: jiaogulan}", "  group: g\n"),
        _rule("b", "{supplement: jiaogulan}", "  group: g\n"),
        _rule("c", "{supplement: jiaogulan}", "  status: retired\n"),
        _rule("d", "{any: [{supplement: jiaogulan}, {not: {supplement: jiaogulan}}]}"),
        _rule("e", "{supplement: jiaogulan}", source="{title: A Complex Relationship}"),
    ) == ["test.yaml:3: property 'never-used' is declared but no supplement carries it",
          "test.yaml:60: rule 'e': the same `when` as rule 'a' (test.yaml:9); give both one "
          "`group` if they make one point, or merge them"]  # fmt: skip


def test_validate_warns_about_lints_in_a_users_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "supplements: [{id: jiaogulan, name: Jiaogulan}]\nrules:\n"
        + _rule("mine-a", "{supplement: jiaogulan}")
        + _rule("mine-b", "{supplement: jiaogulan}"),
        encoding="utf-8",
    )
    result = run("rules", "validate", str(path))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"rules.yaml + {path}: 2 rules OK (")
    assert result.stderr == (
        f"warning: {path}:15: rule 'mine-b': the same `when` as rule 'mine-a' ({path}:3); give "
        "both one `group` if they make one point, or merge them\n"
    )


def test_validate_fails_on_a_lint_in_the_shipped_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = loader.shipped_rules_path().read_text(encoding="utf-8")
    path = tmp_path / "rules.yaml"
    path.write_text(shipped.replace("    group: probiotic-autoimmune\n", ""), encoding="utf-8")
    monkeypatch.setattr(loader, "is_shipped", lambda candidate: candidate == path)
    result = run("rules", "validate", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert re.fullmatch(
        rf"{re.escape(str(path))}:\d+: rule 'probiotic-mixed-evidence': the same `when` as rule "
        rf"'probiotic-strain-specificity' \({re.escape(str(path))}:\d+\); give both one `group` "
        r"if they make one point, or merge them\nsuppcheck: 1 problem found\n",
        result.stderr,
    )


def test_the_catalogue_shows_action_group_and_each_sources_evidence() -> None:
    """docs/rules.md (kept fresh by test_docs_fresh) carries the rule model's structured parts."""
    catalogue = (Path(__file__).parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    base = loader.load()
    for rule in base.rules.values():
        section = catalogue[catalogue.index(f"\n### {rule.id}\n") :]
        section = section[: section.index("\nWhat to do:")]
        assert rule.action is not None
        assert f"- action: **{rule.action.value}" in section, rule.id
        if rule.separate_hours is not None:
            assert f"**separate {rule.separate_hours:g} h**" in section, rule.id
        if rule.group is not None:
            assert f"- group: {rule.group}, shown as one finding with [" in section, rule.id
        for source in rule.sources:
            for part in (
                source.evidence and f"evidence: {source.evidence.value}",
                source.pmid and f"PMID [{source.pmid}](https://pubmed.ncbi.nlm.nih.gov/",
                source.doi and "DOI [",
            ):
                assert not part or part in section, (rule.id, part)
    assert "\n## Properties\n" in catalogue
    assert "| `immune-stimulating` | Its sources describe it as stimulating" in catalogue
