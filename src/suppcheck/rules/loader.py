"""Rule files (YAML) -> a validated RuleBase.

Every problem is collected with its `file:line:` and the path inside the file, so an author sees
all of them at once. Nothing here runs code from a rule file: the YAML is read with a safe loader
and the `when` language is plain data interpreted by the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from suppcheck import units, yamlfile
from suppcheck.errors import RuleFileError
from suppcheck.model import (
    Action,
    ContentAmount,
    Contents,
    Conversion,
    ElementalFraction,
    Entry,
    Evidence,
    ExampleProfile,
    GroupLimit,
    Kind,
    NoKnownCaution,
    Nutrient,
    Rule,
    RuleBaseInfo,
    Severity,
    Source,
    TypicalContents,
    UpperLimit,
)
from suppcheck.printable import readable
from suppcheck.rules import language
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
SECTION_KINDS = {
    "conditions": Kind.CONDITION,
    "supplements": Kind.SUPPLEMENT,
    "medications": Kind.MEDICATION,
}
TOP_KEYS = ("$schema", "version", "reviewed", "overrides", "properties", *SECTION_KINDS, "rules")


def shipped_rules_path() -> Path:
    """`data/rules.yaml` as installed inside the package (or next to the source tree)."""
    packaged = resources.files("suppcheck") / "data" / "rules.yaml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data" / "rules.yaml"


def is_shipped(path: Path) -> bool:
    """Whether `path` is the shipped rule base: the installed file, the source tree's copy, or a
    file with the same bytes (`rules validate data/rules.yaml` from a checkout, whatever is
    installed). Such a file is validated as the base, not merged with itself."""
    source_copy = Path(__file__).resolve().parents[3] / "data" / "rules.yaml"
    shipped = shipped_rules_path()
    try:
        if any(c.exists() and path.samefile(c) for c in (shipped, source_copy)):
            return True
        if not path.is_file() or path.stat().st_size != shipped.stat().st_size:
            return False
        return path.read_bytes() == shipped.read_bytes()
    except OSError:
        return False


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

    def describe(self, value: Any) -> str:
        return _describe(value)


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
    # The property vocabulary this file declares: (id, description, line).
    properties: list[tuple[str, str, int]] = field(default_factory=list)
    # (supplement id, property) -> the line the supplement lists the property on.
    property_lines: dict[tuple[str, str], int] = field(default_factory=dict)


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
    for _index, item, path in _section_items(reader, data, "properties"):
        reader.keys(item, path, ("id", "description"), ())
        prop = reader.ident(item, "id", path) if "id" in item else None
        described = reader.text(item, "description", path) if "description" in item else None
        if prop and described:
            parsed.properties.append((prop, described, _line_of(item)))
    for section, kind in SECTION_KINDS.items():
        for _index, item, path in _section_items(reader, data, section):
            entry = _entry(reader, kind, item, path)
            if entry is not None:
                parsed.entries.append((entry, _line_of(item)))
                listed = item.get("properties")
                for index, prop in enumerate(listed if isinstance(listed, list) else ()):
                    parsed.property_lines[(entry.id, str(prop))] = _line_of(listed, index)
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
    where = f"{path}.{key}" if path else key
    if value is not None and not DATE_PATTERN.match(value):
        reader.problem(data, key, where, f"expected a date YYYY-MM-DD, got {value!r}")
        return None
    if value is not None and not _real_date(value):  # 2026-02-30 has the form, not the day
        reader.problem(data, key, where, f"{value!r} is not a date that exists")
        return None
    return value


def _real_date(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


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


SOURCE_OPTIONAL = ("url", "evidence", "locator", "pmid", "doi")
PMID_PATTERN = re.compile(r"^[1-9][0-9]{0,8}$")
DOI_PATTERN = re.compile(r"^10\.[0-9]{4,9}/\S+$")


def _source(reader: _Reader, item: Any, parent: Any, key: str | int, path: str) -> Source | None:
    mapping = reader.mapping(item, parent, key, path)
    if mapping is None or not reader.keys(mapping, path, ("title",), SOURCE_OPTIONAL):
        return None
    title = reader.text(mapping, "title", path)
    url = reader.text(mapping, "url", path, required=False)
    if url is not None and not url.startswith("https://"):
        reader.problem(mapping, "url", f"{path}.url", f"expected an https:// address, got {url!r}")
    evidence = None
    if "evidence" in mapping:
        evidence = reader.choice(mapping, "evidence", path, [e.value for e in Evidence])
    locator = reader.text(mapping, "locator", path, required=False)
    pmid = _identifier(reader, mapping, "pmid", path, PMID_PATTERN, "a PubMed id (digits)")
    doi = _identifier(reader, mapping, "doi", path, DOI_PATTERN, "a DOI (10.NNNN/...)")
    if not title:
        return None
    return Source(title, url, Evidence(evidence) if evidence else None, locator, pmid, doi)


def _identifier(
    reader: _Reader, data: Any, key: str, path: str, pattern: re.Pattern[str], what: str
) -> str | None:
    if key not in data:
        return None
    value = data[key]
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not pattern.match(text):
        reader.problem(data, key, f"{path}.{key}", f"expected {what}, got {_describe(value)}")
        return None
    return text


def _entry(reader: _Reader, kind: Kind, data: Any, path: str) -> Entry | None:
    optional = ["aliases", "parents", "description"]
    if kind is Kind.SUPPLEMENT:
        optional += ["properties", "nutrient", "no_known_caution", "contents", *FORM_KEYS]
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
    conversions = _conversions(reader, data, path) if "conversions" in data else ()
    fraction = None
    if data.get("elemental_fraction") is not None:
        fraction = _elemental_fraction(
            reader, data["elemental_fraction"], data, f"{path}.elemental_fraction"
        )
    counts = True
    if "counts_toward_limit" in data:
        counts = data["counts_toward_limit"]
        if not isinstance(counts, bool):
            reader.problem(
                data,
                "counts_toward_limit",
                f"{path}.counts_toward_limit",
                f"expected true or false, got {_describe(counts)}",
            )
            counts = True
    typical = None
    if data.get("typical_contents") is not None:
        typical = _typical_contents(
            reader, data["typical_contents"], data, f"{path}.typical_contents"
        )
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
        conversions,
        fraction,
        counts,
        typical,
    )


# What a form (a salt, an ester) of a nutrient may say about itself.
FORM_KEYS = ("conversions", "elemental_fraction", "counts_toward_limit", "typical_contents")


def _conversions(reader: _Reader, data: Any, path: str) -> tuple[Conversion, ...]:
    """`[{unit: IU, factor: 0.3, source: {...}}]`: one `unit` is `factor` of the nutrient's unit."""
    conversions = []
    raw = data.get("conversions") or []
    if not isinstance(raw, list):
        reader.problem(data, "conversions", f"{path}.conversions", "expected a list")
        raw = []
    for index, item in enumerate(raw):
        item_path = f"{path}.conversions[{index}]"
        conv = reader.mapping(item, raw, index, item_path)
        if conv is None or not reader.keys(conv, item_path, ("unit", "factor"), ("source",)):
            continue
        conv_unit = reader.choice(conv, "unit", item_path, units.UNITS)
        factor = reader.number(conv, "factor", item_path)
        source = None
        if "source" in conv:
            source = _source(reader, conv["source"], conv, "source", f"{item_path}.source")
        if factor is not None and factor <= 0:
            reader.problem(conv, "factor", f"{item_path}.factor", "expected a positive number")
        elif conv_unit is not None and factor is not None:
            conversions.append(Conversion(conv_unit, factor, source))
    return tuple(conversions)


def _elemental_fraction(
    reader: _Reader, value: Any, parent: Any, path: str
) -> ElementalFraction | None:
    data = reader.mapping(value, parent, "elemental_fraction", path)
    if data is None or not reader.keys(data, path, ("value", "source", "typed_as"), ()):
        return None
    fraction = reader.number(data, "value", path)
    if fraction is not None and not 0 < fraction <= 1:
        reader.problem(data, "value", f"{path}.value", "expected a share between 0 and 1")
        fraction = None
    typed_as = reader.choice(data, "typed_as", path, ("salt", "elemental"))
    source = _source(reader, data.get("source"), data, "source", f"{path}.source")
    if fraction is None or typed_as is None or source is None:
        return None
    return ElementalFraction(fraction, source, typed_as)


def _typical_contents(
    reader: _Reader, value: Any, parent: Any, path: str
) -> TypicalContents | None:
    data = reader.mapping(value, parent, "typical_contents", path)
    if data is None or not reader.keys(data, path, ("nutrients", "source"), ()):
        return None
    nutrients = reader.text_list(data, "nutrients", path)
    source = _source(reader, data.get("source"), data, "source", f"{path}.source")
    if not nutrients:
        reader.problem(data, "nutrients", f"{path}.nutrients", "expected a non-empty list of ids")
        return None
    return TypicalContents(nutrients, source) if source else None


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
    reader.keys(data, path, ("measure", "unit"), ("conversions", "upper_limit", "upper_limits"))
    measure = reader.text(data, "measure", path)
    unit = reader.choice(data, "unit", path, units.UNITS)
    conversions = _conversions(reader, data, path)
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
    group_limits = _group_limits(reader, data, path, unit, conversions)
    if measure is None or unit is None:
        return None
    return Nutrient(measure, unit, tuple(conversions), limit, group_limits)


# The National Academies' life-stage groups that have their own upper limits.
LIFE_STAGE_GROUPS = (
    "ages-1-3",
    "ages-4-8",
    "ages-9-13",
    "ages-14-18",
    "adults-19+",
    "pregnancy-14-18",
    "pregnancy-19+",
    "lactation-14-18",
    "lactation-19+",
)


def _group_limits(
    reader: _Reader, data: Any, path: str, unit: str | None, conversions: Sequence[Conversion]
) -> tuple[GroupLimit, ...]:
    raw = data.get("upper_limits")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.problem(data, "upper_limits", f"{path}.upper_limits", "expected a list")
        return ()
    limits: list[GroupLimit] = []
    for index, item in enumerate(raw):
        item_path = f"{path}.upper_limits[{index}]"
        limit = reader.mapping(item, raw, index, item_path)
        if limit is None or not reader.keys(
            limit, item_path, ("group", "amount", "unit", "source"), ()
        ):
            continue
        group = reader.choice(limit, "group", item_path, LIFE_STAGE_GROUPS)
        amount = reader.number(limit, "amount", item_path)
        limit_unit = reader.choice(limit, "unit", item_path, units.UNITS)
        source = _source(reader, limit.get("source"), limit, "source", f"{item_path}.source")
        if group in {g.group for g in limits}:
            reader.problem(limit, "group", f"{item_path}.group", f"{group!r} is listed twice")
            continue
        if (
            unit is not None
            and limit_unit is not None
            and amount is not None
            and units.convert(amount, limit_unit, unit, tuple(conversions)) is None
        ):
            reader.problem(
                limit, "unit", f"{item_path}.unit", f"{limit_unit} cannot be converted to {unit}"
            )
            continue
        if group and amount is not None and limit_unit and source:
            limits.append(GroupLimit(group, amount, limit_unit, source))
    return tuple(limits)


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


RULE_OPTIONAL = ("action", "separate_hours", "group", "status", "review_note")
RULE_STATUSES = ("active", "retired")
# Which actions fit which severity: an "info" finding needs no change before talking to a
# clinician, so it never says avoid or discuss-before-starting; a caution or warning always asks
# for more than telling the clinician.
ACTIONS_FOR = {
    Severity.INFO: (Action.INFORM, Action.MONITOR, Action.SEPARATE),
    Severity.CAUTION: (Action.DISCUSS, Action.MONITOR, Action.SEPARATE, Action.AVOID),
    Severity.WARNING: (Action.AVOID, Action.DISCUSS, Action.SEPARATE, Action.MONITOR),
}
_EVIDENCE_RANK = {evidence: rank for rank, evidence in enumerate(Evidence)}


def _rule(reader: _Reader, data: Any, path: str) -> Rule | None:
    reader.keys(data, path, RULE_REQUIRED, RULE_OPTIONAL)
    rule_id = reader.ident(data, "id", path)
    title = reader.text(data, "title", path)
    mechanism = reader.choice(data, "mechanism", path, MECHANISMS)
    severity = reader.choice(data, "severity", path, [s.value for s in Severity])
    evidence = reader.choice(data, "evidence", path, [e.value for e in Evidence])
    when = (
        language.parse_when(reader, data.get("when"), data, "when", f"{path}.when")
        if "when" in data
        else None
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
    action, hours = _action(reader, data, path, severity)
    group = reader.ident(data, "group", path) if "group" in data else None
    status = reader.choice(data, "status", path, RULE_STATUSES) if "status" in data else None
    review_note = reader.text(data, "review_note", path, required=False)
    if evidence is not None and sources:
        _check_evidence(reader, data, path, Evidence(evidence), sources)
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
        action=action,
        separate_hours=hours,
        group=group,
        retired=status == "retired",
        review_note=review_note,
    )


def _action(
    reader: _Reader, data: Any, path: str, severity: str | None
) -> tuple[Action | None, float | None]:
    """The structured action and, for `separate`, the hours; each checked against the other."""
    action = None
    if "action" in data:
        chosen = reader.choice(data, "action", path, [a.value for a in Action])
        action = Action(chosen) if chosen else None
    hours = reader.number(data, "separate_hours", path) if "separate_hours" in data else None
    if hours is not None and not 0 < hours <= 48:
        reader.problem(data, "separate_hours", f"{path}.separate_hours", "expected 0 < hours <= 48")
        hours = None
    if action is Action.SEPARATE and hours is None and "separate_hours" not in data:
        reader.problem(data, "action", f"{path}.action", "action 'separate' needs separate_hours")
    if "separate_hours" in data and action is not Action.SEPARATE:
        reader.problem(
            data, "separate_hours", f"{path}.separate_hours", "only with action: separate"
        )
    if action is not None and severity in {s.value for s in Severity}:
        allowed = ACTIONS_FOR[Severity(severity)]
        if action not in allowed:
            reader.problem(
                data,
                "action",
                f"{path}.action",
                f"{action.value!r} does not fit severity {severity!r} (expected "
                f"{', '.join(a.value for a in allowed)})",
            )
    return action, hours


def _check_evidence(
    reader: _Reader, data: Any, path: str, evidence: Evidence, sources: Sequence[Source]
) -> None:
    """A rule claims no stronger evidence than the strongest of its sources that says."""
    rated = [s.evidence for s in sources if s.evidence is not None]
    if rated and _EVIDENCE_RANK[evidence] > max(_EVIDENCE_RANK[e] for e in rated):
        strongest = max(rated, key=_EVIDENCE_RANK.__getitem__)
        reader.problem(
            data,
            "evidence",
            f"{path}.evidence",
            f"{evidence.value!r} is stronger than its strongest source ({strongest.value!r})",
        )


_LIFE_STAGE_KEYS = ("age", "sex", "pregnant", "breastfeeding")


def _example_age(reader: _Reader, example: Any, path: str) -> int | None:
    age = example.get("age")
    if age is None:
        return None
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 120:
        reader.problem(example, "age", f"{path}.age", "expected whole years from 0 to 120")
        return None
    return age


def _example_sex(reader: _Reader, example: Any, path: str) -> str | None:
    if example.get("sex") is None:
        return None
    return reader.choice(example, "sex", path, ("female", "male"))


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
                example,
                item_path,
                (),
                ("conditions", "supplements", "medications", "active", *_LIFE_STAGE_KEYS),
            )
            flags = {}
            for flag in ("active", "pregnant", "breastfeeding"):
                flags[flag] = example.get(flag, False)
                if not isinstance(flags[flag], bool):
                    reader.problem(example, flag, f"{item_path}.{flag}", "expected true or false")
                    flags[flag] = False
            profiles.append(
                ExampleProfile(
                    reader.text_list(example, "conditions", item_path),
                    reader.text_list(example, "supplements", item_path),
                    reader.text_list(example, "medications", item_path),
                    flags["active"],
                    _example_age(reader, example, item_path),
                    _example_sex(reader, example, item_path),
                    flags["pregnant"],
                    flags["breastfeeding"],
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
    declared: dict[str, str] = {}  # property -> where it is declared
    for parsed in files:
        overrides = set(parsed.overrides)
        _check_overrides(parsed, entry_where, rule_where, problems)
        _check_properties(parsed, declared, problems)
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
    known = language.Known(
        entries, frozenset(p for e in entries[Kind.SUPPLEMENT].values() for p in e.properties)
    )
    for rule in rules.values():
        for message in language.as_test(rule.when).check_refs(known):
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


def _check_properties(parsed: ParsedFile, declared: dict[str, str], problems: _Problems) -> None:
    """Every property a supplement carries is declared (in this or an earlier file), so a
    misspelt tag is an error rather than a supplement that silently escapes its rules."""
    for prop, _description, line in parsed.properties:
        if prop in declared:
            problems.add(parsed.file, line, "", f"property {prop!r} is already declared at "
                         f"{declared[prop]}")  # fmt: skip
        else:
            declared[prop] = f"{parsed.file}:{line}"
    for entry, line in parsed.entries:
        for prop in entry.properties:
            if prop not in declared:
                at = parsed.property_lines.get((entry.id, prop), line)
                problems.add(
                    parsed.file,
                    at,
                    "",
                    f"supplement {entry.id!r}: property {prop!r} is not declared (add it to the "
                    "top-level 'properties' list of this or an earlier rule file)",
                )


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
        for nutrient in entry.typical_contents.nutrients if entry.typical_contents else ():
            if nutrient not in supplements:
                problems.add(
                    *_split_where(where[(Kind.SUPPLEMENT, entry.id)]),
                    f"supplement {entry.id!r}: typical_contents: {nutrient!r} is not a defined "
                    "supplement",
                )


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
                    # Go on (past this edge): every other problem is reported too.
                elif state.get(child) is None:
                    state[child] = 1
                    stack.append((child, iter(table[child].parents)))


def load(extra: Sequence[Path] = (), *, include_shipped: bool = True) -> RuleBase:
    """Load the shipped base plus extra rule files into one validated RuleBase."""
    parsed: list[ParsedFile] = []
    problems: list[str] = []
    paths = ([shipped_rules_path()] if include_shipped else []) + list(extra)
    for index, path in enumerate(paths):
        display = "rules.yaml" if include_shipped and index == 0 else readable(str(path))
        try:
            parsed.append(parse_file(path, display))
        except RuleFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RuleFileError(problems)
    return build(parsed)
