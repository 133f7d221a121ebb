"""Regimen files (YAML or JSON, or `-` for stdin) and batch lines -> the raw input of a check.

A regimen is what the person typed, in a file:

    conditions: [lupus]
    supplements:
      - zinc picolinate 25 mg
      - {name: vitamin D3, amount: 2000, unit: IU}
      - {name: multivitamin, contents: [{name: zinc, amount: 11, unit: mg}]}
    medications: [methotrexate]
    active: true
    age: 34                 # life stage, each optional: age (whole years), sex (female or
    sex: female             # male), pregnant and breastfeeding (true or false)
    pregnant: false
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
KEYS = (
    "id", "conditions", "supplements", "medications", "active",
    "age", "sex", "pregnant", "breastfeeding",
)  # fmt: skip
LIFE_STAGE_KEYS = ("age", "sex", "pregnant", "breastfeeding")
MAX_AGE = 120
SEXES = ("female", "male")
_KEY_SET = frozenset(KEYS)


class DosedSupplement(str):
    """A supplement given as `{name, amount, unit}`: the text shown in reports ("zinc 25 mg")
    that also keeps the parts, so the dose is used as given and never re-read from the text
    (0.00001 is shown as 1e-05, which the dose reader rightly does not take for an amount)."""

    name: str
    amount: float
    unit: str
    product: str | None  # the product whose label lists it ("multivitamin: zinc 11 mg")

    def __new__(
        cls, name: str, amount: float, unit: str, product: str | None = None
    ) -> DosedSupplement:
        shown = f"{name} {format_amount(amount)} {unit}"
        self = super().__new__(cls, shown if product is None else f"{product}: {shown}")
        self.name, self.amount, self.unit, self.product = name, amount, unit, product
        return self

    def __getnewargs__(  # type: ignore[override]  # copy, pickle
        self,
    ) -> tuple[str, float, str, str | None]:
        return self.name, self.amount, self.unit, self.product


class Regimen:
    """What a person gave, before resolution (a plain class: it is on the start-up path)."""

    __slots__ = (
        "active", "age", "breastfeeding", "conditions", "id", "medications", "pregnant", "sex",
        "supplements",
    )  # fmt: skip

    def __init__(
        self,
        conditions: list[str] | None = None,
        supplements: list[str] | None = None,
        medications: list[str] | None = None,
        active: bool = False,
        id: str | int | None = None,
        *,
        age: int | None = None,
        sex: str | None = None,
        pregnant: bool = False,
        breastfeeding: bool = False,
    ) -> None:
        self.conditions = conditions if conditions is not None else []
        self.supplements = supplements if supplements is not None else []
        self.medications = medications if medications is not None else []
        self.active = active
        self.id = id
        self.age = age
        self.sex = sex
        self.pregnant = pregnant
        self.breastfeeding = breastfeeding

    @property
    def has_life_stage(self) -> bool:
        return self.age is not None or self.sex is not None or self.pregnant or self.breastfeeding

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Regimen) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaced

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Regimen({fields})"

    def extend(self, other: Regimen) -> Regimen:
        """Both together. An age or sex given twice must agree (InputError otherwise): one of
        two different values would be dropped without a word."""
        for name in ("age", "sex"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine is not None and theirs is not None and mine != theirs:
                raise InputError(
                    f"{name} is given twice, as {mine} and as {theirs} (on the command line, in "
                    "an --input file or in your saved profile): give it once, or check with "
                    "--no-profile"
                )
        merged = Regimen(
            self.conditions + other.conditions,
            self.supplements + other.supplements,
            self.medications + other.medications,
            self.active or other.active,
            self.id if self.id is not None else other.id,
            age=self.age if self.age is not None else other.age,
            sex=self.sex if self.sex is not None else other.sex,
            pregnant=self.pregnant or other.pregnant,
            breastfeeding=self.breastfeeding or other.breastfeeding,
        )
        if merged.has_life_stage:
            problem = life_stage_problem(merged.age, merged.sex, merged.pregnant,
                                         merged.breastfeeding)  # fmt: skip
            if problem is not None:
                raise InputError(f"{problem} (the inputs together)")
        return merged


def life_stage_problem(
    age: int | None, sex: str | None, pregnant: bool, breastfeeding: bool
) -> str | None:
    """Why these life-stage values cannot all be true, or None. Refused rather than guessed at:
    each chooses upper limits and cautions, and a wrong guess would apply the wrong ones."""
    if pregnant and sex == "male":
        return "pregnant and sex male were both given: correct one of them"
    if age is not None and age < 10:
        for given, name in ((pregnant, "pregnant"), (breastfeeding, "breastfeeding")):
            if given:
                return (
                    f"{name} with age {age}: {name} is for the person who is {name}, and "
                    "cannot be combined with an age under 10; check the age"
                )
    return None


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
    regimen = Regimen(
        conditions=_names(data, "conditions", display),
        supplements=_supplements(data, display),
        medications=_names(data, "medications", display),
        active=active,
        id=regimen_id,
    )
    if "age" in data or "sex" in data or "pregnant" in data or "breastfeeding" in data:
        _life_stage(data, display, regimen)
    return regimen


def _life_stage(data: Any, display: str, regimen: Regimen) -> None:
    """Read age, sex, pregnant and breastfeeding into `regimen` (InputError at file:line)."""
    age = data.get("age")
    if age is not None:
        regimen.age = parse_age(age, f"{display}:{_line(data, 'age')}: age")
    sex = data.get("sex")
    if sex is not None:
        regimen.sex = parse_sex(sex, f"{display}:{_line(data, 'sex')}: sex")
    for key in ("pregnant", "breastfeeding"):
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise InputError(f"{display}:{_line(data, key)}: {key}: expected true or false")
        setattr(regimen, key, value)
    problem = life_stage_problem(regimen.age, regimen.sex, regimen.pregnant,
                                 regimen.breastfeeding)  # fmt: skip
    if problem is not None:
        key = "pregnant" if regimen.pregnant else "breastfeeding"
        raise InputError(f"{display}:{_line(data, key)}: {problem}")


def parse_age(value: Any, where: str) -> int:
    """A whole number of years from 0 to MAX_AGE (InputError naming `where` otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AGE:
        raise InputError(
            f"{where}: expected a whole number of years from 0 to {MAX_AGE}, got {_shown(value)}"
        )
    return value


def parse_sex(value: Any, where: str) -> str:
    """female or male, in any case (InputError naming `where` otherwise)."""
    text = value.strip().casefold() if isinstance(value, str) else None
    if text is None or text not in SEXES:
        raise InputError(f"{where}: expected female or male, got {_shown(value)}")
    return text


def _shown(value: Any) -> str:
    from suppcheck.printable import readable

    if isinstance(value, int | float | str):
        return readable(repr(value))
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


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
    result: list[str] = []
    items = _items(data, "supplements", display)
    for index, item in enumerate(items):
        if isinstance(item, str):  # the common case first: no line lookups for it
            result.append(item)
            continue
        where = _line(items, index) if hasattr(items, "item_lines") else _line(data)
        path = f"{display}:{where}: supplements[{index}]"
        if not isinstance(item, dict):
            raise InputError(f"{path}: expected a name, or a mapping of name, amount and unit")
        unknown = sorted(set(item) - {"name", "amount", "unit", "contents"})
        if unknown or not isinstance(item.get("name"), str):
            raise InputError(f"{path}: expected keys name (text), amount and unit (and contents)")
        if "amount" not in item and "unit" not in item:
            result.append(item["name"])
        else:
            result.append(_dosed(item, path))
        if "contents" in item:
            result.extend(_contents(item, path))
    return result


def _dosed(item: Any, path: str, product: str | None = None) -> DosedSupplement:
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
    return DosedSupplement(item["name"], float(amount), unit, product)


def _contents(item: Any, path: str) -> list[str]:
    """A product's label: each ingredient with its amount, counted as if given on its own
    (labelled with the product), beside the product itself."""
    contents = item["contents"]
    if not isinstance(contents, list) or not contents:
        raise InputError(f"{path}: contents: expected a list of {{name, amount, unit}}")
    if len(contents) > MAX_ITEMS:
        raise InputError(f"{path}: contents: more than {MAX_ITEMS} items")
    result: list[str] = []
    for number, part in enumerate(contents):
        where = f"{path}.contents[{number}]"
        if (
            not isinstance(part, dict)
            or set(part) != {"name", "amount", "unit"}
            or not isinstance(part["name"], str)
        ):
            raise InputError(f"{where}: expected keys name (text), amount and unit, as the label")
        result.append(_dosed(part, where, item["name"]))
    return result
