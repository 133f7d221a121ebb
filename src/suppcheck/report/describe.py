"""The rule base described for people and scripts: `when` in plain words, entries and rules as data.

`show`, `explain`, `list` and the generated catalogue (docs/rules.md) all describe the rule base
from the plain dicts built here, so the text, the JSON and the docs cannot drift apart. Nothing
here prints, reads files or imports rich or yaml.
"""

from __future__ import annotations

from typing import Any

from suppcheck.model import (
    EVIDENCE_MEANING,
    SEVERITY_MEANING,
    Entry,
    ExampleProfile,
    Kind,
    Nutrient,
    Rule,
    Source,
)
from suppcheck.report.data import source_data, upper_limit_data

# `when` in plain words and as data: each test says itself (rules/language); re-exported here,
# where show, explain and the catalogue look for descriptions.
from suppcheck.rules.language import limit_phrase as limit_phrase
from suppcheck.rules.language import when_data as when_data
from suppcheck.rules.language import when_text as when_text
from suppcheck.rules.rulebase import RuleBase

# How a kind's parents and descendants are named in `show` and the catalogue.
PARENT_LABEL = {
    Kind.CONDITION: "a kind of",
    Kind.SUPPLEMENT: "a form of",
    Kind.MEDICATION: "in the class",
}
DESCENDANT_LABEL = {Kind.CONDITION: "kinds", Kind.SUPPLEMENT: "forms", Kind.MEDICATION: "members"}


# --- entries and rules as data ---------------------------------------------------------------


def nutrient_data(nutrient: Nutrient, declared_by: str) -> dict[str, Any]:
    return {
        "declared_by": declared_by,
        "measure": nutrient.measure,
        "unit": nutrient.unit,
        "conversions": [{"unit": c.unit, "factor": c.factor} for c in nutrient.conversions],
        "upper_limit": upper_limit_data(nutrient.upper_limit),
    }


def rule_summary(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "severity": rule.severity.value,
        "evidence": rule.evidence.value,
        "mechanism": rule.mechanism,
        "title": rule.title,
        "status": "retired" if rule.retired else "active",
    }


def list_item(base: RuleBase, kind: Kind, entry: Entry) -> dict[str, Any]:
    """One row of `suppcheck list conditions|supplements|medications`."""
    item: dict[str, Any] = {
        "id": entry.id,
        "name": entry.name,
        "aliases": list(entry.aliases),
        "parents": list(entry.parents),
    }
    if kind is Kind.SUPPLEMENT:
        item["properties"] = list(base.properties_of(entry.id))
        declared = base.nutrient_of(entry.id)
        nutrient = declared.nutrient if declared is not None else None
        item["upper_limit"] = upper_limit_data(nutrient.upper_limit if nutrient else None)
    return item


def entry_data(base: RuleBase, kind: Kind, entry_id: str) -> dict[str, Any]:
    """Everything the rule base knows about one entry (`suppcheck show`)."""
    entry = base.entry(kind, entry_id)
    data: dict[str, Any] = {
        "kind": kind.value,
        "id": entry.id,
        "name": entry.name,
        "description": entry.description,
        "aliases": list(entry.aliases),
        "parents": [_ref(base, kind, p) for p in entry.parents],
        "ancestors": [_ref(base, kind, a) for a in base.lineage(kind, entry.id)[1:]],
        "descendants": [_ref(base, kind, d) for d in base.descendants(kind, entry.id)],
    }
    if kind is Kind.SUPPLEMENT:
        data["properties"] = list(base.properties_of(entry.id))
        declared = base.nutrient_of(entry.id)
        data["nutrient"] = (
            nutrient_data(declared.nutrient, declared.id)
            if declared is not None and declared.nutrient is not None
            else None
        )
        fraction = entry.elemental_fraction
        data["elemental_fraction"] = (
            {
                "value": fraction.value,
                "typed_as": fraction.typed_as,
                "source": source_data(fraction.source),
            }
            if fraction is not None
            else None
        )
        data["contents"] = (
            {
                "per": entry.contents.per,
                "amounts": [
                    {**_ref(base, kind, a.supplement), "amount": a.amount, "unit": a.unit}
                    for a in entry.contents.amounts
                ],
                "source": source_data(entry.contents.source),
            }
            if entry.contents is not None
            else None
        )
        caution = entry.no_known_caution
        data["no_known_caution"] = (
            {"note": caution.note, "sources": [source_data(s) for s in caution.sources]}
            if caution is not None
            else None
        )
    data["rules"] = [rule_summary(rule) for rule in base.rules_involving(kind, entry.id)]
    return data


def _ref(base: RuleBase, kind: Kind, entry_id: str) -> dict[str, str]:
    return {"id": entry_id, "name": base.entry(kind, entry_id).name}


def example_data(example: ExampleProfile) -> dict[str, Any]:
    return {
        "conditions": list(example.conditions),
        "supplements": list(example.supplements),
        "medications": list(example.medications),
        "active": example.active,
        # The life stage only where an example gives one: the others read as before.
        **{key: getattr(example, key) for key in _LIFE_STAGE if getattr(example, key)},
    }


_LIFE_STAGE = ("age", "sex", "pregnant", "breastfeeding")


def rule_data(base: RuleBase | None, rule: Rule) -> dict[str, Any]:
    """One rule in full (`suppcheck explain`)."""
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity.value,
        "severity_meaning": SEVERITY_MEANING[rule.severity],
        "evidence": rule.evidence.value,
        "evidence_meaning": EVIDENCE_MEANING[rule.evidence],
        "mechanism": rule.mechanism,
        "when": when_data(rule.when),
        "when_text": when_text(rule.when, base),
        "rationale": rule.rationale,
        "advice": rule.advice,
        "ask": list(rule.ask),
        "sources": [source_data(s) for s in rule.sources],
        "reviewed": rule.reviewed,
        "examples": {
            "fires": [example_data(e) for e in rule.fires],
            "silent": [example_data(e) for e in rule.silent],
        },
        "defined_at": rule.origin,
        "status": "retired" if rule.retired else "active",
        "group": rule.group,
        "action": rule.action.value if rule.action else None,
        "separate_hours": rule.separate_hours,
        "review_note": rule.review_note,
        "source_details": [source_detail(s) for s in rule.sources],
    }


def source_detail(source: Source) -> dict[str, Any]:
    """A source with its evidence level, locator and identifiers (explain, the catalogue)."""
    return {
        **source_data(source),
        "evidence": source.evidence.value if source.evidence else None,
        "locator": source.locator,
        "pmid": source.pmid,
        "doi": source.doi,
    }


def example_text(example: dict[str, Any]) -> str:
    """For example: conditions: lupus; supplements: melatonin (an empty profile says so)."""
    parts = [
        f"{key}: {', '.join(example[key])}"
        for key in ("conditions", "supplements", "medications")
        if example[key]
    ]
    if example["active"]:
        parts.append("disease active")
    return "; ".join(parts) or "nothing at all"
