"""The saved profile: conditions, medications, disease activity and life stage (age, sex,
pregnant, breastfeeding) a person checks with every time.

Stored as YAML under the user's config directory; written atomically; a damaged file is reported
(ProfileError) and never silently overwritten.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from suppcheck import paths
from suppcheck.errors import InputError, ProfileError
from suppcheck.inputs.regimen import (
    LIFE_STAGE_KEYS,
    MAX_REGIMEN_BYTES,
    Regimen,
    regimen_from_data,
)
from suppcheck.printable import readable

KEYS = ("conditions", "medications", "active", *LIFE_STAGE_KEYS)
HEADER = "# suppcheck saved profile: edit with `suppcheck profile add|remove|clear`\n"


@contextlib.contextmanager
def changing(path: Path | None = None, *, create: bool = True) -> Iterator[None]:
    """Hold the profile for one read-modify-write (`profile add|remove`).

    Two `profile add` at once would each read the old profile and the last to write would drop
    the other's addition. An exclusive lock on a file beside the profile (fcntl.flock, POSIX)
    makes them take turns; it is released when the process ends, however it ends. Where flock
    does not exist (Windows) there is no lock (docs/user-guide.md says so). While the lock is
    held, SIGTERM and SIGHUP end the run through normal exception handling, so that the
    temporary file of a write in progress is removed, not left behind with health data.
    With `create` false and no config folder, there is nothing to change and nothing is made.
    """
    path = path or paths.profile_path()
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    if not create and not path.parent.is_dir():  # no profile to change: create no folder
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.with_name(path.name + ".lock"), "a")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise ProfileError(
            f"{path}: cannot lock the saved profile: {exc.strerror or exc}"
        ) from None
    previous = {}
    try:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        for number in (signal.SIGTERM, signal.SIGHUP):
            previous[number] = signal.signal(number, _end_by_signal)
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        lock.close()  # releases the lock


def _end_by_signal(number: int, frame: object) -> None:
    raise SystemExit(128 + number)


def load_saved(path: Path | None = None) -> Regimen | None:
    """The saved profile, or None when there is none. ProfileError when it is damaged."""
    path = path or paths.profile_path()
    if not path.exists() and not path.is_symlink():  # the usual case: no profile saved
        return None
    from suppcheck import yamlfile

    try:
        text = yamlfile.read_text(path, max_bytes=MAX_REGIMEN_BYTES)
    except (FileNotFoundError, NotADirectoryError):  # no config folder (or a file there): none
        if path.is_symlink():  # a saved profile that cannot be reached is not "no profile"
            raise ProfileError(
                f"{path}: cannot read the saved profile: it is a symbolic link to "
                f"{readable(os.readlink(path))}, which does not exist"
            ) from None
        return None
    except UnicodeDecodeError as exc:
        raise ProfileError(
            f"{path}: damaged saved profile: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ProfileError(f"{path}: cannot read the saved profile: {reason}") from None
    try:
        data = yamlfile.parse(text)
    except yamlfile.YamlError as exc:
        raise ProfileError(f"{path}:{exc.line}: damaged saved profile: {exc.message}") from None
    if data is None:
        return Regimen()
    if not isinstance(data, dict):
        line = getattr(data, "line", 1)
        raise ProfileError(
            f"{path}:{line}: damaged saved profile: expected a mapping with keys {', '.join(KEYS)}"
        )
    for key in data:
        if key not in KEYS:
            line = getattr(data, "key_lines", {}).get(key, 1)
            raise ProfileError(
                f"{path}:{line}: damaged saved profile: unknown key {key!r} "
                f"(a profile keeps {', '.join(KEYS)} only)"
            )
    try:
        return regimen_from_data(data, str(path))
    except InputError as exc:
        raise ProfileError(f"{exc} (damaged saved profile)") from None


def save(regimen: Regimen, path: Path | None = None) -> Path:
    """Write the profile atomically (a temporary file, then rename)."""
    # Imported here: every check reads the profile, only `profile add|remove` writes it.
    import yaml

    from suppcheck.fileio import write_atomic_text

    path = path or paths.profile_path()
    data = {
        "conditions": list(regimen.conditions),
        "medications": list(regimen.medications),
        "active": regimen.active,
    }
    # Life stage only when given: a profile without it stays as it was.
    for key in LIFE_STAGE_KEYS:
        value = getattr(regimen, key)
        if value is not None and value is not False:
            data[key] = value

    def write(out: TextIO) -> None:
        out.write(HEADER)
        out.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    try:
        write_atomic_text(path, write)
    except OSError as exc:
        raise ProfileError(
            f"{path}: cannot write the saved profile: {exc.strerror or exc}"
        ) from None
    return path
