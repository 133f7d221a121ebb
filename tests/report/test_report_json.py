"""The fast compact JSON of batch is exactly the encoding of report_to_dict."""

from __future__ import annotations

import json
import random

from suppcheck.engine import resolve as names
from suppcheck.engine.evaluate import evaluate
from suppcheck.model import Kind
from suppcheck.printable import json_text
from suppcheck.report.data import report_to_dict
from suppcheck.report.jsonline import report_to_json
from suppcheck.rules import loader

BASE = loader.load()
# What the generic encoder writes for the same data: the fast line must be exactly this.
ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def random_profiles(count: int) -> list[dict[str, object]]:
    rng = random.Random(7)
    conditions = sorted(BASE.entries[Kind.CONDITION])
    supplements = [e.name for e in BASE.entries[Kind.SUPPLEMENT].values()]
    medications = sorted(BASE.entries[Kind.MEDICATION])
    doses = ["", " 5 mg", " 50 mg", " 400 mcg", " 2000 IU", " 10 billion CFU", " 9 tablets"]
    return [
        {
            "conditions": rng.sample(conditions, rng.randint(0, 2))
            + ["not a condition"][: rng.randint(0, 1)],
            "supplements": [
                s + rng.choice(doses) for s in rng.sample(supplements, rng.randint(1, 4))
            ],
            "medications": rng.sample(medications, rng.randint(0, 2)),
            "active": rng.random() < 0.3,
        }
        for _ in range(count)
    ]


def test_compact_json_equals_the_report_data() -> None:
    for profile in random_profiles(300):
        resolved = names.resolve_profile(BASE.vocabularies(), **profile)  # type: ignore[arg-type]
        report = evaluate(BASE, resolved)
        line = report_to_json(report, first={"id": "x"})
        assert "\n" not in line
        # printable: what batch writes, the same JSON value (json_text)
        assert line == json_text(ENCODE({"id": "x", **report_to_dict(report)}))


def test_user_text_cannot_forge_the_findings_key() -> None:
    tricky = 'zinc "findings":[] 50 mg'
    resolved = names.resolve_profile(
        BASE.vocabularies(), conditions=["lupus"], supplements=[tricky, "melatonin"]
    )
    report = evaluate(BASE, resolved)
    data = json.loads(report_to_json(report))
    assert data == report_to_dict(report)
    assert data["input"]["supplements"][0] == tricky and data["findings"]


def test_text_that_is_not_printable_is_escaped_in_every_piece() -> None:
    # Typed text (an unknown name) and a cached piece (a resolved name's input) both carry it.
    typed = ["zinc \u202e 50 mg", "not a supplement \x7f"]
    resolved = names.resolve_profile(BASE.vocabularies(), conditions=["lupus"], supplements=typed)
    report = evaluate(BASE, resolved)
    line = report_to_json(report, first={"id": "\u202e"})
    assert "\u202e" not in line and "\x7f" not in line
    assert line.count("\\u202e") >= 3 and "\\u007f" in line
    assert line == json_text(ENCODE({"id": "\u202e", **report_to_dict(report)}))
    assert json.loads(line) == {"id": "\u202e", **report_to_dict(report)}
