"""Rule-file validation: one test per kind of error, each naming file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from suppcheck.errors import RuleFileError
from suppcheck.rules import loader

GOOD_RULE = """\
rules:
  - id: test-rule
    title: A test rule
    mechanism: other
    severity: caution
    evidence: theoretical
    when: {supplement: melatonin}
    rationale: Because.
    advice: Ask.
    ask: [Why?]
    sources: [{title: A source, url: "https://example.org/"}]
    reviewed: 2026-11-21
    examples:
      fires: [{supplements: [melatonin]}]
      silent: [{supplements: [zinc]}]
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "extra.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        loader.load([path])
    return caught.value.problems


def test_a_good_extra_file_loads_with_the_base(tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text(GOOD_RULE, encoding="utf-8")
    base = loader.load([path])
    assert "test-rule" in base.rules
    assert base.rules["test-rule"].origin == f"{path}:2"
    assert base.info.files == ("rules.yaml", str(path))


def test_unknown_severity_names_file_line_and_path(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD_RULE.replace("severity: caution", "severity: high"))
    assert found == [
        f"{tmp_path / 'extra.yaml'}:5: rules[0].severity: expected info, caution or warning, "
        "got 'high'"
    ]


def test_unknown_key_is_rejected(tmp_path: Path) -> None:
    found = problems(
        tmp_path, GOOD_RULE.replace("    advice: Ask.\n", "    advice: Ask.\n    sevrity: x\n")
    )
    assert any(":10: rules[0].sevrity: unknown key" in p for p in found), found


def test_wrong_type_is_rejected(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD_RULE.replace("ask: [Why?]", "ask: 5"))
    assert any(":10: rules[0].ask: expected a list of text, got a number (5)" in p for p in found)


def test_rule_without_source_is_rejected(tmp_path: Path) -> None:
    text = GOOD_RULE.replace(
        '    sources: [{title: A source, url: "https://example.org/"}]\n', "    sources: []\n"
    )
    found = problems(tmp_path, text)
    assert any(":11: rules[0].sources: at least one source is required" in p for p in found)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("ask: [Why?]", "ask: []", ":10: rules[0].ask: at least one question"),
        ("reviewed: 2026-11-21", "reviewed: last year", ":12: rules[0].reviewed: expected a date"),
        (
            "fires: [{supplements: [melatonin]}]",
            "fires: []",
            ":14: rules[0].examples.fires: expected a non-empty list of example profiles",
        ),
    ],
)
def test_a_rule_needs_a_question_a_review_date_and_examples(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    # what tests/rules/test_rule_base.py no longer checks rule by rule: the loader refuses it
    found = problems(tmp_path, GOOD_RULE.replace(old, new))
    assert any(says in p for p in found), found


def test_reference_to_undefined_id_is_rejected(tmp_path: Path) -> None:
    found = problems(
        tmp_path, GOOD_RULE.replace("{supplement: melatonin}", "{supplement: melatonine}")
    )
    assert any(
        "extra.yaml:2: rule 'test-rule': when: supplement 'melatonine' is not defined" in p
        for p in found
    ), found


def test_duplicate_id_is_rejected_unless_overridden(tmp_path: Path) -> None:
    clash = GOOD_RULE.replace("id: test-rule", "id: melatonin-immune-stimulation")
    found = problems(tmp_path, clash)
    assert any(
        "extra.yaml:2: rule id 'melatonin-immune-stimulation' is already defined at "
        "rules.yaml:" in p
        for p in found
    ), found
    path = tmp_path / "override.yaml"
    path.write_text("overrides: [melatonin-immune-stimulation]\n" + clash, encoding="utf-8")
    assert loader.load([path]).rules["melatonin-immune-stimulation"].title == "A test rule"


def test_duplicate_key_in_a_mapping_is_rejected(tmp_path: Path) -> None:
    found = problems(
        tmp_path, GOOD_RULE.replace("    advice: Ask.\n", "    advice: Ask.\n    advice: Again.\n")
    )
    assert found == [f"{tmp_path / 'extra.yaml'}:10: duplicate key 'advice'"]


def test_parent_cycle_is_rejected(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        supplements:
          - {id: herb-a, name: Herb A, parents: [herb-b]}
          - {id: herb-b, name: Herb B, parents: [herb-a]}
        """,
    )
    assert any("supplement parents form a cycle: herb-a -> herb-b -> herb-a" in p for p in found)


def test_dangling_parent_is_rejected(tmp_path: Path) -> None:
    found = problems(tmp_path, "conditions:\n  - {id: x-disease, name: X, parents: [nowhere]}\n")
    assert found == [
        f"{tmp_path / 'extra.yaml'}:2: condition 'x-disease': "
        "parent 'nowhere' is not a defined condition"
    ]


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    found = problems(tmp_path, "rules:\n  - id: x\n   bad: [\n")
    assert len(found) == 1 and found[0].startswith(f"{tmp_path / 'extra.yaml'}:")
    assert "invalid YAML" in found[0]


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"rules: !!python/object/apply:os.system ['touch {marker}']\n"
    found = problems(tmp_path, text)
    assert "tags that construct objects are not allowed" in found[0]
    assert not marker.exists()


def test_aliases_are_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, "conditions: &a [ *a ]\n")
    assert found and ("aliases" in found[0] or "recursive" in found[0])
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    found = problems(tmp_path, bomb)
    assert "anchors and aliases are not supported" in found[0]


def test_unreadable_and_missing_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError) as caught:
        loader.load([tmp_path / "missing.yaml"])
    assert caught.value.problems[0].startswith(
        f"{tmp_path / 'missing.yaml'}:1: cannot read rule file"
    )
    with pytest.raises(RuleFileError) as caught:
        loader.load([tmp_path])
    assert "is a directory" in caught.value.problems[0]
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\x00\x01\xff")
    with pytest.raises(RuleFileError) as caught:
        loader.load([binary])
    assert "cannot read rule file" in caught.value.problems[0]


def test_total_needs_a_nutrient_with_a_limit(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        GOOD_RULE.replace(
            "{supplement: melatonin}", "{total: {nutrient: melatonin, above: upper_limit}}"
        ),
    )
    assert any("'melatonin' is not a supplement with a 'nutrient' block" in p for p in found)


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("severity: caution", "severity: high").replace(
        "evidence: theoretical", "evidence: strong"
    )
    assert len(problems(tmp_path, text)) == 2


def test_contents_must_name_defined_supplements_with_a_source(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        supplements:
          - id: combo
            name: Combo
            contents:
              per: one dose
              amounts: [{supplement: unobtainium, amount: 5, unit: mg}]
              source: {title: Label}
        """,
    )
    assert any("contents: 'unobtainium' is not a defined supplement" in p for p in found), found
    found = problems(
        tmp_path,
        "supplements:\n  - {id: combo, name: Combo, contents: {per: x, amounts: "
        "[{supplement: zinc, amount: 5, unit: tablets}]}}\n",
    )
    assert any("contents: missing required key 'source'" in p for p in found), found
    found = problems(
        tmp_path,
        "supplements:\n  - {id: combo, name: Combo, contents: {per: x, source: {title: L}, "
        "amounts: [{supplement: zinc, amount: 5, unit: tablets}]}}\n",
    )
    assert any("amounts[0].unit: expected mg, mcg, g, IU, CFU, mcg DFE" in p for p in found), found


def test_a_parent_cycle_does_not_hide_later_problems(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        conditions:
          - {id: cond-a, name: A, parents: [cond-b]}
          - {id: cond-b, name: B, parents: [cond-a]}
        supplements:
          - {id: herb-a, name: Herb A, parents: [herb-b]}
          - {id: herb-b, name: Herb B, parents: [herb-a]}
          - {id: herb-c, name: Herb C, contents: {per: a dose, source: {title: S},
             amounts: [{supplement: nowhere-herb, amount: 1, unit: mg}]}}
        """,
    )
    extra = tmp_path / "extra.yaml"
    assert found == [
        f"{extra}:2: condition parents form a cycle: cond-a -> cond-b -> cond-a",
        f"{extra}:5: supplement parents form a cycle: herb-a -> herb-b -> herb-a",
        f"{extra}:7: supplement 'herb-c': contents: 'nowhere-herb' is not a defined supplement",
    ]
