"""The report as plain JSON-ready data: the one shape behind --format json, batch and the API.

Adding a field is compatible; renaming or removing one bumps SCHEMA_VERSION (docs/json-report.md).
"""

from __future__ import annotations

from typing import Any

from suppcheck.model import (
    Coverage,
    Dose,
    Finding,
    NutrientTotal,
    Report,
    Resolved,
    Severity,
    Source,
    UpperLimit,
)
from suppcheck.report import wording

SCHEMA_VERSION = "1"


def report_to_dict(report: Report, *, include_findings: bool = True) -> dict[str, Any]:
    """The report as JSON-ready data (`include_findings=False` leaves `findings` empty)."""
    profile = report.profile
    counts = wording.severity_counts(report)
    shown = wording.shown_counts(report)
    highest = report.highest_severity
    return {
        "schema_version": SCHEMA_VERSION,
        "input": {
            "conditions": list(profile.raw_conditions),
            "supplements": list(profile.raw_supplements),
            "medications": list(profile.raw_medications),
            "active": profile.active,
            "saved_profile_used": profile.from_saved_profile,
            "age": profile.age,
            "sex": profile.sex,
            "pregnant": profile.pregnant,
            "breastfeeding": profile.breastfeeding,
        },
        "resolved": {
            "conditions": [_named(r) for r in profile.conditions],
            "supplements": [_named(r, dose=_dose(r.dose)) for r in profile.supplements],
            "medications": [_named(r) for r in profile.medications],
        },
        "unresolved": [
            {
                "input": u.input,
                "kind": u.kind.value,
                "reason": u.reason,
                "suggestions": list(u.suggestions),
            }
            for u in profile.unresolved
        ],
        "findings": [finding_data(f) for f in report.findings] if include_findings else [],
        "supplement_status": [
            {"input": s.supplement.input, "id": s.supplement.id, "status": s.coverage.value}
            for s in report.statuses
        ],
        "not_covered": sorted(
            {s.supplement.id for s in report.statuses if s.coverage is Coverage.NOT_COVERED}
        ),
        "totals": [_total(t) for t in report.totals],
        "limits_for": wording.limits_for(profile),
        "not_added": list(report.not_added),
        "notes": list(report.notes),
        "rule_base": {
            "version": report.rule_base.version,
            "reviewed": report.rule_base.reviewed,
            "rules": report.rule_count,
            "files": list(report.rule_base.files),
            "replaced": list(report.rule_base.replaced),
        },
        "summary": {
            "highest_severity": highest.value if highest else None,
            "counts": {s.value: counts[s] for s in Severity},
            "grouped_counts": {s.value: shown[s] for s in Severity},
            "fully_understood": report.fully_understood,
            "headline": wording.headline(report, shown),
        },
        "disclaimer": wording.DISCLAIMER,
        "clinician_prompt": wording.CLINICIAN_PROMPT,
        "absence_note": wording.ABSENCE_IS_NOT_SAFETY,
    }


def _dose(dose: Dose | None) -> dict[str, Any] | None:
    if dose is None:
        return None
    return {"amount": dose.amount, "unit": dose.unit, "per": "day", "arithmetic": dose.arithmetic}


def _named(item: Resolved, **more: Any) -> dict[str, Any]:
    named: dict[str, Any] = {"input": item.input, "id": item.id, "name": item.name, **more}
    if item.confirmed:  # only then: every other report stays as it was (docs/json-report.md)
        named["confirmed"] = True
    return named


def source_data(source: Source) -> dict[str, Any]:
    return {"title": source.title, "url": source.url}


def upper_limit_data(limit: UpperLimit | None) -> dict[str, Any] | None:
    if limit is None:
        return None
    return {
        "amount": limit.amount,
        "unit": limit.unit,
        "population": limit.population,
        "applies_to": limit.applies_to,
        "basis": limit.basis,
        "caveat": limit.caveat,
        "source": source_data(limit.source),
    }


def finding_data(finding: Finding) -> dict[str, Any]:
    rule = finding.rule
    return {
        "rule_id": rule.id,
        "title": rule.title,
        "severity": rule.severity.value,
        "evidence": rule.evidence.value,
        "mechanism": rule.mechanism,
        "supplements": list(finding.supplements),
        "conditions": list(finding.conditions),
        "medications": list(finding.medications),
        "because": list(finding.because),
        "rationale": rule.rationale,
        "advice": rule.advice,
        "ask": list(rule.ask),
        "sources": [source_data(s) for s in rule.sources],
        "reviewed": rule.reviewed,
        # The rule's group (or null): findings of one group with the same supplements,
        # conditions and medications are one point, shown as one finding in text formats.
        "group": rule.group,
    }


def _total(total: NutrientTotal) -> dict[str, Any]:
    limit = total.upper_limit
    return {
        "nutrient": total.nutrient,
        "unit": total.unit,
        "total": total.total,
        "products": [
            {"name": share.name, "amount": share.amount, "input": share.input}
            for share in total.products
        ],
        "without_dose": list(total.without_dose),
        "upper_limit": upper_limit_data(limit),
        "over_limit": total.over_limit,
    }
