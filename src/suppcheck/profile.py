"""The saved profile: conditions, medications and disease activity a person checks with every time.

Stored as YAML under the user's config directory; written atomically; a damaged file is reported
(ProfileError) and never silently overwritten.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from suppcheck import paths, yamlfile
from suppcheck.errors import InputError, ProfileError
from suppcheck.fileio import write_atomic_text
from suppcheck.regimen import MAX_REGIMEN_BYTES, Regimen, regimen_from_data

HEADER = "# suppcheck saved profile: edit with `suppcheck profile add|remove|clear`\n"


def load_saved(path: Path | None = None) -> Regimen | None:
    """The saved profile, or None when there is none. ProfileError when it is damaged."""
    path = path or paths.profile_path()
    try:
        text = yamlfile.read_text(path, max_bytes=MAX_REGIMEN_BYTES)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ProfileError(f"{path}: cannot read the saved profile: {reason}") from None
    try:
        data = yamlfile.parse(text)
    except yamlfile.YamlError as exc:
        raise ProfileError(f"{path}:{exc.line}: damaged saved profile: {exc.message}") from None
    if data is None:
        return Regimen()
    try:
        saved = regimen_from_data(data, str(path))
    except InputError as exc:
        raise ProfileError(f"damaged saved profile: {exc}") from None
    if saved.supplements:
        raise ProfileError(f"{path}: damaged saved profile: supplements are not kept in a profile")
    return saved


def save(regimen: Regimen, path: Path | None = None) -> Path:
    """Write the profile atomically (a temporary file, then rename)."""
    path = path or paths.profile_path()
    data = {
        "conditions": list(regimen.conditions),
        "medications": list(regimen.medications),
        "active": regimen.active,
    }

    def write(out: object) -> None:
        assert hasattr(out, "write")
        out.write(HEADER)
        out.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    try:
        write_atomic_text(path, write)  # type: ignore[arg-type]
    except OSError as exc:
        raise ProfileError(f"{path}: cannot write the saved profile: {exc.strerror or exc}") from None
    return path
