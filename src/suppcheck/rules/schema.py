"""The JSON Schema (draft 2020-12) of rule files, built from the loader's own key lists and enums.

Editors use it to check and complete rule files as they are typed (the `$schema` line at the top
of data/rules.yaml); `suppcheck rules schema` prints it and docs/rule-schema.json is a generated
copy. It mirrors what loader.py accepts for one file on its own. What only the merged rule base
can tell (a parent or a rule's condition that is not defined, duplicate ids, examples that do not
behave) is for `suppcheck rules validate`.
"""

from __future__ import annotations

import json
from typing import Any

from suppcheck import units
from suppcheck.model import (
    ACTION_MEANING,
    EVIDENCE_MEANING,
    SEVERITY_MEANING,
    Action,
    Evidence,
    Severity,
)
from suppcheck.rules import language, loader
from suppcheck.rules.language import list_of as _list_of
from suppcheck.rules.language import ref as _ref
from suppcheck.rules.language import strict as _strict

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _stripped(pattern: str) -> str:
    """The loader strips text before matching a pattern: allow the same surrounding space."""
    return "^\\s*" + pattern.removeprefix("^").removesuffix("$") + "\\s*$"


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _choices(meanings: dict[str, str], what: str) -> dict[str, Any]:
    lines = "; ".join(f"{value}: {meaning}" for value, meaning in meanings.items())
    return {"enum": list(meanings), "description": f"{what} ({lines})"}


def _defs() -> dict[str, Any]:
    unit = {"enum": list(units.UNITS)}
    entry_common = {
        "id": {**_ref("id"), "description": "Stable kebab-case id."},
        "name": {**_ref("text"), "description": "Display name."},
        "aliases": {
            **_ref("text_list"),
            "description": "What people type; case, accents, spaces and punctuation do not matter.",
        },
        "parents": {
            **_ref("text_list"),
            "description": "Ids of broader entries of the same kind; a rule on a parent reaches "
            "every descendant.",
        },
        "description": _or_null(_ref("text")),
    }
    return {
        "text": {"type": ["string", "number"], "pattern": "\\S", "description": "Non-empty text."},
        "text_list": _list_of(_ref("text"), nullable=True),
        "id": {"type": "string", "pattern": _stripped(loader.ID_PATTERN.pattern)},
        "date": {
            "type": "string",
            "pattern": _stripped(loader.DATE_PATTERN.pattern.replace("\\d", "[0-9]")),
            "description": "A date, YYYY-MM-DD.",
        },
        "positive_number": {"type": "number", "exclusiveMinimum": 0},
        "source": _strict(
            ["title"],
            {
                "title": {
                    **_ref("text"),
                    "description": "The source's title; a seed document is cited by its title.",
                },
                "url": _or_null({"type": "string", "pattern": "^\\s*https://"}),
                "evidence": {
                    **_choices(
                        {e.value: EVIDENCE_MEANING[e] for e in Evidence},
                        "How strong this source is for the claim",
                    )
                },
                "locator": {**_ref("text"), "description": "Section, table or page."},
                "pmid": {
                    "type": ["string", "integer"],
                    "pattern": loader.PMID_PATTERN.pattern,
                    "description": "PubMed id.",
                },
                "doi": {"type": "string", "pattern": loader.DOI_PATTERN.pattern},
            },
        ),
        "sources": _list_of(_ref("source"), min_items=1),
        "entry": _strict(["id", "name"], entry_common),
        "supplement": _strict(
            ["id", "name"],
            {
                **entry_common,
                "properties": {
                    **_list_of(_ref("id"), nullable=True),
                    "description": "Kebab-case tags rules can test with {property: TAG}; forms "
                    "inherit their parents' properties.",
                },
                "nutrient": _or_null(_ref("nutrient")),
                "no_known_caution": _or_null(_ref("no_known_caution")),
                "contents": _or_null(_ref("contents")),
                "conversions": {
                    **_ref("conversions"),
                    "description": "This form's own unit conversions (IU of retinyl palmitate).",
                },
                "elemental_fraction": _strict(
                    ["value", "source", "typed_as"],
                    {
                        "value": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                        "source": _ref("source"),
                        "typed_as": {
                            "enum": ["salt", "elemental"],
                            "description": "How amounts of this form are usually written: the "
                            "salt's weight, or the elemental amount as Supplement Facts list it.",
                        },
                    },
                    description="The share of a salt's weight that is the nutrient.",
                ),
                "counts_toward_limit": {
                    "type": "boolean",
                    "description": "false: this form's amount is not compared with the "
                    "nutrient's upper limit (beta-carotene and preformed vitamin A).",
                },
                "typical_contents": _strict(
                    ["nutrients", "source"],
                    {"nutrients": _list_of(_ref("id"), min_items=1), "source": _ref("source")},
                    description="For a product whose contents vary: the nutrients such "
                    "products typically contain, whose label amounts the report asks for.",
                ),
            },
        ),
        "contents": _strict(
            ["amounts", "per", "source"],
            {
                "amounts": _list_of(
                    _strict(
                        ["supplement", "amount", "unit"],
                        {
                            "supplement": _ref("id"),
                            "amount": _ref("positive_number"),
                            "unit": unit,
                        },
                    ),
                    min_items=1,
                ),
                "per": {**_ref("text"), "description": "What the amounts are for."},
                "source": _ref("source"),
            },
        ),
        "nutrient": _strict(
            ["measure", "unit"],
            {
                "measure": {**_ref("text"), "description": "What the labelled amount counts."},
                "unit": {**unit, "description": "The canonical unit amounts are added in."},
                "conversions": _ref("conversions"),
                "upper_limit": _or_null(_ref("upper_limit")),
                "upper_limits": _list_of(
                    _strict(
                        ["group", "amount", "unit", "source"],
                        {
                            "group": {"enum": list(loader.LIFE_STAGE_GROUPS)},
                            "amount": _ref("positive_number"),
                            "unit": unit,
                            "source": _ref("source"),
                        },
                    ),
                    nullable=True,
                ),
            },
        ),
        "conversions": _list_of(
            _strict(
                ["unit", "factor"],
                {"unit": unit, "factor": _ref("positive_number"), "source": _ref("source")},
            ),
            nullable=True,
        ),
        "upper_limit": _strict(
            ["amount", "unit", "population", "applies_to", "basis", "source"],
            {
                "amount": _ref("positive_number"),
                "unit": unit,
                "population": _ref("text"),
                "applies_to": {
                    "enum": ["total", "supplements"],
                    "description": "total: food and supplements; supplements: supplemental "
                    "intake only.",
                },
                "basis": _ref("text"),
                "caveat": _or_null(_ref("text")),
                "source": _ref("source"),
            },
        ),
        "no_known_caution": _strict(
            ["note", "sources"], {"note": _ref("text"), "sources": _ref("sources")}
        ),
        "rule": _rule(),
        "when": language.when_schema(),
        "example": _strict(
            [],
            {
                "conditions": _ref("text_list"),
                "supplements": _ref("text_list"),
                "medications": _ref("text_list"),
                "active": {"type": "boolean"},
                "age": {"type": "integer", "minimum": 0, "maximum": 120},
                "sex": {"enum": ["female", "male"]},
                "pregnant": {"type": "boolean"},
                "breastfeeding": {"type": "boolean"},
            },
        ),
        "examples": _strict(
            ["fires", "silent"],
            {
                "fires": _list_of(_ref("example"), min_items=1),
                "silent": _list_of(_ref("example"), min_items=1),
            },
        ),
    }


def _rule() -> dict[str, Any]:
    severities = {s.value: SEVERITY_MEANING[s] for s in Severity}
    evidence = {e.value: EVIDENCE_MEANING[e] for e in Evidence}
    actions = {a.value: ACTION_MEANING[a] for a in Action}
    return _strict(
        list(loader.RULE_REQUIRED),
        {
            "action": _choices(actions, "What the person is asked to do (fits the severity)"),
            "separate_hours": {
                "type": "number",
                "exclusiveMinimum": 0,
                "maximum": 48,
                "description": "With action separate: the hours its source gives.",
            },
            "group": {
                **_ref("id"),
                "description": "Rules of one group that fire for the same inputs are shown as "
                "one finding, each rule's point a reason.",
            },
            "status": {
                "enum": list(loader.RULE_STATUSES),
                "description": "retired: kept for the record, never fires.",
            },
            "review_note": {
                **_ref("text"),
                "description": "Who reviewed the rule on `reviewed` and what they checked.",
            },
            "id": {**_ref("id"), "description": "Kebab-case, subject first, stable forever."},
            "title": {**_ref("text"), "description": "Worded no stronger than the source."},
            "mechanism": {"enum": list(loader.MECHANISMS)},
            "severity": _choices(severities, "How much it matters for this person"),
            "evidence": _choices(evidence, "How strong the support is"),
            "when": _ref("when"),
            "rationale": _ref("text"),
            "advice": _ref("text"),
            "ask": _list_of(_ref("text"), min_items=1),
            "sources": _ref("sources"),
            "reviewed": _ref("date"),
            "examples": _ref("examples"),
        },
    )


def rule_file_schema() -> dict[str, Any]:
    """The schema as a fresh dict."""
    sections = {
        "conditions": _list_of(_ref("entry"), nullable=True),
        "supplements": _list_of(_ref("supplement"), nullable=True),
        "medications": _list_of(_ref("entry"), nullable=True),
    }
    assert set(sections) == set(loader.SECTION_KINDS)
    top = {
        "$schema": {"description": "Where editors find this schema (not read by suppcheck)."},
        "version": _or_null(_ref("text")),
        "reviewed": _or_null(_ref("date")),
        "overrides": {
            **_ref("text_list"),
            "description": "Ids this file replaces on purpose (of entries or rules defined in "
            "an earlier file).",
        },
        "properties": {
            **_list_of(
                _strict(["id", "description"], {"id": _ref("id"), "description": _ref("text")}),
                nullable=True,
            ),
            "description": "The property tags supplements may carry, each with what it means.",
        },
        **sections,
        "rules": _list_of(_ref("rule"), nullable=True),
    }
    assert tuple(top) == loader.TOP_KEYS
    return {
        "$schema": DRAFT,
        "title": "suppcheck rule file",
        "description": "Conditions, supplements, medications and rules for suppcheck. See "
        "docs/rule-authoring.md.",
        # An empty file is a valid (empty) rule file.
        "type": ["object", "null"],
        "properties": top,
        "additionalProperties": False,
        "$defs": _defs(),
    }


def schema_json() -> str:
    """The schema as printed by `suppcheck rules schema` and stored in docs/rule-schema.json."""
    return json.dumps(rule_file_schema(), indent=2, ensure_ascii=False) + "\n"
