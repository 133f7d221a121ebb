"""The real thing: build the wheel, install it into a fresh virtual environment, run it elsewhere.

This is what users run, so it is tested as such: the rule base must ship inside the wheel and
the console script must work from any directory, not only from the source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # builds a wheel and a virtual environment; CI runs it (.ci/run)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        timeout=300,
    )
    wheels = list(dist.glob("suppcheck-*.whl"))
    assert len(wheels) == 1
    with zipfile.ZipFile(wheels[0]) as archive:
        assert "suppcheck/data/rules.yaml" in archive.namelist()
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheels[0])],
        check=True,
        timeout=600,
    )
    return env_dir


def run_installed(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR", "FORCE_COLOR")
    }
    return subprocess.run(
        [str(env_dir / "bin" / "suppcheck"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_installed_wheel_runs_the_card_example_from_anywhere(
    installed: Path, tmp_path: Path
) -> None:
    result = run_installed(
        installed, "check", "--condition", "lupus", "--supplement", "melatonin", cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    assert "Melatonin may stimulate" in result.stdout
    assert "Traceback" not in result.stderr


def test_installed_wheel_json_and_module_entry_point(installed: Path, tmp_path: Path) -> None:
    result = run_installed(
        installed, "check", "-c", "lupus", "-s", "zinc 50 mg", "--format", "json", cwd=tmp_path
    )
    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert data["rule_base"]["files"] == ["rules.yaml"]
    assert "zinc-total-above-upper-limit" in [f["rule_id"] for f in data["findings"]]
    module = subprocess.run(
        [str(installed / "bin" / "python"), "-m", "suppcheck", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert module.returncode == 0 and module.stdout.startswith("suppcheck ")
