"""Safe YAML (and JSON) reading that remembers the line of every mapping, key and list item.

Only plain data is built: PyYAML's safe constructors reject every tag that would construct an
object, and aliases to mappings or lists are refused so that a small file cannot expand into a
huge one ("billion laughs"). libyaml's C parser is used when it is installed.

Scalars mean what a person reads, as in YAML 1.2 and JSON, not YAML 1.1: only plain decimal
numbers are numbers (`05000` is five thousand, not octal 2,560), only true and false are
booleans, and `0x32`, `0o17`, `0b110`, `1_000`, `40:00`, `yes`, `no`, `on`, `off`, `y`, `n` stay
text, which a place that expects a number or a flag then refuses with its file:line. A duplicate
key and an integer of more than MAX_DIGITS digits are refused in YAML and JSON alike.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # yaml itself is imported on first parse: a cached check never needs it
    import yaml


MAX_FILE_BYTES = 64 * 1024 * 1024
# Longer integers cannot become a float (about 1.8e308) and Python refuses to read ints of more
# than 4,300 digits; no dose, threshold or id needs more than a few.
MAX_DIGITS = 300
MAX_NESTING = 1000  # levels of lists and mappings; real files use fewer than ten
_FLOW = re.compile(r"[\[\]{}]")
# Block nesting costs a column of indentation or a "- " per level.
_DEEP_BLOCK = re.compile(rf"^[ \t]{{{MAX_NESTING}}}|(?:[-?:][ \t]+){{{MAX_NESTING // 2}}}", re.M)


class LineDict(dict[str, Any]):
    """A mapping from a YAML file, with the line of the mapping and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence from a YAML file, with the line of the sequence and of each item."""

    line: int = 0
    item_lines: list[int]


class YamlError(Exception):
    """Raised with a `line: message` text; the caller adds the file name."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise YamlError(key_node.start_mark.line + 1, f"duplicate key {key!r}")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp_as_text(loader: Any, node: yaml.ScalarNode) -> str:
    # Dates stay text ("2026-11-21"): the model stores ISO dates as strings.
    return str(node.value)


# The YAML 1.2 core schema, less its octal and hex forms: what is resolved as a number, a
# boolean or null. Everything else is text. (PyYAML implements YAML 1.1, where `no` is false,
# `05000` is octal and `40:00` is 2,400.)
_IMPLICIT = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
)
_DECIMAL = re.compile(r"[-+]?[0-9]+")


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    text = str(node.value)
    if not _DECIMAL.fullmatch(text):  # an explicit `!!int 0x32`
        raise YamlError(node.start_mark.line + 1, f"write numbers in decimal, not {text!r}")
    return decimal_int(text, node.start_mark.line + 1)


def decimal_int(text: str, line: int) -> int:
    """A decimal integer (leading zeros are decimal too), refusing ones too long to be a value."""
    if len(text.lstrip("+-")) > MAX_DIGITS:
        raise YamlError(line, f"a number of more than {MAX_DIGITS} digits")
    return int(text, 10)


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    text = str(node.value)
    special = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
    try:
        return float(special.get(text.lower(), text))
    except ValueError:  # an explicit `!!float 1_0.5`
        raise YamlError(
            node.start_mark.line + 1, f"write numbers in decimal, not {text!r}"
        ) from None


def _construct_bool(loader: Any, node: yaml.ScalarNode) -> bool:
    text = str(node.value)
    if text.lower() not in ("true", "false"):  # an explicit `!!bool yes`
        raise YamlError(node.start_mark.line + 1, f"write true or false, not {text!r}")
    return text.lower() == "true"


_LOADER: Any = None


def _line_loader() -> Any:
    """The loader class, built on first use (importing yaml costs milliseconds at start-up)."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml

    try:  # the C parser is several times faster; it is optional in PyYAML builds
        from yaml import CSafeLoader as _BaseLoader
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    class _LineLoader(_BaseLoader):
        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            # An alias hands the composer's node back a second time. Refusing that for mappings
            # and lists stops a small file from expanding into a huge structure ("billion laughs").
            if node in self.constructed_objects and isinstance(
                node, yaml.MappingNode | yaml.SequenceNode
            ):
                raise YamlError(
                    node.start_mark.line + 1,
                    "YAML anchors and aliases are not supported in suppcheck files",
                )
            return super().construct_object(node, deep=deep)

    _LineLoader.yaml_implicit_resolvers = {}
    for tag, pattern, first in _IMPLICIT:
        _LineLoader.add_implicit_resolver(tag, re.compile(pattern), list(first))
    _LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    _LineLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
    _LineLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
    _LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
    _LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
    _LOADER = _LineLoader
    return _LOADER


def read_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES, pipes: bool = False) -> str:
    """Read a UTF-8 text file, refusing anything but a regular file (a directory, a named pipe,
    a device), huge files and binary content."""
    from suppcheck.readfile import TooLarge, read_bounded

    try:
        data = read_bounded(path, max_bytes, pipes=pipes)
    except TooLarge:
        raise OSError(f"it is larger than the {max_bytes / (1024 * 1024):g} MiB limit") from None
    return decode(data)


def decode(data: bytes) -> str:
    if b"\x00" in data:
        raise UnicodeDecodeError(
            "utf-8", data, data.index(b"\x00"), data.index(b"\x00") + 1, "binary data (NUL byte)"
        )
    return data.decode("utf-8-sig")


def check_nesting(text: str) -> None:
    """Refuse text nested deeper than MAX_NESTING before libyaml sees it.

    libyaml's C parser recurses once per level: tens of thousands of `[` crash the interpreter
    (a segmentation fault, not an exception), so the depth is bounded here first. Brackets inside
    quoted text are counted too, which can only make the check stricter.
    """
    if text.count("[") + text.count("{") > MAX_NESTING:
        depth = 0
        for match in _FLOW.finditer(text):
            if match.group() in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    line = text.count("\n", 0, match.start()) + 1
                    raise YamlError(line, f"nested more than {MAX_NESTING} levels deep")
            elif depth:
                depth -= 1
    deep = _DEEP_BLOCK.search(text)
    if deep is not None:
        line = text.count("\n", 0, deep.start()) + 1
        raise YamlError(line, f"nested more than {MAX_NESTING} levels deep")


def parse(text: str) -> Any:
    """Parse YAML or JSON text into plain data with line information (YamlError on failure)."""
    check_nesting(text)
    try:
        return _parse_yaml(text)
    except YamlError:
        # JSON is nearly a subset of YAML 1.1 and is read above with its lines; the few JSON
        # texts PyYAML refuses (tabs as indentation, for one) are read here without lines.
        if text.lstrip().startswith(("{", "[")):
            try:
                return _from_json(loads_json(text))
            except (json.JSONDecodeError, RecursionError):
                pass
        raise


class _Refused(ValueError):
    """Raised inside the JSON decoder's hooks; `needle` finds the line afterwards."""

    def __init__(self, message: str, needle: re.Pattern[str], nth: int) -> None:
        super().__init__(message)
        self.message, self.needle, self.nth = message, needle, nth


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                spellings = {json.dumps(key), json.dumps(key, ensure_ascii=False)}
                needle = re.compile("(?:" + "|".join(map(re.escape, spellings)) + r")\s*:")
                raise _Refused(f"duplicate key {key!r}", needle, 2)
            seen.add(key)
    return result


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        needle = re.compile(re.escape(text))
        raise _Refused(f"a number of more than {MAX_DIGITS} digits", needle, 1)
    return int(text)


_JSON = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_int=_json_int)


def loads_json(text: str) -> Any:
    """json.loads, but a duplicate key or an over-long integer is a YamlError with its line
    (json.loads keeps the last of two equal keys, and fails with ValueError past 4,300 digits).
    Every JSON the tool reads from a person goes through here."""
    try:
        return _JSON.decode(text)
    except _Refused as exc:
        found = list(exc.needle.finditer(text))
        at = found[exc.nth - 1].start() if len(found) >= exc.nth else 0
        raise YamlError(text.count("\n", 0, at) + 1, exc.message) from None


def _parse_yaml(text: str) -> Any:
    loader = _line_loader()
    import yaml

    try:
        return yaml.load(text, Loader=loader)  # a safe loader subclass
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = str(exc.problem or exc.context or "invalid YAML")
        if "constructor" in problem:
            problem += " (tags that construct objects are not allowed)"
        raise YamlError(line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlError(1, "invalid YAML: nested too deeply") from None


def _from_json(value: Any) -> Any:
    """JSON carries no lines; wrap containers so that callers see one shape of data."""
    if isinstance(value, dict):
        result = LineDict((str(k), _from_json(v)) for k, v in value.items())
        result.line = 1
        result.key_lines = dict.fromkeys(result, 1)
        return result
    if isinstance(value, list):
        items = LineList(_from_json(v) for v in value)
        items.line = 1
        items.item_lines = [1] * len(items)
        return items
    return value
