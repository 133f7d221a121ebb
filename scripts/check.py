"""Run every check the project holds itself to: ruff lint, ruff format, mypy strict, pytest.

This is the README's test command and what .ci/run calls. Extra arguments go to pytest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    python = sys.executable
    steps = [
        ("ruff check", [python, "-m", "ruff", "check", "src", "tests", "bench", "scripts"]),
        (
            "ruff format",
            [python, "-m", "ruff", "format", "--check", "src", "tests", "bench", "scripts"],
        ),
        ("mypy --strict", [python, "-m", "mypy", "--strict", "src/suppcheck"]),
        ("pytest", [python, "-m", "pytest", *sys.argv[1:]]),
    ]
    failed = []
    for name, command in steps:
        print(f"==> {name}", flush=True)
        if subprocess.call(command, cwd=ROOT) != 0:
            failed.append(name)
    if failed:
        print(f"FAILED: {', '.join(failed)}", flush=True)
        return 1
    print("all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
