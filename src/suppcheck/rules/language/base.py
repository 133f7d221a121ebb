"""What every test of the `when` language shares: the Test contract, what a match finds, the
reader a test parses with, the names it explains with, and the JSON-Schema building blocks.

A test is one class (atoms.py, combinators.py) holding everything about it; the registry in
`__init__.py` maps its YAML key to it. Nothing else in the package switches on a test's type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol

from suppcheck.model import Entry, Kind, When

if TYPE_CHECKING:
    from suppcheck.rules.language.context import Context
    from suppcheck.rules.rulebase import RuleBase

# Index keys: what an entry brings to a check and what a test needs ("c:lupus", "p:strain-specific")
KIND_PREFIX = {Kind.CONDITION: "c:", Kind.SUPPLEMENT: "s:", Kind.MEDICATION: "m:"}
PROPERTY_PREFIX = "p:"
# The properties the strain test reads: a strain-specific supplement, given with its strain named.
STRAIN_SPECIFIC = "strain-specific"
NAMED_STRAIN = "named-strain"
MAX_DEPTH = 32  # how deeply a rule file may nest combinators
MAX_DECODE_DEPTH = 64  # the cache's bound (a damaged cache must not recurse without end)

# What a `when` found: (supplement ids, condition ids, medication ids, "because" lines). Tuples
# rather than sets: merging two is concatenation, and the few items are made unique and sorted
# once, when a rule fires.
Found = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
NOTHING: Found = ((), (), (), ())
Matcher = Callable[["Context"], "Found | None"]

# The registry, YAML key -> test class; filled in `__init__.py` (one line per test).
TESTS: dict[str, type[Test]] = {}


class Malformed(ValueError):
    """A cached `when` that is not what encode() writes (the cache then parses the YAML)."""


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Malformed(what)


class Reader(Protocol):
    """The loader's problem-recording reader (file:line errors), as a test's parse uses it."""

    def problem(self, container: Any, key: str | int | None, path: str, message: str) -> None: ...
    def mapping(self, value: Any, parent: Any, key: str | int | None, path: str) -> Any: ...
    def keys(
        self, data: Any, path: str, required: Sequence[str], optional: Sequence[str]
    ) -> bool: ...
    def ident(self, data: Any, key: str, path: str) -> str | None: ...
    def number(self, data: Any, key: str, path: str) -> float | None: ...
    def choice(self, data: Any, key: str, path: str, choices: Sequence[str]) -> str | None: ...
    def describe(self, value: Any) -> str: ...


class Parse(NamedTuple):
    """One `{key: arg}` mapping being parsed: where it is, and how to parse a nested `when`."""

    reader: Reader
    data: Any  # the mapping with the one key
    key: str
    arg: Any
    path: str  # of the mapping, e.g. "rules[3].when.all[0]"
    depth: int

    @property
    def sub(self) -> str:
        return f"{self.path}.{self.key}"

    def problem(self, message: str) -> None:
        self.reader.problem(self.data, self.key, self.sub, message)

    def when(self, value: Any, parent: Any, key: str | int, path: str) -> Test | None:
        return parse_when(self.reader, value, parent, key, path, self.depth + 1)


def parse_when(
    reader: Reader, value: Any, parent: Any, key: str | int, path: str, depth: int = 0
) -> Test | None:
    """A `when` mapping -> its Test, or None with every problem recorded in `reader`."""
    if depth > MAX_DEPTH:
        reader.problem(parent, key, path, f"nested more than {MAX_DEPTH} levels deep")
        return None
    data = reader.mapping(value, parent, key, path)
    if data is None:
        return None
    if len(data) != 1:
        reader.problem(
            data,
            None,
            path,
            f"expected exactly one of {', '.join(TESTS)}, got {sorted(data) or 'nothing'}",
        )
        return None
    ((op, arg),) = data.items()
    test = TESTS.get(op)
    if test is None:
        reader.problem(data, op, f"{path}.{op}", f"unknown test {op!r} (known: {', '.join(TESTS)})")
        return None
    return test.parse(Parse(reader, data, op, arg, path, depth))


def decode_when(raw: Any, depth: int = 0) -> Test:
    """What Test.encode() wrote -> the Test; Malformed when it is anything else."""
    expect(isinstance(raw, tuple) and len(raw) >= 1 and depth <= MAX_DECODE_DEPTH, "when")
    test = TESTS.get(raw[0]) if type(raw[0]) is str else None
    expect(test is not None, "when key")
    assert test is not None
    return test.decode(raw, lambda item: decode_when(item, depth + 1))


class Known(NamedTuple):
    """What a merged rule base defines, for checking the ids a `when` names."""

    entries: Mapping[Kind, Mapping[str, Entry]]
    properties: frozenset[str]


class Words:
    """Names entries through `base` when given; without one (a file checked alone), by id."""

    def __init__(self, base: RuleBase | None) -> None:
        self.base = base

    def name(self, kind: Kind, entry_id: str) -> str:
        entry = self.entry(kind, entry_id)
        return entry.name if entry is not None else entry_id

    def entry(self, kind: Kind, entry_id: str) -> Entry | None:
        if self.base is None:
            return None
        return self.base.entries[kind].get(entry_id)

    def is_class(self, kind: Kind, entry_id: str) -> bool:
        """Whether other entries sit under this one (unknown without a base: assume so)."""
        if self.base is None or entry_id not in self.base.entries[kind]:
            return True
        return bool(self.base.descendants(kind, entry_id))


class Test(When):
    """One test of the `when` language. Subclasses set `key` and `fields` (the values that make
    two tests equal, in `encode()` order) and implement what their kind of test needs."""

    __slots__ = ()
    key: ClassVar[str]
    fields: ClassVar[tuple[str, ...]]
    combinator: ClassVar[bool] = False  # all, any, not: said in brackets when negated

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.fields)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.values() == other.values()

    def __hash__(self) -> int:
        return hash((self.key, *self.values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.fields)
        return f"{type(self).__name__}({inner})"

    # --- reading: rule file and cache ---------------------------------------------------------

    @classmethod
    def parse(cls, p: Parse) -> Test | None:
        """The test from its rule-file form, or None with the problems recorded (file:line)."""
        raise NotImplementedError

    def encode(self) -> tuple[Any, ...]:
        """Plain data for the cache (marshal): the key, then the values."""
        return (self.key, *self.values())

    @classmethod
    def decode(cls, raw: tuple[Any, ...], child: Callable[[Any], Test]) -> Test:
        raise NotImplementedError

    @classmethod
    def schema(cls) -> dict[str, Any]:
        """Its part of the rule-file JSON Schema (the value under its key)."""
        raise NotImplementedError

    # --- checking and indexing ---------------------------------------------------------------

    def check_refs(self, known: Known) -> Iterator[str]:
        """A message for every id it names that the merged rule base does not define."""
        return iter(())

    def anchors(self) -> frozenset[str] | None:
        """Keys one of which must be in the profile for the test to hold; None: no such set."""
        return None

    def anchor_options(self) -> list[frozenset[str]] | None:
        """Every anchor set one of which the test needs (each alone can index it)."""
        anchors = self.anchors()
        return None if anchors is None else [anchors]

    def references(self) -> frozenset[str]:
        """Every key it mentions, negated or not (for `show` and coverage)."""
        return self.anchors() or frozenset()

    # --- evaluating and saying ---------------------------------------------------------------

    def compile(self) -> Matcher:
        """The test as a function of the profile: built once per rule base, not per check."""
        raise NotImplementedError

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        """In plain words, as `suppcheck explain` prints it."""
        raise NotImplementedError

    def data(self) -> Any:
        """As it is written in a rule file (for JSON output)."""
        raise NotImplementedError


# --- JSON-Schema building blocks (rules/schema.py uses them too) ------------------------------


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def strict(required: list[str], properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An object with exactly these keys allowed (the loader reports any other as unknown)."""
    schema: dict[str, Any] = {"type": "object", **extra, "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def list_of(item: dict[str, Any], *, nullable: bool = False, min_items: int = 0) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": ["array", "null"] if nullable else "array"}
    if min_items:
        schema["minItems"] = min_items
    schema["items"] = item
    return schema
