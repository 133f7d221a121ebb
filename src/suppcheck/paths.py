"""The only module that knows where suppcheck keeps files (platformdirs locations).

Folders are created only when something is written into them.
"""

from __future__ import annotations

from pathlib import Path

APP = "suppcheck"


def config_dir() -> Path:
    import platformdirs

    return platformdirs.user_config_path(APP, appauthor=False)


def cache_dir() -> Path:
    import platformdirs

    return platformdirs.user_cache_path(APP, appauthor=False)


def profile_path() -> Path:
    return config_dir() / "profile.yaml"


def user_rules_dir() -> Path:
    return config_dir() / "rules.d"
