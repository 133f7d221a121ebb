"""The only module that knows where suppcheck keeps files (platformdirs locations).

Folders are created only when something is written into them.

Every check reads the saved profile, the user's rule folder and the cache, so the locations are
needed on every run. On Linux with the usual XDG settings they are computed here directly,
exactly as platformdirs computes them (a test compares the two), because importing platformdirs
costs a few milliseconds at every start and every TAB press; anything else asks platformdirs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "suppcheck"
_XDG_DEFAULTS = {
    "XDG_CONFIG_HOME": "~/.config",
    "XDG_CACHE_HOME": "~/.cache",
    "XDG_DATA_HOME": "~/.local/share",
}


def _linux_xdg(variable: str) -> Path | None:
    if not sys.platform.startswith("linux"):
        return None
    value = os.environ.get(variable, "").strip()
    if value and not os.path.isabs(value):
        return None  # an unusual setting: let platformdirs decide what it means
    base = value or os.path.expanduser(_XDG_DEFAULTS[variable])
    return Path(base) / APP


def config_dir() -> Path:
    fast = _linux_xdg("XDG_CONFIG_HOME")
    if fast is not None:
        return fast
    import platformdirs

    return platformdirs.user_config_path(APP, appauthor=False)


def cache_dir() -> Path:
    fast = _linux_xdg("XDG_CACHE_HOME")
    if fast is not None:
        return fast
    import platformdirs

    return platformdirs.user_cache_path(APP, appauthor=False)


def data_dir() -> Path:
    fast = _linux_xdg("XDG_DATA_HOME")
    if fast is not None:
        return fast
    import platformdirs

    return platformdirs.user_data_path(APP, appauthor=False)


def last_checks_dir() -> Path:
    """Where `check --since-last` keeps the last report of each regimen (health data: kept
    with the user's data, not in the cache a cleaner may empty)."""
    return data_dir() / "last-checks"


def profile_path() -> Path:
    return config_dir() / "profile.yaml"


def user_rules_dir() -> Path:
    return config_dir() / "rules.d"


def user_rule_files() -> list[Path]:
    """`rules.d/*.yaml` in the user's config directory, in name order (none if it is absent)."""
    folder = user_rules_dir()
    if not folder.is_dir():  # the usual case; globbing would compile a pattern for nothing
        return []
    try:
        return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    except OSError:
        return []
