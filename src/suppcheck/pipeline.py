"""One check from raw input to report: saved profile, name resolution, evaluation.

Shared by `suppcheck check`, `suppcheck batch` and the Python API so they cannot drift apart.
"""

from __future__ import annotations

from suppcheck import engine, names
from suppcheck.model import Report
from suppcheck.regimen import Regimen
from suppcheck.rulebase import RuleBase


def run_check(base: RuleBase, regimen: Regimen, *, use_saved_profile: bool = False) -> Report:
    """Evaluate `regimen` (plus the saved profile when asked); ProfileError if it is damaged."""
    from_saved = False
    if use_saved_profile:
        from suppcheck.profile import load_saved

        saved = load_saved()
        if saved is not None and (saved.conditions or saved.medications or saved.active):
            regimen = regimen.extend(saved)
            from_saved = True
    profile = names.resolve_profile(
        base.vocabularies(),
        conditions=regimen.conditions,
        supplements=regimen.supplements,
        medications=regimen.medications,
        active=regimen.active,
        from_saved_profile=from_saved,
        memo=base.memo.setdefault("names.resolved", {}),  # type: ignore[arg-type]
    )
    return engine.evaluate(base, profile)
