"""check, list and batch open no network connection: health data stays on the machine.

Each command runs in a fresh interpreter whose socket functions record any attempt to a file
and fail; the test asserts that nothing was recorded and the command still worked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GUARD = """
import socket, sys
LOG = sys.argv.pop(1)

def refuse(*args, **kwargs):
    with open(LOG, "a") as log:
        log.write(repr(args[:2]) + "\\n")
    raise OSError("network access attempted")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.socket.sendto = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
sys.argv[0] = "suppcheck"
from suppcheck.cli.main import main
main()
"""

PROFILE = json.dumps({"id": 1, "conditions": ["lupus"], "supplements": ["melatonin"]}) + "\n"


@pytest.mark.parametrize(
    ("args", "stdin", "status"),
    [
        (["check", "-c", "lupus", "-s", "melatonin", "--format", "json"], "", 1),
        (["check", "-c", "lupus", "-s", "melatonin"], "", 1),
        (["list", "supplements"], "", 0),
        (["list", "rules", "--format", "json"], "", 0),
        (["batch"], PROFILE, 1),
    ],
)
def test_no_connection_is_attempted(
    args: list[str], stdin: str, status: int, tmp_path: Path, isolated_environment: Path
) -> None:
    log = tmp_path / "network.log"
    done = subprocess.run(
        [sys.executable, "-c", GUARD, str(log), *args],
        input=stdin, capture_output=True, text=True, timeout=60, env=dict(os.environ),
    )  # fmt: skip
    assert done.returncode == status, done.stderr
    assert done.stdout and "Traceback" not in done.stderr
    assert not log.exists(), log.read_text()


def test_the_guard_catches_a_connection(tmp_path: Path) -> None:
    """The guard itself works: a connection attempt is recorded."""
    log = tmp_path / "network.log"
    code = GUARD.replace("from suppcheck.cli.main import main\nmain()", "")
    code += "\ntry:\n    socket.create_connection(('127.0.0.1', 9))\nexcept OSError:\n    pass\n"
    subprocess.run([sys.executable, "-c", code, str(log)], timeout=60, check=True)
    assert log.exists()
