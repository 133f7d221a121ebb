"""What people type: spellings that must resolve, near-misses that must not, and doses."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import run_json

from suppcheck.engine import resolve as names
from suppcheck.model import Dose, Kind, Resolved, Unresolved, format_amount
from suppcheck.rules import loader
from suppcheck.rules.vocabulary import Vocabulary

BASE = loader.load()
VOCAB = BASE.vocabularies()

CONDITIONS = [
    ("lupus", "lupus"),
    ("SLE", "lupus"),
    ("Systemic Lupus Erythematosus", "lupus"),
    ("sle", "lupus"),
    ("RA", "rheumatoid-arthritis"),
    ("Rheumatoid arthritis", "rheumatoid-arthritis"),
    ("rheumatoid-arthritis", "rheumatoid-arthritis"),
    ("MS", "multiple-sclerosis"),
    ("multiple sclerosis", "multiple-sclerosis"),
    ("Hashimoto's", "hashimotos-thyroiditis"),
    ("hashimotos", "hashimotos-thyroiditis"),
    ("Hashimoto thyroiditis", "hashimotos-thyroiditis"),
    ("Hashimoto\u2019s thyroiditis", "hashimotos-thyroiditis"),
    ("HASHIMOTO'S DISEASE", "hashimotos-thyroiditis"),
    ("IBD", "inflammatory-bowel-disease"),
    ("inflammatory bowel disease", "inflammatory-bowel-disease"),
    ("Crohn's", "crohns-disease"),
    ("crohns disease", "crohns-disease"),
    ("Crohn disease", "crohns-disease"),
    ("UC", "ulcerative-colitis"),
    ("ulcerative  colitis", "ulcerative-colitis"),
    ("T1D", "type-1-diabetes"),
    ("type 1 diabetes", "type-1-diabetes"),
    ("celiac disease", "celiac-disease"),
    ("coeliac disease", "celiac-disease"),
    ("psoriasis", "psoriasis"),
    ("PsA", "psoriatic-arthritis"),
    ("Graves' disease", "graves-disease"),
    ("Graves disease", "graves-disease"),
    ("Sjögren's", "sjogrens-disease"),
    ("Sjogren syndrome", "sjogrens-disease"),
    ("ankylosing spondylitis", "ankylosing-spondylitis"),
    ("myasthenia gravis", "myasthenia-gravis"),
    ("vitiligo", "vitiligo"),
    ("autoimmune hepatitis", "autoimmune-hepatitis"),
    ("autoimmune disease", "autoimmune"),
]
SUPPLEMENTS = [
    ("melatonin", "melatonin"),
    ("Melatonin", "melatonin"),
    ("zinc", "zinc"),
    ("Zn", "zinc"),
    ("zinc picolinate", "zinc-picolinate"),
    ("Zinc Gluconate", "zinc-gluconate"),
    ("zinc citrate", "zinc-citrate"),
    ("zinc sulphate", "zinc-sulfate"),
    ("zinc glycinate", "zinc-bisglycinate"),
    ("vitamin D", "vitamin-d"),
    ("Vitamin D3", "vitamin-d3"),
    ("vit d3", "vitamin-d3"),
    ("D3", "vitamin-d3"),
    ("cholecalciferol", "vitamin-d3"),
    ("ergocalciferol", "vitamin-d2"),
    ("selenium", "selenium"),
    ("selenomethionine", "selenomethionine"),
    ("L-selenomethionine", "selenomethionine"),
    ("sodium selenite", "sodium-selenite"),
    ("probiotics", "probiotic"),
    ("probiotic", "probiotic"),
    ("L. rhamnosus GG", "lactobacillus-rhamnosus-gg"),
    ("LGG", "lactobacillus-rhamnosus-gg"),
    ("Lactobacillus rhamnosus GG", "lactobacillus-rhamnosus-gg"),
    ("Lactobacillus acidophilus", "lactobacillus-acidophilus"),
    ("L. acidophilus", "lactobacillus-acidophilus"),
    ("Bifidobacterium", "bifidobacterium"),
    ("bifidobacterium longum", "bifidobacterium-longum"),
    ("Saccharomyces boulardii", "saccharomyces-boulardii"),
    ("S. boulardii", "saccharomyces-boulardii"),
    ("BB-12", "bifidobacterium-lactis-bb-12"),
    ("E. coli Nissle 1917", "escherichia-coli-nissle-1917"),
    ("echinacea", "echinacea"),
    ("spirulina", "spirulina"),
    ("alfalfa", "alfalfa"),
    ("ashwagandha", "ashwagandha"),
    ("turmeric", "turmeric"),
    ("curcumin", "curcumin"),
    ("fish oil", "fish-oil"),
    ("omega-3", "fish-oil"),
    ("vitamin B12", "vitamin-b12"),
    ("methylcobalamin", "methylcobalamin"),
    ("folic acid", "folic-acid"),
    ("iron", "iron"),
    ("ferrous sulfate", "ferrous-sulfate"),
    ("magnesium glycinate", "magnesium-glycinate"),
    ("kelp", "kelp"),
    ("iodine", "iodine"),
    ("St. John's wort", "st-johns-wort"),
    ("St Johns Wort", "st-johns-wort"),
    ("ginkgo", "ginkgo"),
    ("CoQ10", "coq10"),
    ("biotin", "biotin"),
    ("vitamin C", "vitamin-c"),
    ("collagen", "collagen"),
]
MEDICATIONS = [
    ("methotrexate", "methotrexate"),
    ("MTX", "methotrexate"),
    ("Humira", "adalimumab"),
    ("prednisone", "prednisone"),
    ("Plaquenil", "hydroxychloroquine"),
    ("HCQ", "hydroxychloroquine"),
    ("CellCept", "mycophenolate"),
    ("mycophenolate mofetil", "mycophenolate"),
    ("Imuran", "azathioprine"),
    ("ciclosporin", "cyclosporine"),
    ("Prograf", "tacrolimus"),
    ("Synthroid", "levothyroxine"),
    ("Remicade", "infliximab"),
    ("Avonex", "interferon-beta"),
    ("anti-TNF", "tnf-inhibitor"),
    ("steroids", "corticosteroid"),
    ("biologics", "biologic"),
    ("Coumadin", "warfarin"),
]
NEAR_MISSES = [
    (Kind.SUPPLEMENT, "melatonine", "melatonin"),
    (Kind.SUPPLEMENT, "melatonn", "melatonin"),
    (Kind.SUPPLEMENT, "zink", "zinc"),
    (Kind.SUPPLEMENT, "seleniun", "selenium"),
    (Kind.SUPPLEMENT, "ashwaganda", "ashwagandha"),
    (Kind.SUPPLEMENT, "probiotik", "probiotic"),
    (Kind.SUPPLEMENT, "turmerik", "turmeric"),
    (Kind.SUPPLEMENT, "echinacia", "echinacea"),
    (Kind.SUPPLEMENT, "vitamin", None),
    (Kind.SUPPLEMENT, "zinc pico", "zinc-picolinate"),
    (Kind.SUPPLEMENT, "mela", None),
    (Kind.SUPPLEMENT, "lactobacillus rhamnosus xyz", None),
    (Kind.CONDITION, "lupis", "lupus"),
    (Kind.CONDITION, "hashimoto thyroid", None),
    (Kind.CONDITION, "rheumatoid arthritus", "rheumatoid-arthritis"),
    (Kind.CONDITION, "sclerosis", None),
    (Kind.CONDITION, "crohnes", "crohns-disease"),
    (Kind.MEDICATION, "methotrexat", "methotrexate"),
    (Kind.MEDICATION, "predisone", "prednisone"),
    (Kind.MEDICATION, "humera", "adalimumab"),
]


def resolve(kind: Kind, text: str) -> Resolved | Unresolved:
    if kind is Kind.SUPPLEMENT:
        return names.resolve_supplement(VOCAB[kind], text)
    return names.resolve_name(VOCAB[kind], text)


def test_tables_are_large_enough() -> None:
    assert len(CONDITIONS) + len(SUPPLEMENTS) + len(MEDICATIONS) >= 60
    assert len(NEAR_MISSES) >= 15


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [(Kind.CONDITION, t, e) for t, e in CONDITIONS]
    + [(Kind.SUPPLEMENT, t, e) for t, e in SUPPLEMENTS]
    + [(Kind.MEDICATION, t, e) for t, e in MEDICATIONS],
)
def test_realistic_spellings_resolve(kind: Kind, text: str, expected: str) -> None:
    result = resolve(kind, text)
    assert isinstance(result, Resolved), result
    assert result.id == expected
    assert result.input == text  # what was typed is kept for the report


@pytest.mark.parametrize(("kind", "text", "suggestion"), NEAR_MISSES)
def test_near_misses_never_resolve(kind: Kind, text: str, suggestion: str | None) -> None:
    result = resolve(kind, text)
    assert isinstance(result, Unresolved), f"{text!r} must not resolve, got {result}"
    if suggestion is not None:
        assert suggestion in result.suggestions


def test_normalise_ignores_case_accents_punctuation_and_possessives() -> None:
    assert names.normalise("Sj\u00f6gren\u2019s  Syndrome") == names.normalise("sjogrens syndrome")
    assert names.normalise("L. rhamnosus GG") == "lrhamnosusgg"


def test_ambiguous_names_list_their_candidates() -> None:
    vocab = Vocabulary.build(
        Kind.SUPPLEMENT,
        {
            e.id: e
            for e in (
                BASE.entry(Kind.SUPPLEMENT, "zinc"),
                BASE.entry(Kind.SUPPLEMENT, "copper"),
            )
        },
    )
    ambiguous = Vocabulary(vocab.kind, {**vocab.keys, "mineral": ("copper", "zinc")}, vocab.entries)
    result = names.resolve_supplement(ambiguous, "Mineral")
    assert isinstance(result, Unresolved)
    assert result.suggestions == ("copper", "zinc")
    assert result.reason.startswith("ambiguous")


@pytest.mark.parametrize(
    ("text", "expected_id", "dose"),
    [
        ("zinc 50 mg", "zinc", Dose(50, "mg")),
        ("zinc:50mg", "zinc", Dose(50, "mg")),
        ("Zinc 50MG", "zinc", Dose(50, "mg")),
        ("zinc 50 mg/day", "zinc", Dose(50, "mg")),
        ("zinc 50 mg daily", "zinc", Dose(50, "mg")),
        ("zinc picolinate 25 mg", "zinc-picolinate", Dose(25, "mg")),
        ("vitamin D3 2000 IU", "vitamin-d3", Dose(2000, "IU")),
        ("vitamin D3 2,000 IU", "vitamin-d3", Dose(2000, "IU")),
        ("selenium 200 mcg", "selenium", Dose(200, "mcg")),
        ("selenium 200 µg", "selenium", Dose(200, "mcg")),
        ("selenium 200 ug", "selenium", Dose(200, "mcg")),
        ("selenium 0.2 mg", "selenium", Dose(0.2, "mg")),
        ("fish oil 1 g", "fish-oil", Dose(1, "g")),
        ("probiotic 10 billion CFU", "probiotic", Dose(1e10, "CFU")),
        ("LGG 10B CFU", "lactobacillus-rhamnosus-gg", Dose(1e10, "CFU")),
        ("vitamin B12 1000 mcg", "vitamin-b12", Dose(1000, "mcg")),
        ("vitamin B12", "vitamin-b12", None),
        ("CoQ10", "coq10", None),
        ("CoQ10 100 mg", "coq10", Dose(100, "mg")),
    ],
)
def test_doses_are_read(text: str, expected_id: str, dose: Dose | None) -> None:
    result = names.resolve_supplement(VOCAB[Kind.SUPPLEMENT], text)
    assert isinstance(result, Resolved), result
    assert (result.id, result.dose) == (expected_id, dose)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("zinc 50", "has no unit"),
        ("zinc 50 tablets", "gives a number of tablets but not the amount in each"),
        ("zinc 2 capsules", "gives a number of capsules but not the amount in each"),
        ("zinc 0 mg", "must be a positive number"),
        ("zinc -5 mg", "must be a positive number"),
        ("zinc 1e30 mg", "scientific notation"),
        ("zinc 50 kg", "unknown unit 'kg'"),
        ("zinc 2000 g", "more than 1,000 g a day"),
        ("zinc 25 mg biweekly", "not a fixed number of days"),
        ("zinc 25 mg monthly", "not a fixed number of days"),
        ("zinc 25 mg whenever", "cannot read how often"),
    ],
)
def test_a_known_name_with_an_unreadable_dose_is_kept_with_the_problem(
    text: str, message: str
) -> None:
    # Issue 11: the supplement is still checked for everything that does not need the dose.
    result = names.resolve_supplement(VOCAB[Kind.SUPPLEMENT], text)
    assert isinstance(result, Resolved), result
    assert (result.id, result.dose) == ("zinc", None)
    assert result.dose_problem is not None and message in result.dose_problem


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   ", "empty"), ("z" * 300, "longer than"), ("zinc pico", "unknown")],
)
def test_bad_names_are_errors_naming_the_input(text: str, message: str) -> None:
    result = names.resolve_supplement(VOCAB[Kind.SUPPLEMENT], text)
    assert isinstance(result, Unresolved)
    assert message in result.reason


# --- doses given as {name, amount, unit}: used as given, never printed and read back ---------


@pytest.mark.parametrize(
    ("name", "amount", "unit", "dose"),
    [
        ("zinc", 0.00001, "mg", Dose(0.00001, "mg")),  # shown as 1e-05, which no reader takes
        ("zinc", 1234567.5, "mcg", Dose(1234567.5, "mcg")),  # shown as 1.23457e+06
        ("zinc", 25, "milligrams", Dose(25, "mg")),
        ("LGG", 10, "billion CFU", Dose(1e10, "CFU")),
        ("vitamin D3 2000 IU", 400, "IU", None),  # the name is only a name: not a dose
    ],
)
def test_a_structured_dose_is_passed_through(
    name: str, amount: float, unit: str, dose: Dose | None
) -> None:
    from suppcheck.inputs.regimen import DosedSupplement

    given = DosedSupplement(name, amount, unit)
    result = names.resolve_supplement(VOCAB[Kind.SUPPLEMENT], given)
    if dose is None:
        assert isinstance(result, Unresolved) and result.reason == "unknown supplement"
    else:
        assert isinstance(result, Resolved) and result.dose == dose
    assert result.input == given == f"{name} {format_amount(amount)} {unit}"


@pytest.mark.parametrize(
    ("amount", "unit", "reason"),
    [
        (1e20, "mg", "the amount in 'zinc 1e+20 mg' is larger than any label gives: check it"),
        (2e6, "mg", "more than 1,000 g a day in 'zinc 2,000,000 mg': check the unit"),
        (0, "mg", "the amount in 'zinc 0 mg' must be a positive number"),
        (2, "tablets", "unknown unit 'tablets' in 'zinc 2 tablets' (use mg, mcg, g, IU, CFU, "),
    ],
)
def test_a_structured_dose_that_cannot_be_used_says_why(
    amount: float, unit: str, reason: str
) -> None:
    from suppcheck.inputs.regimen import DosedSupplement

    result = names.resolve_supplement(VOCAB[Kind.SUPPLEMENT], DosedSupplement("zinc", amount, unit))
    # the supplement is kept and checked; only its dose is reported as not understood
    assert isinstance(result, Resolved) and result.dose is None
    assert result.dose_problem is not None and result.dose_problem.startswith(reason)


def test_a_structured_dose_and_the_same_text_typed_are_not_mixed_up() -> None:
    """A batch remembers resolutions by text; a dosed supplement equals its text."""
    from suppcheck.inputs.regimen import DosedSupplement

    memo: dict[Kind, dict[str, Resolved | Unresolved]] = {}
    given = DosedSupplement("zinc", 0.00001, "mg")
    for supplements in ([given], ["zinc 1e-05 mg"], [given]):
        profile = names.resolve_profile(VOCAB, supplements=supplements, memo=memo)
        typed = supplements[0] is not given
        # typed, "1e-05" is not read as an amount: zinc is kept, its dose reported as not read
        assert bool(profile.unresolved) is typed and len(profile.supplements) == 1
        assert (profile.supplements[0].dose is None) is typed


def test_a_tiny_structured_dose_is_understood_by_every_reader(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from suppcheck import api
    from suppcheck.cli.main import app

    tiny = {"name": "zinc", "amount": 0.00001, "unit": "mg"}
    huge = {"name": "zinc", "amount": 1e300, "unit": "mg"}
    regimen = tmp_path / "regimen.yaml"
    regimen.write_text(
        "conditions: [lupus]\nsupplements:\n  - {name: zinc, amount: 0.00001, unit: mg}\n"
    )
    runner = CliRunner()
    cli = runner.invoke(app, ["check", "--format", "json", "--no-profile", "--input", str(regimen)])
    assert cli.exit_code == 1 and cli.stderr == "", cli.output  # zinc's own rules fire
    from_file = json.loads(cli.stdout)
    line = json.dumps({"id": 1, "conditions": ["lupus"], "supplements": [tiny]})
    batch = runner.invoke(app, ["batch"], input=line + "\n")
    assert batch.exit_code == 1 and batch.stderr == ""
    from_batch = json.loads(batch.stdout)
    from_api = api.check(["lupus"], [tiny])
    for report in (from_file, from_batch, from_api):
        assert report["unresolved"] == [] and report["summary"]["fully_understood"]
        assert report["resolved"]["supplements"][0]["dose"] == {
            "amount": 0.00001,
            "unit": "mg",
            "per": "day",
            "arithmetic": None,
        }
        assert report["totals"][0]["total"] == 0.00001
    assert from_batch == {"id": 1, **from_api} and from_file == from_api
    [too_much] = api.check(["lupus"], [huge])["unresolved"]
    assert "is larger than any label gives" in too_much["reason"]


@pytest.mark.parametrize(
    ("typed", "entry", "amount"),
    [
        # a dosage-form word says how it is taken, not what it is (found trying the tool as
        # real people type their regimens)
        ("elderberry gummies", "elderberry", None),
        ("melatonin gummies 3 mg", "melatonin", None),
        ("magnesium powder 200 mg", "magnesium", 200.0),
        ("B12 sublingual", "vitamin-b12", None),
        ("vitamin D3 5000 IU softgel", "vitamin-d3", 125.0),
        ("liposomal vitamin C 1000 mg", "vitamin-c", 1000.0),
        ("CBD gummies", "cannabidiol", None),
    ],
)
def test_a_dosage_form_word_does_not_hide_the_supplement(
    typed: str, entry: str, amount: float | None
) -> None:
    code, data = run_json("check", "-s", typed)
    assert code in (0, 1)  # understood: all clear, or a finding
    assert data["unresolved"] == [], data["unresolved"]
    assert [(s["input"], s["id"]) for s in data["supplement_status"]] == [(typed, entry)]
    if amount is not None:
        assert data["totals"][0]["total"] == pytest.approx(amount)


def test_names_people_type_for_common_entries() -> None:
    # found trying the tool as 25 people would type their regimens
    code, data = run_json(
        "check", "-c", "Hashi's", "-c", "sjogren", "-c", "celiacs",
        "-s", "tumeric", "-s", "K2", "-s", "mag glycinate 400mg", "-s", "fish oils",
    )  # fmt: skip
    assert code == 1 and data["unresolved"] == []
    assert [s["id"] for s in data["supplement_status"]] == [
        "fish-oil", "magnesium-glycinate", "turmeric", "vitamin-k2"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "entry"),
    [
        # a device or release word says how a medicine is given, not what it is
        ("Humira pen", "adalimumab"),
        ("metformin ER 500 mg", "metformin"),
        ("Xeljanz XR 11mg", "tofacitinib"),
        ("Remicade infusions", "infliximab"),
        ("MTX injection 20 mg weekly", "methotrexate"),
    ],
)
def test_a_device_or_release_word_does_not_hide_the_medication(typed: str, entry: str) -> None:
    code, data = run_json("check", "-m", typed)
    assert code in (0, 1) and data["unresolved"] == [], data["unresolved"]
    assert data["input"]["medications"] == [typed]
    assert [m["id"] for m in data["resolved"]["medications"]] == [entry]


def test_a_name_of_the_other_kind_says_where_it_belongs() -> None:
    # prescribed folic acid is typed as a medication, Plaquenil as a supplement: never moved
    # silently, but the reason says how to give it
    code, data = run_json("check", "-s", "Plaquenil", "-m", "folic acid 1 mg", "-m", "zinx")
    assert code == 3
    reasons = {u["input"]: u["reason"] for u in data["unresolved"]}
    assert reasons == {
        "Plaquenil": "unknown supplement (Hydroxychloroquine is a medication: give it with -m)",
        "folic acid 1 mg": "unknown medication (Folic acid is a supplement: give it with -s)",
        "zinx": "unknown medication",
    }
