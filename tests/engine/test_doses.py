"""The dose grammar (suppcheck.engine.doses): doses as labels and people write them."""

from __future__ import annotations

import pytest
from tests.helpers import run_json

from suppcheck.engine.doses import looks_like_dose, parse_dose
from suppcheck.model import Dose


@pytest.mark.parametrize(
    ("written", "amount", "unit"),
    [
        ("25 mg", 25, "mg"),
        ("25mg", 25, "mg"),
        ("25 mg.", 25, "mg"),
        (".5 mg", 0.5, "mg"),  # was read as 5 mg: the leading point was stripped
        ("40.001 mg", 40.001, "mg"),  # a decimal: no trailing zero, so not a thousands point
        ("1 capsule (200 mg)", 200, "mg"),
        ("2 capsules (200 mg each)", 400, "mg"),
        ("2 x (15 mg)", 30, "mg"),
        # US labels print vitamin D in two units: the first is counted, once
        ("125 mcg (5,000 IU)", 125, "mcg"),
        ("1000 IU (25 mcg)", 1000, "IU"),
        ("2000 I.U.", 2000, "IU"),
        ("0.125 mg", 0.125, "mg"),
        ("2,000 IU", 2000, "IU"),
        ("(125 mcg)", 125, "mcg"),
        ("1 tablet (125 mcg)", 125, "mcg"),
        ("2 x 500 mg", 1000, "mg"),
        ("2x500mg", 1000, "mg"),
        ("2 \u00d7 500 mg", 1000, "mg"),
        ("2 capsules of 500 mg", 1000, "mg"),
        ("2 capsules (500 mg each)", 1000, "mg"),
        ("two tablets x 250 mg", 500, "mg"),
        ("500 mg x 2", 1000, "mg"),
        ("25 mg twice daily", 50, "mg"),
        ("25 mg twice a day", 50, "mg"),
        ("25 mg bid", 50, "mg"),
        ("25 mg b.i.d.", 50, "mg"),
        ("10 mg tid", 30, "mg"),
        ("10 mg three times daily", 30, "mg"),
        ("10 mg qid", 40, "mg"),
        ("25 mg once daily", 25, "mg"),
        ("25 mg daily", 25, "mg"),
        ("25 mg a day", 25, "mg"),
        ("25 mg/day", 25, "mg"),
        ("3 mg at night", 3, "mg"),
        ("3 mg at bedtime", 3, "mg"),
        ("25 mg with breakfast", 25, "mg"),
        ("1,000 mg in the morning with food", 1000, "mg"),
        ("50,000 IU weekly", 50_000 / 7, "IU"),
        ("50,000 IU once a week", 50_000 / 7, "IU"),
        ("50,000 IU a week", 50_000 / 7, "IU"),
        ("50000 IU every two weeks", 50_000 / 14, "IU"),
        ("50000 IU every 2 weeks", 50_000 / 14, "IU"),
        ("50000 IU fortnightly", 50_000 / 14, "IU"),
        ("15 mg every other day", 7.5, "mg"),
        ("1000 IU twice a week", 2000 / 7, "IU"),
        ("10 billion CFU", 1e10, "CFU"),
        ("10B CFU", 1e10, "CFU"),
        ("680 mcg DFE", 680, "mcg DFE"),
        ("900 mcg RAE", 900, "mcg RAE"),
        ("400 \u00b5g", 400, "mcg"),
    ],
)
def test_doses_as_written_give_the_amount_a_day(written: str, amount: float, unit: str) -> None:
    dose = parse_dose(written)
    assert isinstance(dose, Dose), dose
    assert dose.unit == unit
    assert dose.amount == pytest.approx(amount)


@pytest.mark.parametrize(
    ("written", "arithmetic"),
    [
        ("25 mg", None),
        ("25 mg daily", None),
        ("25 mg twice daily", "25 mg, twice a day = 50 mg a day"),
        ("2 x 500 mg", "2 x 500 mg = 1,000 mg a day"),
        ("2 capsules of 500 mg", "2 capsules x 500 mg = 1,000 mg a day"),
        ("50,000 IU weekly", "50,000 IU, once a week = 7142.86 IU a day (a daily average)"),
        ("125 mcg (5,000 IU)", "125 mcg a day (also given as 5,000 IU, not added again)"),
    ],
)
def test_the_arithmetic_is_kept_when_the_dose_is_not_plain(
    written: str, arithmetic: str | None
) -> None:
    dose = parse_dose(written)
    assert isinstance(dose, Dose)
    assert dose.arithmetic == arithmetic


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("1 tablet", "gives a number of tablets but not the amount in each"),
        ("2 capsules", "gives a number of capsules but not the amount in each"),
        ("2 capsules twice daily", "not the amount in each"),
        ("50", "has no unit"),
        ("0 mg", "must be a positive number"),
        ("-5 mg", "must be a positive number"),
        ("\u22125 mg", "must be a positive number"),
        ("1e308 mg", "scientific notation"),
        ("50 kg", "unknown unit 'kg'"),
        ("5000 g", "more than 1,000 g a day"),
        ("500,000,000 IU", "more than 100,000,000 IU a day"),
        ("1000 trillion CFU", "cannot read how often"),
        ("500,000 billion CFU", "more than 100,000,000,000,000 CFU a day"),
        ("25 mg biweekly", "not a fixed number of days"),
        ("25 mg monthly", "not a fixed number of days"),
        ("25 mg sometimes", "cannot read how often"),
        ("200 x 5 mg", "must be between 1 and 100"),
        # a point before three digits is a thousands separator in much of Europe: 50 or 50,000?
        ("50.000 IU", "could be 50 or 50,000"),
        ("1.500 mg", "could be 1.5 or 1,500"),
        # a label's "Serving size 2 capsules (200 mg)" is 200 mg in all; people also mean each
        ("2 capsules (200 mg)", "200 mg in all, or 200 mg in each"),
        ("2 scoops (20 g)", "20 g in all, or 20 g in each"),
    ],
)
def test_doses_that_cannot_be_read_say_why(written: str, problem: str) -> None:
    result = parse_dose(written)
    assert isinstance(result, str)
    assert problem in result


@pytest.mark.parametrize(
    ("tail", "expected"),
    [("25 mg", True), ("(125 mcg)", True), ("2 capsules", True), ("twice daily", True)],
)
def test_what_follows_a_name_is_a_dose_only_when_it_looks_like_one(
    tail: str, expected: bool
) -> None:
    assert looks_like_dose(tail) is expected
    assert looks_like_dose("pico") is False  # "zinc pico" is a misspelt name, not a dose


def test_a_medication_may_carry_a_dose() -> None:
    code, data = run_json(
        "check", "-c", "lupus", "-m", "prednisone 10 mg", "-m", "MTX 15 mg weekly"
    )
    assert [m["id"] for m in data["resolved"]["medications"]] == ["methotrexate", "prednisone"]
    assert data["unresolved"] == []
    assert code == 0


def test_a_weekly_dose_counts_as_a_daily_average_against_the_limit() -> None:
    # 50,000 IU a week is about 7,143 IU a day: above the adult vitamin D limit of 4,000 IU.
    code, data = run_json("check", "-s", "vitamin D3 50,000 IU weekly")
    ids = [f["rule_id"] for f in data["findings"]]
    assert "vitamin-d-total-above-upper-limit" in ids
    assert code == 1
    dose = data["resolved"]["supplements"][0]["dose"]
    assert dose["arithmetic"] == "50,000 IU, once a week = 7142.86 IU a day (a daily average)"
    # 20,000 IU a week is about 2,857 IU a day: below it.
    _, data = run_json("check", "-s", "vitamin D3 20,000 IU weekly")
    assert "vitamin-d-total-above-upper-limit" not in [f["rule_id"] for f in data["findings"]]


@pytest.mark.parametrize(
    ("written", "nutrient", "total"),
    [
        # issue 11: 25,000 IU of retinyl palmitate is 7,500 mcg of preformed vitamin A (1 IU =
        # 0.3 mcg RAE, the rule base's cited factor), 2.5 times the adult limit
        ("retinyl palmitate 25,000 IU", "vitamin-a", 7500),
        ("vitamin A 3,500 mcg RAE", "vitamin-a", 3500),
        # a 325 mg ferrous sulfate tablet is counted as 65 mg of iron (20%, cited), not 325 mg
        ("ferrous sulfate 325 mg", "iron", 65),
    ],
)
def test_label_units_and_salts_count_with_the_shipped_factors(
    written: str, nutrient: str, total: float
) -> None:
    _, data = run_json("check", "-s", written, "--no-profile")
    totals = {t["nutrient"]: t["total"] for t in data["totals"]}
    assert totals[nutrient] == pytest.approx(total)
    assert data["unresolved"] == []


@pytest.mark.parametrize(
    ("typed", "entry", "amount"),
    [
        # the comma of 2,000 is not where the name ends: "Vitamin D 2" is vitamin D2
        ("Vitamin D 2,000 IU", "vitamin-d", 50.0),
        ("vitamin D 3,000 IU", "vitamin-d", 75.0),
        ("Vitamin D2 2,000 IU", "vitamin-d2", 50.0),
    ],
)
def test_a_thousands_comma_stays_in_the_amount(typed: str, entry: str, amount: float) -> None:
    code, data = run_json("check", "-s", typed)
    assert code == 0
    assert [s["id"] for s in data["supplement_status"]] == [entry]
    assert data["unresolved"] == []
    assert data["totals"][0]["total"] == pytest.approx(amount)
