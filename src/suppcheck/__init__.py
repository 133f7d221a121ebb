"""suppcheck: check supplements against autoimmune conditions, medications and doses.

The small public API (documented in docs/api.md) is imported lazily so that `import suppcheck`
stays cheap for the command line.
"""

from __future__ import annotations

from typing import Any

from suppcheck.version import __version__

__all__ = ["Checker", "__version__", "check"]


def __getattr__(name: str) -> Any:
    if name in ("Checker", "check"):
        from suppcheck import api

        return getattr(api, name)
    raise AttributeError(f"module 'suppcheck' has no attribute {name!r}")
