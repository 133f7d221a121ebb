"""suppcheck rules commands (registered on the main app by cli.py)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the rules commands to `app`."""
    del app
