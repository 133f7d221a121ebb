"""Regimen files (YAML or JSON, or `-` for stdin) and batch lines -> the raw input of a check.

A regimen is what the person typed, in a file:

    conditions: [lupus]
    supplements:
      - zinc picolinate 25 mg
      - {name: vitamin D3, amount: 2000, unit: IU}
    medications: [methotrexate]
    active: true
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

from suppcheck.errors import InputError
from suppcheck.model import format_amount
from suppcheck.printable import readable

MAX_REGIMEN_BYTES = 1024 * 1024
MAX_ITEMS = 1000
KEYS = ("id", "conditions", "supplements", "medications", "active")
_KEY_SET = frozenset(KEYS)


class DosedSupplement(str):
    """A supplement given as `{name, amount, unit}`: the text shown in reports ("zinc 25 mg")
    that also keeps the parts, so the dose is used as given and never re-read from the text
    (0.00001 is shown as 1e-05, which the dose reader rightly does not take for an amount)."""

    name: str
    amount: float
    unit: str

    def __new__(cls, name: str, amount: float, unit: str) -> DosedSupplement:
        self = super().__new__(cls, f"{name} {format_amount(amount)} {unit}")
        self.name, self.amount, self.unit = name, amount, unit
        return self

    def __getnewargs__(self) -> tuple[str, float, str]:  # type: ignore[override]  # copy, pickle
        return self.name, self.amount, self.unit


class Regimen:
    """What a person gave, before resolution (a plain class: it is on the start-up path)."""

    __slots__ = ("active", "conditions", "id", "medications", "supplements")

    def __init__(
        self,
        conditions: list[str] | None = None,
        supplements: list[str] | None = None,
        medications: list[str] | None = None,
        active: bool = False,
        id: str | int | None = None,
    ) -> None:
        self.conditions = conditions if conditions is not None else []
        self.supplements = supplements if supplements is not None else []
        self.medications = medications if medications is not None else []
        self.active = active
        self.id = id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Regimen) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaced

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Regimen({fields})"

    def extend(self, other: Regimen) -> Regimen:
        return Regimen(
            self.conditions + other.conditions,
            self.supplements + other.supplements,
            self.medications + other.medications,
            self.active or other.active,
            self.id if self.id is not None else other.id,
        )


def read_regimen(name: str) -> Regimen:
    """Read `name` (a path, or `-` for stdin); InputError names the file and line."""
    from suppcheck import yamlfile  # only when a file is read: yaml is not on every path

    display = "<stdin>" if name == "-" else readable(name)  # a file name is shown literally
    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_REGIMEN_BYTES + 1)
            if len(data) > MAX_REGIMEN_BYTES:
                raise OSError(f"more than {MAX_REGIMEN_BYTES // 1024} KiB on standard input")
            text = yamlfile.decode(data)
        else:
            # a pipe named on the command line is read as standard input would be
            text = yamlfile.read_text(Path(name), max_bytes=MAX_REGIMEN_BYTES, pipes=True)
    except UnicodeDecodeError:
        raise InputError(f"{display}:1: not UTF-8 text") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"{display}: cannot read regimen file: {reason}") from None
    return parse_regimen(text, display)


def parse_regimen(text: str, display: str) -> Regimen:
    from suppcheck import yamlfile

    try:
        data = yamlfile.parse(text)
    except yamlfile.YamlError as exc:
        raise InputError(f"{display}:{exc.line}: {exc.message}") from None
    return regimen_from_data(data, display)


def regimen_from_data(data: Any, display: str) -> Regimen:
    if data is None:
        raise InputError(f"{display}:1: the regimen is empty")
    if not isinstance(data, dict):
        raise InputError(
            f"{display}:{_line(data)}: a regimen is a mapping with keys {', '.join(KEYS)}"
        )
    for key in data:
        if key not in _KEY_SET:
            raise InputError(
                f"{display}:{_line(data, key)}: unknown key {key!r} (allowed: {', '.join(KEYS)})"
            )
    active = data.get("active", False)
    if not isinstance(active, bool):
        raise InputError(f"{display}:{_line(data, 'active')}: active: expected true or false")
    regimen_id = data.get("id")
    if regimen_id is not None and (
        isinstance(regimen_id, bool) or not isinstance(regimen_id, str | int)
    ):
        raise InputError(f"{display}:{_line(data, 'id')}: id: expected text or a whole number")
    return Regimen(
        conditions=_names(data, "conditions", display),
        supplements=_supplements(data, display),
        medications=_names(data, "medications", display),
        active=active,
        id=regimen_id,
    )


def _line(container: Any, key: str | int | None = None) -> int:
    """The line of `key` in a container from yamlfile (which records lines), else of the
    container; data that did not come from a file (batch lines, the API) is line 1."""
    key_lines = getattr(container, "key_lines", None)
    if key is not None and key_lines is not None:
        return int(key_lines.get(str(key), container.line))
    item_lines = getattr(container, "item_lines", None)
    if isinstance(key, int) and item_lines is not None and key < len(item_lines):
        return int(item_lines[key])
    return int(getattr(container, "line", 1))


def _items(data: Any, key: str, display: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]  # "conditions: lupus" is a list of one
    if not isinstance(value, list):
        raise InputError(f"{display}:{_line(data, key)}: {key}: expected a list")
    if len(value) > MAX_ITEMS:
        raise InputError(f"{display}:{_line(data, key)}: {key}: more than {MAX_ITEMS} items")
    return value


def _names(data: Any, key: str, display: str) -> list[str]:
    names = []
    items = _items(data, key, display)
    for index, item in enumerate(items):
        if not isinstance(item, str):
            where = _line(items, index) if hasattr(items, "item_lines") else _line(data, key)
            raise InputError(f"{display}:{where}: {key}[{index}]: expected a name (text)")
        names.append(item)
    return names


def _supplements(data: Any, display: str) -> list[str]:
    result = []
    items = _items(data, "supplements", display)
    for index, item in enumerate(items):
        if isinstance(item, str):  # the common case first: no line lookups for it
            result.append(item)
            continue
        where = _line(items, index) if hasattr(items, "item_lines") else _line(data)
        path = f"{display}:{where}: supplements[{index}]"
        if not isinstance(item, dict):
            raise InputError(f"{path}: expected a name, or a mapping of name, amount and unit")
        unknown = sorted(set(item) - {"name", "amount", "unit"})
        if unknown or not isinstance(item.get("name"), str):
            raise InputError(f"{path}: expected keys name (text), amount and unit")
        if "amount" not in item and "unit" not in item:
            result.append(item["name"])
            continue
        amount, unit = item.get("amount"), item.get("unit")
        if (
            isinstance(amount, bool)
            or not isinstance(amount, int | float)
            or not math.isfinite(amount)
            or amount <= 0
        ):
            raise InputError(f"{path}: amount: expected a positive number, got {amount!r}")
        if not isinstance(unit, str) or not unit.strip():
            raise InputError(f"{path}: unit: expected a unit such as mg, mcg, IU or CFU")
        result.append(DosedSupplement(item["name"], float(amount), unit))
    return result
