"""Rule groups (one point, several reasons, read as one finding) and retired rules."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from tests.helpers import base_from_yaml, run, run_json

from suppcheck.errors import RuleFileError
from suppcheck.report import Format

MELATONIN = (
    "melatonin-immune-stimulation",
    "melatonin-individual-variability",
    "melatonin-pro-inflammatory-cytokines",
)
ZINC = (
    "zinc-copper-interference",
    "zinc-deficiency-autoimmune",
    "zinc-diet-and-testing",
    "zinc-immune-balance",
)


def _rule(rule_id: str, severity: str, when: str, extra: str = "") -> str:
    return textwrap.indent(
        textwrap.dedent(f"""\
            - id: {rule_id}
              title: Title of {rule_id}
              mechanism: other
              severity: {severity}
              evidence: theoretical
              when: {when}
              rationale: Rationale of {rule_id}.
              advice: Advice of {rule_id}.
              ask: [Question of {rule_id}?]
              sources: [{{title: Source of {rule_id}, url: "https://example.org/{rule_id}"}}]
              reviewed: 2026-11-21
              examples:
                fires: [{{conditions: [lupus], supplements: [melatonin, zinc]}}]
                silent: [{{conditions: [], supplements: []}}]
            """)
        + extra,
        "  ",
    )


def _file(tmp_path: Path, *rules: str) -> Path:
    path = tmp_path / "groups.yaml"
    path.write_text("rules:\n" + "".join(rules), encoding="utf-8")
    return path


def test_shipped_melatonin_and_zinc_rules_are_one_group_each_in_json() -> None:
    code, data = run_json("check", "-c", "lupus", "-s", "melatonin", "-s", "zinc")
    assert code == 1
    groups = {f["rule_id"]: f["group"] for f in data["findings"]}
    # every rule keeps its own finding in JSON, with its group beside it
    assert {groups[r] for r in MELATONIN} == {"melatonin-autoimmune"}
    assert {groups[r] for r in ZINC} == {"zinc-autoimmune"}
    assert data["summary"]["counts"]["caution"] == 3  # counts stay per rule


@pytest.mark.parametrize("fmt", [Format.TEXT, Format.MARKDOWN, Format.HTML])
def test_a_group_is_one_block_with_each_rule_as_a_reason(fmt: Format) -> None:
    result = run("check", "-c", "lupus", "-s", "melatonin", "--format", fmt.value)
    assert result.exit_code == 1 and result.stderr == ""
    page = re.sub(r"<[^>]+>", "", result.stdout) if fmt is Format.HTML else result.stdout
    page = re.sub(r"\s+", " ", page)
    assert "3 rules, one finding" in page
    details = page[page.index("Details:") :]
    # the lead's title heads the block and is listed again as its first reason; the others once
    assert details.count("Melatonin may stimulate an immune system") == 2
    assert details.count("Melatonin might raise inflammatory signalling proteins") == 1
    assert details.count("Responses to melatonin vary") == 1
    for rule_id in MELATONIN:
        assert rule_id in details
    # every rule's advice is kept; the seed source is listed once
    assert "agree how you will watch for changes" in details
    # once for the group, once for the general immune-stimulation rule that cites the same seed
    assert details.count("Why is melatonin bad for autoimmune") == 2
    # the summary counts one finding for melatonin, not three
    assert "(+2 more)" not in page


def test_same_group_on_different_inputs_stays_apart_and_the_most_severe_leads(
    tmp_path: Path,
) -> None:
    rules = _file(
        tmp_path,
        _rule("g-a-info", "info", "{supplement: melatonin}", "  group: g\n"),
        _rule("g-z-warning", "warning", "{supplement: melatonin}", "  group: g\n"),
        _rule("g-other-input", "caution", "{supplement: zinc}", "  group: g\n"),
        _rule("no-group", "caution", "{supplement: melatonin}"),
    )
    result = run("check", "--rules", str(rules), "-s", "melatonin", "-s", "zinc")
    assert result.exit_code == 1 and result.stderr == ""
    text = re.sub(r"\s+", " ", result.stdout)
    details = text[text.index("Details:") :]
    assert "2 rules, one finding: g-z-warning, g-a-info" in details
    # the lead (the warning) heads the block although its id sorts after the info rule's
    assert details.index("WARNING Title of g-z-warning") < details.index("Title of g-a-info")
    # a rule of the group firing for another supplement, and an ungrouped rule: blocks of their own
    assert "rule g-other-input | evidence" in details
    assert "rule no-group | evidence" in details


def test_a_group_id_is_kebab_case() -> None:
    yaml = "rules:\n" + _rule(
        "bad-group", "info", "{supplement: melatonin}", "  group: Bad Group\n"
    )
    with pytest.raises(RuleFileError) as caught:
        base_from_yaml(yaml + "supplements: [{id: melatonin, name: Melatonin}]\n")
    assert any(
        re.match(r"test\.yaml:\d+: rules\[0\]\.group: ids are kebab-case", p)
        for p in caught.value.problems
    ), caught.value.problems


def test_a_retired_rule_never_fires_and_is_shown_as_retired(tmp_path: Path) -> None:
    rules = _file(
        tmp_path,
        _rule("old-rule", "warning", "{supplement: melatonin}", "  status: retired\n"),
        _rule(
            "kept-rule",
            "info",
            "{supplement: melatonin}",
            "  status: active\n  review_note: checked against the seed by A. Pharmacist\n",
        ),
    )
    check = run("check", "--rules", str(rules), "-s", "melatonin", "--format", "json")
    assert check.exit_code == 0 and check.stderr == ""  # only the info rule fires
    assert "old-rule" not in check.stdout and "kept-rule" in check.stdout
    listed = run("list", "rules", "--rules", str(rules))
    assert listed.exit_code == 0 and listed.stderr == ""
    assert "old-rule" not in listed.stdout and "kept-rule" in listed.stdout
    everything = run("list", "rules", "--all", "--rules", str(rules))
    assert everything.exit_code == 0 and everything.stderr == ""
    assert re.search(r"old-rule\s+Title of old-rule \(RETIRED: never fires\)", everything.stdout)
    explained = run("explain", "old-rule", "--rules", str(rules))
    assert explained.exit_code == 0 and explained.stderr == ""
    assert "RETIRED: kept for the record, never fires" in explained.stdout
    kept = run("explain", "kept-rule", "--rules", str(rules), "--format", "json")
    assert kept.exit_code == 0 and kept.stderr == ""
    assert '"review_note": "checked against the seed by A. Pharmacist"' in kept.stdout
    assert '"status": "active"' in kept.stdout
    # its examples are not run: it fires on none of them, by design
    validated = run("rules", "validate", str(rules))
    assert validated.exit_code == 0, validated.stderr


def test_an_unknown_status_is_an_error() -> None:
    yaml = "rules:\n" + _rule("odd", "info", "{supplement: melatonin}", "  status: paused\n")
    with pytest.raises(RuleFileError) as caught:
        base_from_yaml(yaml + "supplements: [{id: melatonin, name: Melatonin}]\n")
    assert any("rules[0].status: expected active or retired" in p for p in caught.value.problems)
