"""The console script exits normally: profilers, coverage tools and exit handlers see the end.

(It once ended with os._exit, which silenced `python -m cProfile -m suppcheck`, skipped atexit
handlers and so lost coverage data of subprocesses.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHECK = ["check", "-c", "lupus", "-s", "melatonin", "--format", "json"]


def run_python(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_cprofile_prints_its_statistics(isolated_environment: Path) -> None:
    done = run_python("-m", "cProfile", "-s", "cumulative", "-m", "suppcheck", *CHECK)
    assert done.returncode == 0, done.stderr  # cProfile ends with 0 whatever the program's status
    assert '"disclaimer"' in done.stdout and "function calls" in done.stdout
    assert "entry_point" in done.stdout and done.stderr == ""


def test_exit_handlers_run_and_the_status_is_kept(isolated_environment: Path) -> None:
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('exit handler ran', file=sys.stderr))\n"
        f"sys.argv = ['suppcheck', *{CHECK!r}]\n"
        "from suppcheck.cli.main import entry_point\n"
        "entry_point()\n"
    )
    done = run_python("-c", script)
    assert done.returncode == 1 and done.stderr == "exit handler ran\n"
    assert '"disclaimer"' in done.stdout


def test_a_tracing_tool_writes_its_results(isolated_environment: Path, tmp_path: Path) -> None:
    """`trace --count` works as coverage does: sys.settrace, then results written at the end."""
    done = run_python(
        "-m", "trace", "--count", "--missing", "--coverdir", str(tmp_path / "cover"),
        "--module", "suppcheck", *CHECK,
    )  # fmt: skip
    assert done.returncode == 0 and '"disclaimer"' in done.stdout, done.stderr  # trace: always 0
    assert (tmp_path / "cover" / "suppcheck.cli.main.cover").is_file()
