"""The Python API: the same report as `suppcheck check --format json`, as a dict."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from suppcheck.check import run_check
from suppcheck.loader import load
from suppcheck.regimen import Regimen
from suppcheck.report.data import report_to_dict


def check(
    conditions: Iterable[str] = (),
    supplements: Iterable[str] = (),
    medications: Iterable[str] = (),
    *,
    active: bool = False,
    rules: Sequence[str | Path] = (),
) -> dict[str, Any]:
    """Check a regimen against the shipped rule base (plus `rules` files).

    Raises suppcheck.errors.RuleFileError for a broken rule file. Never reads the saved profile:
    a program passes everything it wants checked.
    """
    base = load([Path(p) for p in rules])
    regimen = Regimen(list(conditions), list(supplements), list(medications), active)
    return report_to_dict(run_check(base, regimen))
