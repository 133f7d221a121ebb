"""One check from typed input to report: name resolution, then evaluation.

Shared by `suppcheck check`, `suppcheck batch`, rule examples and the Python API so they cannot
drift apart. Pure: the caller reads files (a regimen, the saved profile) and passes what it read.
"""

from __future__ import annotations

from collections.abc import Mapping

from suppcheck.engine import evaluate, resolve
from suppcheck.inputs.regimen import Regimen
from suppcheck.model import Kind, Report
from suppcheck.rules.rulebase import RuleBase


def run_check(
    base: RuleBase,
    regimen: Regimen,
    *,
    saved: Regimen | None = None,
    confirmed: Mapping[Kind, Mapping[str, str]] | None = None,
) -> Report:
    """Evaluate `regimen`, plus the conditions, medications and activity of a saved profile;
    `confirmed`: names the person confirmed at a prompt (resolve.resolve_profile)."""
    from_saved = saved is not None and bool(
        saved.conditions or saved.medications or saved.active or saved.has_life_stage
    )
    if saved is not None and from_saved:
        regimen = regimen.extend(saved)
    profile = resolve.resolve_profile(
        base.vocabularies(),
        conditions=regimen.conditions,
        supplements=regimen.supplements,
        medications=regimen.medications,
        active=regimen.active,
        from_saved_profile=from_saved,
        age=regimen.age,
        sex=regimen.sex,
        pregnant=regimen.pregnant,
        breastfeeding=regimen.breastfeeding,
        memo=base.memo.setdefault("names.resolved", {}),  # type: ignore[arg-type]
        confirmed=confirmed,
    )
    return evaluate.evaluate(base, profile)
