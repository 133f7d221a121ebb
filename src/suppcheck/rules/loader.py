"""Rule files (YAML) -> a validated RuleBase.

Every problem is collected with its `file:line:` and the path inside the file, so an author sees
all of them at once. Nothing here runs code from a rule file: the YAML is read with a safe loader
and the `when` language is plain data interpreted by the engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from suppcheck import units, yamlfile
from suppcheck.errors import RuleFileError
from suppcheck.model import (
    AllOf,
    AnyOf,
    ContentAmount,
    Contents,
    Conversion,
    DiseaseActive,
    Entry,
    Evidence,
    ExampleProfile,
    HasCondition,
    HasProperty,
    Kind,
    NoKnownCaution,
    NotOf,
    Nutrient,
    Rule,
    RuleBaseInfo,
    Severity,
    Source,
    StrainNamed,
    TakesMedication,
    TakesSupplement,
    TotalAbove,
    UpperLimit,
    When,
)
from suppcheck.rules.rulebase import RuleBase

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MECHANISMS = (
    "immune-stimulation",
    "pro-inflammatory",
    "medication-interaction",
    "nutrient-balance",
    "copper-interference",
    "upper-limit",
    "strain-specificity",
    "disease-activity",
    "nutrient-deficiency",
    "individual-variability",
    "evidence-gap",
    "thyroid-function",
    "test-interference",
    "absorption-timing",
    "liver-injury",
    "bleeding-risk",
    "blood-sugar",
    "hormonal",
    "other",
)
MAX_WHEN_DEPTH = 32
SECTION_KINDS = {
    "conditions": Kind.CONDITION,
    "supplements": Kind.SUPPLEMENT,
    "medications": Kind.MEDICATION,
}
TOP_KEYS = ("$schema", "version", "reviewed", "overrides", *SECTION_KINDS, "rules")


def shipped_rules_path() -> Path:
    """`data/rules.yaml` as installed inside the package (or next to the source tree)."""
    packaged = resources.files("suppcheck") / "data" / "rules.yaml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data" / "rules.yaml"


# --- problem collection --------------------------------------------------------------------


@dataclass
class _Problems:
    items: list[str] = field(default_factory=list)

    def add(self, file: str, line: int, path: str, message: str) -> None:
        self.items.append(
            f"{file}:{line}: {path}: {message}" if path else f"{file}:{line}: {message}"
        )


def _line_of(container: Any, key: str | int | None = None) -> int:
    if key is not None and isinstance(container, yamlfile.LineDict):
        return container.key_lines.get(str(key), container.line)
    if isinstance(key, int) and isinstance(container, yamlfile.LineList):
        return container.item_lines[key] if key < len(container.item_lines) else container.line
    return int(getattr(container, "line", 1))


@dataclass
class _Reader:
    """Typed access to one parsed file that records a problem instead of raising."""

    file: str
    problems: _Problems

    def problem(self, container: Any, key: str | int | None, path: str, message: str) -> None:
        self.problems.add(self.file, _line_of(container, key), path, message)

    def mapping(self, value: Any, parent: Any, key: str | int | None, path: str) -> Any:
        if isinstance(value, dict):
            return value
        self.problem(parent, key, path, f"expected a mapping, got {_describe(value)}")
        return None

    def keys(self, data: Any, path: str, required: Sequence[str], optional: Sequence[str]) -> bool:
        ok = True
        for key in data:
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                self.problem(data, key, f"{path}.{key}", f"unknown key (allowed: {allowed})")
                ok = False
        for key in required:
            if key not in data:
                self.problem(data, None, path, f"missing required key '{key}'")
                ok = False
        return ok

    def text(self, data: Any, key: str, path: str, *, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None and not required:
            return None
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(
                data, key, f"{path}.{key}", f"expected non-empty text, got {_describe(value)}"
            )
            return None
        return str(value)

    def text_list(self, data: Any, key: str, path: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(
                data, key, f"{path}.{key}", f"expected a list of text, got {_describe(value)}"
            )
            return ()
        result = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                result.append(item.strip())
            elif isinstance(item, int | float) and not isinstance(item, bool):
                result.append(str(item))
            else:
                self.problem(
                    value, index, f"{path}.{key}[{index}]", f"expected text, got {_describe(item)}"
                )
        return tuple(result)

    def ident(self, data: Any, key: str, path: str) -> str | None:
        raw = data.get(key)
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            self.problem(
                data, key, f"{path}.{key}", f"ids are kebab-case text, got {_describe(raw)}"
            )
            return None
        value = self.text(data, key, path)
        if value is not None and not ID_PATTERN.match(value):
            self.problem(
                data, key, f"{path}.{key}", f"ids are kebab-case (a-z, 0-9, -), got {value!r}"
            )
            return None
        return value

    def number(self, data: Any, key: str, path: str) -> float | None:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(data, key, f"{path}.{key}", f"expected a number, got {_describe(value)}")
            return None
        if not value > 0 or value != value or value == float("inf"):
            self.problem(data, key, f"{path}.{key}", f"expected a positive number, got {value!r}")
            return None
        return float(value)

    def choice(self, data: Any, key: str, path: str, choices: Sequence[str]) -> str | None:
        value = data.get(key)
        if isinstance(value, str) and value in choices:
            return value
        expected = (
            ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]
        )
        self.problem(data, key, f"{path}.{key}", f"expected {expected}, got {value!r}")
        return None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"a number ({value})"
    return repr(value)


# --- one file ------------------------------------------------------------------------------


@dataclass
class ParsedFile:
    """What one rule file declares, before ids are checked across files."""

    file: str
    version: str | None = None
    reviewed: str | None = None
    overrides: tuple[str, ...] = ()
    overrides_line: int = 1
    entries: list[tuple[Entry, int]] = field(default_factory=list)  # (entry, line)
    rules: list[tuple[Rule, int]] = field(default_factory=list)
    rule_whens: dict[str, tuple[Any, int]] = field(default_factory=dict)


def parse_file(path: Path, display: str | None = None) -> ParsedFile:
    """Read and check one rule file on its own; raise RuleFileError with every problem found."""
    file = display or str(path)
    try:
        text = yamlfile.read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError([f"{file}:1: cannot read rule file: {_os_reason(exc)}"]) from None
    return parse_text(text, file)


def _os_reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def parse_text(text: str, file: str) -> ParsedFile:
    problems = _Problems()
    try:
        data = yamlfile.parse(text)
    except yamlfile.YamlError as exc:
        raise RuleFileError([f"{file}:{exc.line}: {exc.message}"]) from None
    reader = _Reader(file, problems)
    parsed = ParsedFile(file)
    if data is None:
        data = yamlfile.LineDict()
        data.line, data.key_lines = 1, {}
    if not isinstance(data, dict):
        raise RuleFileError([f"{file}:1: a rule file is a mapping with keys {', '.join(TOP_KEYS)}"])
    reader.keys(data, "", (), TOP_KEYS)
    parsed.version = reader.text(data, "version", "", required=False)
    parsed.reviewed = _date(reader, data, "reviewed", "", required=False)
    parsed.overrides = reader.text_list(data, "overrides", "")
    parsed.overrides_line = _line_of(data, "overrides")
    for section, kind in SECTION_KINDS.items():
        for _index, item, path in _section_items(reader, data, section):
            entry = _entry(reader, kind, item, path)
            if entry is not None:
                parsed.entries.append((entry, _line_of(item)))
    for index, item, path in _section_items(reader, data, "rules"):
        rule = _rule(reader, item, path)
        if rule is not None:
            parsed.rules.append((rule, _line_of(item)))
            parsed.rule_whens[rule.id] = (item.get("when"), _line_of(item, "when"))
        del index
    if problems.items:
        raise RuleFileError(problems.items)
    return parsed


def _section_items(reader: _Reader, data: Any, section: str) -> Iterable[tuple[int, Any, str]]:
    value = data.get(section)
    if value is None:
        return
    if not isinstance(value, list):
        reader.problem(data, section, section, f"expected a list, got {_describe(value)}")
        return
    for index, item in enumerate(value):
        path = f"{section}[{index}]"
        mapping = reader.mapping(item, value, index, path)
        if mapping is not None:
            yield index, mapping, path


def _date(reader: _Reader, data: Any, key: str, path: str, *, required: bool) -> str | None:
    value = reader.text(data, key, path, required=required)
    if value is not None and not DATE_PATTERN.match(value):
        reader.problem(data, key, f"{path}.{key}", f"expected a date YYYY-MM-DD, got {value!r}")
        return None
    return value


def _sources(reader: _Reader, data: Any, key: str, path: str) -> tuple[Source, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        reader.problem(data, key, f"{path}.{key}", "at least one source is required")
        return ()
    result = []
    for index, item in enumerate(value):
        source = _source(reader, item, value, index, f"{path}.{key}[{index}]")
        if source is not None:
            result.append(source)
    return tuple(result)


def _source(reader: _Reader, item: Any, parent: Any, key: str | int, path: str) -> Source | None:
    mapping = reader.mapping(item, parent, key, path)
    if mapping is None or not reader.keys(mapping, path, ("title",), ("url",)):
        return None
    title = reader.text(mapping, "title", path)
    url = reader.text(mapping, "url", path, required=False)
    if url is not None and not url.startswith("https://"):
        reader.problem(mapping, "url", f"{path}.url", f"expected an https:// address, got {url!r}")
    return Source(title, url) if title else None


def _entry(reader: _Reader, kind: Kind, data: Any, path: str) -> Entry | None:
    optional = ["aliases", "parents", "description"]
    if kind is Kind.SUPPLEMENT:
        optional += ["properties", "nutrient", "no_known_caution", "contents"]
    reader.keys(data, path, ("id", "name"), optional)
    entry_id = reader.ident(data, "id", path)
    name = reader.text(data, "name", path)
    aliases = reader.text_list(data, "aliases", path)
    parents = reader.text_list(data, "parents", path)
    properties = reader.text_list(data, "properties", path)
    for index, prop in enumerate(properties):
        if not ID_PATTERN.match(prop):
            reader.problem(
                data["properties"],
                index,
                f"{path}.properties[{index}]",
                f"properties are kebab-case, got {prop!r}",
            )
    nutrient = None
    if data.get("nutrient") is not None:
        nutrient = _nutrient(reader, data["nutrient"], data, f"{path}.nutrient")
    no_caution = None
    if data.get("no_known_caution") is not None:
        no_caution = _no_known_caution(
            reader, data["no_known_caution"], data, f"{path}.no_known_caution"
        )
    description = reader.text(data, "description", path, required=False)
    contents = None
    if data.get("contents") is not None:
        contents = _contents(reader, data["contents"], data, f"{path}.contents")
    if entry_id is None or name is None:
        return None
    return Entry(
        kind,
        entry_id,
        name,
        aliases,
        parents,
        properties,
        nutrient,
        no_caution,
        description,
        contents,
    )


def _contents(reader: _Reader, value: Any, parent: Any, path: str) -> Contents | None:
    """A product's listed ingredients per daily dose; every number needs its source."""
    data = reader.mapping(value, parent, "contents", path)
    if data is None or not reader.keys(data, path, ("amounts", "per", "source"), ()):
        return None
    per = reader.text(data, "per", path)
    source = _source(reader, data.get("source"), data, "source", f"{path}.source")
    raw = data.get("amounts")
    if not isinstance(raw, list) or not raw:
        reader.problem(data, "amounts", f"{path}.amounts", "expected a non-empty list")
        return None
    amounts = []
    for index, item in enumerate(raw):
        item_path = f"{path}.amounts[{index}]"
        amount = reader.mapping(item, raw, index, item_path)
        if amount is None or not reader.keys(
            amount, item_path, ("supplement", "amount", "unit"), ()
        ):
            continue
        supplement = reader.ident(amount, "supplement", item_path)
        number = reader.number(amount, "amount", item_path)
        unit = reader.choice(amount, "unit", item_path, units.UNITS)
        if supplement and number is not None and unit:
            amounts.append(ContentAmount(supplement, number, unit))
    if per is None or source is None or len(amounts) != len(raw):
        return None
    return Contents(tuple(amounts), per, source)


def _nutrient(reader: _Reader, value: Any, parent: Any, path: str) -> Nutrient | None:
    data = reader.mapping(value, parent, "nutrient", path)
    if data is None:
        return None
    reader.keys(data, path, ("measure", "unit"), ("conversions", "upper_limit"))
    measure = reader.text(data, "measure", path)
    unit = reader.choice(data, "unit", path, units.UNITS)
    conversions = []
    raw = data.get("conversions") or []
    if not isinstance(raw, list):
        reader.problem(data, "conversions", f"{path}.conversions", "expected a list")
        raw = []
    for index, item in enumerate(raw):
        item_path = f"{path}.conversions[{index}]"
        conv = reader.mapping(item, raw, index, item_path)
        if conv is None or not reader.keys(conv, item_path, ("unit", "factor"), ()):
            continue
        conv_unit = reader.choice(conv, "unit", item_path, units.UNITS)
        factor = reader.number(conv, "factor", item_path)
        if conv_unit is not None and factor is not None:
            conversions.append(Conversion(conv_unit, factor))
    limit = None
    if data.get("upper_limit") is not None:
        limit = _upper_limit(reader, data["upper_limit"], data, f"{path}.upper_limit")
        if (
            limit is not None
            and unit is not None
            and units.convert(limit.amount, limit.unit, unit, tuple(conversions)) is None
        ):
            reader.problem(
                data,
                "upper_limit",
                f"{path}.upper_limit.unit",
                f"{limit.unit} cannot be converted to the nutrient's unit {unit}",
            )
    if measure is None or unit is None:
        return None
    return Nutrient(measure, unit, tuple(conversions), limit)


def _upper_limit(reader: _Reader, value: Any, parent: Any, path: str) -> UpperLimit | None:
    data = reader.mapping(value, parent, "upper_limit", path)
    if data is None:
        return None
    reader.keys(
        data, path, ("amount", "unit", "population", "applies_to", "basis", "source"), ("caveat",)
    )
    amount = reader.number(data, "amount", path)
    unit = reader.choice(data, "unit", path, units.UNITS)
    population = reader.text(data, "population", path)
    applies_to = reader.choice(data, "applies_to", path, ("total", "supplements"))
    basis = reader.text(data, "basis", path)
    caveat = reader.text(data, "caveat", path, required=False)
    source = _source(reader, data.get("source"), data, "source", f"{path}.source")
    if None in (amount, unit, population, applies_to, basis, source):
        return None
    assert amount is not None and unit and population and applies_to and basis and source
    return UpperLimit(amount, unit, population, applies_to, basis, source, caveat)


def _no_known_caution(reader: _Reader, value: Any, parent: Any, path: str) -> NoKnownCaution | None:
    data = reader.mapping(value, parent, "no_known_caution", path)
    if data is None or not reader.keys(data, path, ("note", "sources"), ()):
        return None
    note = reader.text(data, "note", path)
    sources = _sources(reader, data, "sources", path)
    return NoKnownCaution(note, sources) if note and sources else None


RULE_REQUIRED = (
    "id",
    "title",
    "mechanism",
    "severity",
    "evidence",
    "when",
    "rationale",
    "advice",
    "ask",
    "sources",
    "reviewed",
    "examples",
)


def _rule(reader: _Reader, data: Any, path: str) -> Rule | None:
    reader.keys(data, path, RULE_REQUIRED, ())
    rule_id = reader.ident(data, "id", path)
    title = reader.text(data, "title", path)
    mechanism = reader.choice(data, "mechanism", path, MECHANISMS)
    severity = reader.choice(data, "severity", path, [s.value for s in Severity])
    evidence = reader.choice(data, "evidence", path, [e.value for e in Evidence])
    when = (
        _when(reader, data.get("when"), data, "when", f"{path}.when", 0) if "when" in data else None
    )
    rationale = reader.text(data, "rationale", path)
    advice = reader.text(data, "advice", path)
    ask = reader.text_list(data, "ask", path)
    if "ask" in data and not ask:
        reader.problem(
            data, "ask", f"{path}.ask", "at least one question to ask a clinician is required"
        )
    sources = _sources(reader, data, "sources", path)
    reviewed = _date(reader, data, "reviewed", path, required=True)
    fires, silent = _examples(reader, data.get("examples"), data, f"{path}.examples")
    values = (rule_id, title, mechanism, severity, evidence, when, rationale, advice, reviewed)
    if any(v is None for v in values) or not ask or not sources or not fires or not silent:
        return None
    assert rule_id and title and mechanism and severity and evidence and when and rationale
    assert advice and reviewed
    return Rule(
        id=rule_id,
        title=title,
        mechanism=mechanism,
        severity=Severity(severity),
        evidence=Evidence(evidence),
        when=when,
        rationale=rationale,
        advice=advice,
        ask=ask,
        sources=sources,
        reviewed=reviewed,
        fires=fires,
        silent=silent,
        origin=f"{reader.file}:{_line_of(data)}",
    )


_ATOMS = ("condition", "supplement", "property", "medication", "total", "active", "strain")
_COMBINATORS = ("all", "any", "not")


def _when(
    reader: _Reader, value: Any, parent: Any, key: str | int, path: str, depth: int
) -> When | None:
    if depth > MAX_WHEN_DEPTH:
        reader.problem(parent, key, path, f"nested more than {MAX_WHEN_DEPTH} levels deep")
        return None
    data = reader.mapping(value, parent, key, path)
    if data is None:
        return None
    if len(data) != 1:
        reader.problem(
            data,
            None,
            path,
            f"expected exactly one of {', '.join(_ATOMS + _COMBINATORS)}, "
            f"got {sorted(data) or 'nothing'}",
        )
        return None
    ((op, arg),) = data.items()
    sub = f"{path}.{op}"
    if op in ("all", "any"):
        if not isinstance(arg, list) or not arg:
            reader.problem(data, op, sub, "expected a non-empty list of conditions")
            return None
        items = [
            _when(reader, item, arg, i, f"{sub}[{i}]", depth + 1) for i, item in enumerate(arg)
        ]
        if any(item is None for item in items):
            return None
        clean = tuple(item for item in items if item is not None)
        return AllOf(clean) if op == "all" else AnyOf(clean)
    if op == "not":
        inner = _when(reader, arg, data, op, sub, depth + 1)
        return NotOf(inner) if inner is not None else None
    if op in ("condition", "supplement", "medication", "property"):
        ident = reader.ident(data, op, path)
        if ident is None:
            return None
        atom: dict[str, Callable[[str], When]] = {
            "condition": HasCondition,
            "supplement": TakesSupplement,
            "medication": TakesMedication,
            "property": HasProperty,
        }
        return atom[op](ident)
    if op == "active":
        if not isinstance(arg, bool):
            reader.problem(data, op, sub, f"expected true or false, got {_describe(arg)}")
            return None
        return DiseaseActive(arg)
    if op == "strain":
        choice = reader.choice(data, op, path, ("named", "unnamed"))
        return StrainNamed(choice == "named") if choice else None
    if op == "total":
        return _total(reader, arg, data, sub)
    reader.problem(
        data, op, sub, f"unknown test {op!r} (known: {', '.join(_ATOMS + _COMBINATORS)})"
    )
    return None


def _total(reader: _Reader, value: Any, parent: Any, path: str) -> When | None:
    data = reader.mapping(value, parent, "total", path)
    if data is None or not reader.keys(data, path, ("nutrient", "above"), ()):
        return None
    nutrient = reader.ident(data, "nutrient", path)
    above = data.get("above")
    if above == "upper_limit":
        return TotalAbove(nutrient) if nutrient else None
    limit = reader.mapping(above, data, "above", f"{path}.above")
    if limit is None or not reader.keys(limit, f"{path}.above", ("amount", "unit"), ()):
        return None
    amount = reader.number(limit, "amount", f"{path}.above")
    unit = reader.choice(limit, "unit", f"{path}.above", units.UNITS)
    if nutrient is None or amount is None or unit is None:
        return None
    return TotalAbove(nutrient, amount, unit)


def _examples(
    reader: _Reader, value: Any, parent: Any, path: str
) -> tuple[tuple[ExampleProfile, ...], tuple[ExampleProfile, ...]]:
    data = reader.mapping(value, parent, "examples", path)
    if data is None or not reader.keys(data, path, ("fires", "silent"), ()):
        return (), ()
    result: dict[str, tuple[ExampleProfile, ...]] = {}
    for key in ("fires", "silent"):
        items = data.get(key)
        if not isinstance(items, list) or not items:
            reader.problem(
                data, key, f"{path}.{key}", "expected a non-empty list of example profiles"
            )
            result[key] = ()
            continue
        profiles = []
        for index, item in enumerate(items):
            item_path = f"{path}.{key}[{index}]"
            example = reader.mapping(item, items, index, item_path)
            if example is None:
                continue
            reader.keys(
                example, item_path, (), ("conditions", "supplements", "medications", "active")
            )
            active = example.get("active", False)
            if not isinstance(active, bool):
                reader.problem(example, "active", f"{item_path}.active", "expected true or false")
                active = False
            profiles.append(
                ExampleProfile(
                    reader.text_list(example, "conditions", item_path),
                    reader.text_list(example, "supplements", item_path),
                    reader.text_list(example, "medications", item_path),
                    active,
                )
            )
        result[key] = tuple(profiles)
    return result["fires"], result["silent"]


# --- merging files and checking references -------------------------------------------------


def build(files: Sequence[ParsedFile]) -> RuleBase:
    """Merge parsed files (the shipped base first) and check every cross-reference."""
    problems = _Problems()
    entries: dict[Kind, dict[str, Entry]] = {kind: {} for kind in Kind}
    entry_where: dict[tuple[Kind, str], str] = {}
    rules: dict[str, Rule] = {}
    rule_where: dict[str, str] = {}
    replaced: list[str] = []
    for parsed in files:
        overrides = set(parsed.overrides)
        _check_overrides(parsed, entry_where, rule_where, problems)
        for entry, line in parsed.entries:
            key = (entry.kind, entry.id)
            if key in entry_where and entry.id not in overrides:
                problems.add(
                    parsed.file,
                    line,
                    "",
                    f"{entry.kind.value} id {entry.id!r} is already "
                    f"defined at {entry_where[key]} (list it under 'overrides' to replace it)",
                )
                continue
            if key in entry_where:
                replaced.append(f"{entry.kind.value} {entry.id}")
            entries[entry.kind][entry.id] = entry
            entry_where[key] = f"{parsed.file}:{line}"
        for rule, line in parsed.rules:
            if rule.id in rule_where and rule.id not in overrides:
                problems.add(
                    parsed.file,
                    line,
                    "",
                    f"rule id {rule.id!r} is already defined at "
                    f"{rule_where[rule.id]} (list it under 'overrides' to replace it)",
                )
                continue
            if rule.id in rule_where:
                replaced.append(f"rule {rule.id}")
            rules[rule.id] = rule
            rule_where[rule.id] = f"{parsed.file}:{line}"
    _check_parents(entries, entry_where, problems)
    _check_contents(entries[Kind.SUPPLEMENT], entry_where, problems)
    known_properties = {p for e in entries[Kind.SUPPLEMENT].values() for p in e.properties}
    for rule in rules.values():
        for message in _check_when(rule.when, entries, known_properties):
            problems.add(*_split_where(rule_where[rule.id]), f"rule {rule.id!r}: when: {message}")
    if problems.items:
        raise RuleFileError(problems.items)
    base_file = files[0] if files else ParsedFile("")
    info = RuleBaseInfo(
        version=base_file.version or "unversioned",
        reviewed=max((r.reviewed for r in rules.values()), default=base_file.reviewed or ""),
        files=tuple(parsed.file for parsed in files),
        replaced=tuple(replaced),
    )
    if base_file.reviewed:
        info = info._replace(reviewed=base_file.reviewed)
    return RuleBase(info=info, entries=entries, rules=dict(sorted(rules.items())))


def _check_overrides(
    parsed: ParsedFile,
    entry_where: dict[tuple[Kind, str], str],
    rule_where: dict[str, str],
    problems: _Problems,
) -> None:
    """An id under `overrides` must be defined by an earlier file and again by this one: a
    misspelt override would otherwise replace nothing without a word."""
    earlier = {entry_id for _kind, entry_id in entry_where} | set(rule_where)
    own = {entry.id for entry, _ in parsed.entries} | {rule.id for rule, _ in parsed.rules}
    for override in dict.fromkeys(parsed.overrides):
        if override not in earlier:
            problem = "no earlier rule file defines it"
        elif override not in own:
            problem = "this file does not define it again"
        else:
            continue
        where = (parsed.file, parsed.overrides_line, "overrides")
        problems.add(*where, f"{override!r} replaces nothing: {problem}")


def _check_contents(
    supplements: dict[str, Entry], where: dict[tuple[Kind, str], str], problems: _Problems
) -> None:
    for entry in supplements.values():
        for amount in entry.contents.amounts if entry.contents else ():
            at = _split_where(where[(Kind.SUPPLEMENT, entry.id)])
            if amount.supplement not in supplements:
                problems.add(
                    *at,
                    f"supplement {entry.id!r}: contents: {amount.supplement!r} is not a defined "
                    "supplement",
                )
            elif amount.supplement == entry.id:
                problems.add(*at, f"supplement {entry.id!r}: contents: lists itself")


def _split_where(where: str) -> tuple[str, int, str]:
    file, _, line = where.rpartition(":")
    return file, int(line), ""


def _check_parents(
    entries: dict[Kind, dict[str, Entry]], where: dict[tuple[Kind, str], str], problems: _Problems
) -> None:
    for kind, table in entries.items():
        for entry in table.values():
            for parent in entry.parents:
                if parent not in table:
                    problems.add(
                        *_split_where(where[(kind, entry.id)]),
                        f"{kind.value} {entry.id!r}: parent {parent!r} is not a defined "
                        f"{kind.value}",
                    )
        # Cycle check: depth-first search with colours.
        state: dict[str, int] = {}
        for start in sorted(table):
            stack: list[tuple[str, Iterable[str]]] = [(start, iter(table[start].parents))]
            if state.get(start) == 2:
                continue
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next((c for c in children if c in table), None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(child) == 1:
                    cycle = [n for n, _ in stack[[n for n, _ in stack].index(child) :]] + [child]
                    problems.add(
                        *_split_where(where[(kind, child)]),
                        f"{kind.value} parents form a cycle: {' -> '.join(cycle)}",
                    )
                    return
                elif state.get(child) is None:
                    state[child] = 1
                    stack.append((child, iter(table[child].parents)))


def _check_when(
    when: When, entries: dict[Kind, dict[str, Entry]], properties: set[str]
) -> Iterable[str]:
    if isinstance(when, AllOf | AnyOf):
        for item in when.items:
            yield from _check_when(item, entries, properties)
    elif isinstance(when, NotOf):
        yield from _check_when(when.item, entries, properties)
    elif isinstance(when, HasCondition) and when.id not in entries[Kind.CONDITION]:
        yield f"condition {when.id!r} is not defined"
    elif isinstance(when, TakesSupplement) and when.id not in entries[Kind.SUPPLEMENT]:
        yield f"supplement {when.id!r} is not defined"
    elif isinstance(when, TakesMedication) and when.id not in entries[Kind.MEDICATION]:
        yield f"medication {when.id!r} is not defined"
    elif isinstance(when, HasProperty) and when.property not in properties:
        yield f"no supplement has the property {when.property!r}"
    elif isinstance(when, TotalAbove):
        entry = entries[Kind.SUPPLEMENT].get(when.nutrient)
        if entry is None or entry.nutrient is None:
            yield f"total: {when.nutrient!r} is not a supplement with a 'nutrient' block"
        elif when.amount is None and entry.nutrient.upper_limit is None:
            yield f"total: {when.nutrient!r} has no upper_limit to compare with"
        elif (
            when.unit is not None
            and units.convert(1.0, when.unit, entry.nutrient.unit, entry.nutrient.conversions)
            is None
        ):
            yield (
                f"total: {when.unit} cannot be converted to {entry.nutrient.unit} "
                f"for {when.nutrient!r}"
            )


def load(extra: Sequence[Path] = (), *, include_shipped: bool = True) -> RuleBase:
    """Load the shipped base plus extra rule files into one validated RuleBase."""
    parsed: list[ParsedFile] = []
    problems: list[str] = []
    paths = ([shipped_rules_path()] if include_shipped else []) + list(extra)
    for index, path in enumerate(paths):
        display = "rules.yaml" if include_shipped and index == 0 else str(path)
        try:
            parsed.append(parse_file(path, display))
        except RuleFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RuleFileError(problems)
    return build(parsed)
