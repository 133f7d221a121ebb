"""The Linux fast path for file locations gives exactly what platformdirs gives."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from suppcheck import paths


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fast path is Linux only")
@pytest.mark.parametrize("setting", [None, "", "   ", "/tmp/xdg-elsewhere", "relative/dir"])
def test_locations_match_platformdirs(
    setting: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        if setting is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, setting)
    assert paths.config_dir() == platformdirs.user_config_path("suppcheck", appauthor=False)
    assert paths.cache_dir() == platformdirs.user_cache_path("suppcheck", appauthor=False)
    assert paths.data_dir() == platformdirs.user_data_path("suppcheck", appauthor=False)
    assert paths.profile_path().parent == paths.config_dir()


def test_fast_path_does_not_import_platformdirs(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import sys; from suppcheck import paths; paths.config_dir(); paths.cache_dir(); "
        "paths.data_dir(); "
        "print('platformdirs' in sys.modules)"
    )
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == ("False" if sys.platform.startswith("linux") else "True")
