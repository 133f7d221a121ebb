"""Every test runs with its own HOME and XDG folders, no colour variables and a fixed width,
so no test reads the developer's own profile, rules or cache."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    for name in ("NO_COLOR", "FORCE_COLOR", "SUPPCHECK_DEBUG", "TERM", "COLORTERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    # the date printed reports carry (2026-09-21), so that transcripts do not change daily
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    for name in ("PAGER", "SUPPCHECK_PAGER", "LESS"):
        monkeypatch.delenv(name, raising=False)
    return home
