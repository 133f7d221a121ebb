"""The report's counts count what the reader sees: a group of rules making one point ("3 rules,
one finding") is one finding in "Found:" and "Details:"; JSON keeps its per-rule `counts` and
adds `grouped_counts` (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from tests.helpers import run

from suppcheck.engine.pipeline import run_check
from suppcheck.inputs.regimen import Regimen
from suppcheck.model import Severity
from suppcheck.report import overview, wording
from suppcheck.report.data import report_to_dict
from suppcheck.report.jsonline import report_to_json
from suppcheck.rules import cache


def test_a_group_of_rules_counts_once_in_the_text_report() -> None:
    result = run("check", "--condition", "lupus", "--supplement", "melatonin")
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert "Found: 1 caution, 1 info." in lines
    # the three melatonin rules are one block, the general rule another: two findings, 4 rules
    assert "Details: 1 caution, 1 info, from 4 rules" in lines
    assert "   3 rules, one finding: melatonin-immune-stimulation," in lines


def test_without_groups_the_details_heading_names_no_rules() -> None:
    result = run("check", "-s", "zinc 50 mg")
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    details = [line for line in lines if line.startswith("Details: ")]
    assert details == ["Details: 1 warning"]
    assert "Found: 1 warning." in lines


def test_json_keeps_per_rule_counts_and_adds_grouped_counts() -> None:
    result = run("check", "-c", "lupus", "-s", "melatonin", "--format", "json")
    assert result.exit_code == 1
    assert result.stderr == ""
    summary = json.loads(result.stdout)["summary"]
    assert summary["counts"] == {"info": 3, "caution": 1, "warning": 0}
    assert summary["grouped_counts"] == {"info": 1, "caution": 1, "warning": 0}
    assert summary["headline"] == "Found: 1 caution, 1 info."
    assert summary["highest_severity"] == "caution"
    schema = json.loads((Path(__file__).parents[2] / "docs" / "report-schema.json").read_text())
    jsonschema.validate(json.loads(result.stdout), schema)


REGIMENS = [
    Regimen(["lupus"], ["melatonin"]),
    Regimen(["lupus"], ["melatonin", "zinc 50 mg"]),
    Regimen(["Hashimoto's", "lupus"], ["melatonin", "zinc 25 mg", "zinc picolinate 30 mg",
             "selenium 200 mcg", "probiotic", "turmeric"], ["prednisone", "levothyroxine"]),
    Regimen(["MS"], ["echinacea", "vitamin D3 2000 IU"], ["methotrexate"], active=True),
    Regimen([], ["iron 65 mg", "calcium carbonate 600 mg"], ["levothyroxine"]),
]  # fmt: skip


@pytest.mark.parametrize("regimen", REGIMENS, ids=lambda r: "+".join(r.supplements))
def test_the_counts_equal_the_findings_the_details_show(regimen: Regimen) -> None:
    report = run_check(cache.load(), regimen)
    shown = [f for group in overview.groups(report) for f in group.findings]
    counts = wording.shown_counts(report)
    assert sum(counts.values()) == len(shown)
    for severity in Severity:
        assert counts[severity] == sum(1 for f in shown if f.rule.severity is severity)
    # the per-rule counts stay what they were: one per rule that fired
    assert sum(wording.severity_counts(report).values()) == len(report.findings)
    data = report_to_dict(report)
    assert data["summary"]["grouped_counts"] == {s.value: counts[s] for s in Severity}
    assert json.loads(report_to_json(report)) == data  # batch's fast encoding agrees
