"""Names through the CLI (issue 11): safe suggestions, the autoimmune fallback for an unknown
condition, and asking on a terminal only."""

from __future__ import annotations

from tests.helpers import run, run_json


def test_an_unknown_condition_offers_the_autoimmune_fallback_and_the_list() -> None:
    result = run("check", "--no-profile", "-c", "lupsu", "-c", "weird disease", "-s", "zinc")
    assert result.exit_code == 3 and result.stderr == ""
    out = " ".join(result.stdout.split())
    assert (
        "condition lupsu: unknown condition, not checked. Did you mean lupus? If your "
        "condition is autoimmune, `-c autoimmune` gives the general autoimmune cautions; "
        "`suppcheck list conditions` shows every known condition." in out
    )
    assert "condition weird disease: unknown condition, not checked. If your condition" in out


def test_a_known_condition_or_an_unknown_supplement_gets_no_autoimmune_hint() -> None:
    result = run("check", "--no-profile", "-c", "lupus", "-s", "glutamine")
    assert result.exit_code == 3 and result.stderr == ""
    assert "-c autoimmune" not in result.stdout
    assert "glutamine: unknown supplement, not checked" in " ".join(result.stdout.split())


def test_misleading_suggestions_are_gone_from_the_report() -> None:
    code, data = run_json("check", "--no-profile", "-c", "lupus", "-s", "glutamine", "-s",
                          "Caltrate", "-s", "tumeric")  # fmt: skip
    assert code == 3
    offered = {u["input"]: u["suggestions"] for u in data["unresolved"]}
    assert offered == {"glutamine": [], "Caltrate": [], "tumeric": ["turmeric"]}
