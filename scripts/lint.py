"""The static checks: ruff lint, ruff format --check, mypy strict on src/, the layering contract.

The README's test command runs this and then pytest (so pytest's summary is the last line).
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
        # The layering contract in pyproject.toml (docs/architecture.md).
        ("import-linter", [str(Path(python).parent / "lint-imports")]),
    ]
    failed = []
    for name, command in steps:
        print(f"==> {name}", flush=True)
        if subprocess.call(command, cwd=ROOT) != 0:
            failed.append(name)
    if failed:
        print(f"FAILED: {', '.join(failed)}", flush=True)
        return 1
    print("lint, format and type checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
