"""Every test runs with its own HOME and XDG folders, no colour variables and a fixed width,
so no test reads the developer's own profile, rules or cache.

Each test's cache folder starts with the shipped rule base already parsed (built once per run
by `warm_rule_cache`), as a user's would after the first check: parsing the YAML costs about a
second, and most tests run a check. A test about the cache itself, or that needs the cache
folder absent, is marked `cold_cache` and starts empty.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def warm_rule_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The cache folder holding the shipped rule base, parsed once for the whole run."""
    home = tmp_path_factory.mktemp("warm-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_CONFIG_HOME", str(home / ".config"))  # no user rule files
        patch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
        from suppcheck.rules import cache

        cache.load()
    folder = home / ".cache" / "suppcheck"
    assert list(folder.glob("rules-*.bin")), "the warm cache was not written"
    yield folder


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    warm_rule_cache: Path,
) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    if request.node.get_closest_marker("cold_cache") is None:
        # a copy, not a link: a test may damage or replace its cache files
        shutil.copytree(warm_rule_cache, home / ".cache" / "suppcheck")
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
