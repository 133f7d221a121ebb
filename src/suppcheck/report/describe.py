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
    AllOf,
    AnyOf,
    DiseaseActive,
    Entry,
    ExampleProfile,
    HasCondition,
    HasProperty,
    Kind,
    NotOf,
    Nutrient,
    Rule,
    StrainNamed,
    TakesMedication,
    TakesSupplement,
    TotalAbove,
    UpperLimit,
    When,
    format_amount,
)
from suppcheck.report.data import source_data, upper_limit_data
from suppcheck.rules.rulebase import RuleBase

# How a kind's parents and descendants are named in `show` and the catalogue.
PARENT_LABEL = {
    Kind.CONDITION: "a kind of",
    Kind.SUPPLEMENT: "a form of",
    Kind.MEDICATION: "in the class",
}
DESCENDANT_LABEL = {Kind.CONDITION: "kinds", Kind.SUPPLEMENT: "forms", Kind.MEDICATION: "members"}


# --- `when` in plain words -------------------------------------------------------------------


class _Words:
    """Names entries through `base` when given; without one (a file checked alone), by id."""

    def __init__(self, base: RuleBase | None) -> None:
        self.base = base

    def name(self, kind: Kind, entry_id: str) -> str:
        entry = self._entry(kind, entry_id)
        return entry.name if entry is not None else entry_id

    def _entry(self, kind: Kind, entry_id: str) -> Entry | None:
        if self.base is None:
            return None
        return self.base.entries[kind].get(entry_id)

    def is_class(self, kind: Kind, entry_id: str) -> bool:
        """Whether other entries sit under this one (unknown without a base: assume so)."""
        if self.base is None or entry_id not in self.base.entries[kind]:
            return True
        return bool(self.base.descendants(kind, entry_id))

    def atom(self, when: When, negated: bool) -> str:
        if isinstance(when, HasCondition):
            name = self.name(Kind.CONDITION, when.id)
            return (
                f"has neither {name} nor a kind of it"
                if negated
                else f"has {name} (or a kind of it)"
            )
        if isinstance(when, TakesSupplement):
            name = self.name(Kind.SUPPLEMENT, when.id)
            return (
                f"takes neither {name} nor a form of it"
                if negated
                else f"takes {name} (or a form of it)"
            )
        if isinstance(when, TakesMedication):
            return self.medication(when.id, negated)
        if isinstance(when, HasProperty):
            if negated:
                return f"takes no supplement with the property {when.property}"
            return f"takes a supplement with the property {when.property}"
        if isinstance(when, TotalAbove):
            return ("does not take " if negated else "takes ") + self.total(when)
        if isinstance(when, DiseaseActive):
            active = when.active != negated
            return (
                "the disease is currently active or flaring"
                if active
                else "the disease is not currently active"
            )
        if isinstance(when, StrainNamed):
            named = when.named != negated
            if named:
                return "a strain-specific supplement is given with its strain named"
            return "a strain-specific supplement is given without naming its strain"
        raise TypeError(f"not an atom: {when!r}")  # pragma: no cover - the loader builds only these

    def medication(self, entry_id: str, negated: bool) -> str:
        name = self.name(Kind.MEDICATION, entry_id)
        if self.is_class(Kind.MEDICATION, entry_id):
            if negated:
                return f"takes neither {name} nor a medication in that class"
            return f"takes {name} (or a medication in that class)"
        return f"does not take {name}" if negated else f"takes {name}"

    def total(self, when: TotalAbove) -> str:
        entry = self._entry(Kind.SUPPLEMENT, when.nutrient)
        nutrient = entry.nutrient if entry is not None else None
        measure = nutrient.measure if nutrient is not None else when.nutrient
        if when.amount is not None:
            amount = f"{format_amount(when.amount)} {when.unit}"
            return f"more than {amount} of {measure} a day, all products added up"
        limit = nutrient.upper_limit if nutrient is not None else None
        text = f"more than the upper limit of {measure} a day, all products added up"
        return f"{text} (the limit: {limit_phrase(limit)})" if limit is not None else text


def when_text(when: When, base: RuleBase | None = None) -> str:
    """`{all: [{supplement: melatonin}, {condition: autoimmune}]}` ->
    "takes Melatonin (or a form of it) AND has Autoimmune disease (or a kind of it)"."""
    return _phrase(when, _Words(base), nested=False)


def _phrase(when: When, words: _Words, *, nested: bool) -> str:
    if isinstance(when, AllOf | AnyOf):
        joiner = " AND " if isinstance(when, AllOf) else " OR "
        text = joiner.join(_phrase(item, words, nested=True) for item in when.items)
        return f"({text})" if nested and len(when.items) > 1 else text
    if isinstance(when, NotOf):
        if isinstance(when.item, AllOf | AnyOf | NotOf):
            return f"NOT ({_phrase(when.item, words, nested=False)})"
        return words.atom(when.item, negated=True)
    return words.atom(when, negated=False)


def when_data(when: When) -> Any:
    """The `when` as it is written in a rule file (for JSON output)."""
    if isinstance(when, AllOf):
        return {"all": [when_data(item) for item in when.items]}
    if isinstance(when, AnyOf):
        return {"any": [when_data(item) for item in when.items]}
    if isinstance(when, NotOf):
        return {"not": when_data(when.item)}
    if isinstance(when, HasCondition):
        return {"condition": when.id}
    if isinstance(when, TakesSupplement):
        return {"supplement": when.id}
    if isinstance(when, TakesMedication):
        return {"medication": when.id}
    if isinstance(when, HasProperty):
        return {"property": when.property}
    if isinstance(when, DiseaseActive):
        return {"active": when.active}
    if isinstance(when, StrainNamed):
        return {"strain": "named" if when.named else "unnamed"}
    above: Any = (
        "upper_limit" if when.amount is None else {"amount": when.amount, "unit": when.unit}
    )
    return {"total": {"nutrient": when.nutrient, "above": above}}


def limit_phrase(limit: UpperLimit) -> str:
    """For example: 40 mg a day for adults 19 years and older, food and supplements together."""
    scope = "food and supplements together" if limit.applies_to == "total" else "from supplements"
    return f"{format_amount(limit.amount)} {limit.unit} a day for {limit.population}, {scope}"


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
    }


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
