"""The Python API: the same report as `suppcheck check --format json`, as a dict.

Documented in docs/api.md. The rule base is read through the parsed-rule-base cache
(suppcheck.rules.cache), so a call costs milliseconds, not a YAML parse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def check(
    conditions: Iterable[str] = (),
    supplements: Iterable[str] = (),
    medications: Iterable[str] = (),
    *,
    active: bool = False,
    rules: Sequence[str | Path] = (),
) -> dict[str, Any]:
    """Check a regimen against the shipped rule base (plus `rules` files).

    Returns the report of `suppcheck check --format json` as a dict (docs/json-report.md).
    Raises suppcheck.errors.RuleFileError for a broken rule file. Reads neither the saved profile
    nor the user's rules.d folder: a program passes everything it wants checked.
    """
    from suppcheck.engine.pipeline import run_check
    from suppcheck.inputs.regimen import Regimen
    from suppcheck.report.data import report_to_dict
    from suppcheck.rules import cache

    base = cache.load([Path(p) for p in rules])
    regimen = Regimen(list(conditions), list(supplements), list(medications), active)
    return report_to_dict(run_check(base, regimen))
