"""The `when` language of rule files, in one place.

Each test is one class (atoms.py, combinators.py) that holds everything about it: `parse` (from
the rule file, with file:line problems), `check_refs` (ids the merged rule base must define),
`anchors` (the index keys a profile must bring), `compile` (the matcher the engine runs),
`explain` (plain words), `data` (as written, for JSON), `encode`/`decode` (the cache) and `schema`
(its part of the JSON Schema). `TESTS` maps each YAML key to its class: adding a test is one
class and one entry in the tuple below (docs/rule-authoring.md says how).

The functions below take a rule's `when` as the model types it (`model.When`, which knows
nothing of these methods) and hand it to its class.
"""

from __future__ import annotations

from typing import Any, cast

from suppcheck.model import When
from suppcheck.rules.language.atoms import (
    Active,
    Age,
    AnySupplement,
    Breastfeeding,
    Condition,
    Medication,
    NoDose,
    Pregnant,
    Property,
    Sex,
    Strain,
    Supplement,
    Total,
    limit_phrase,
)
from suppcheck.rules.language.base import (
    KIND_PREFIX,
    NAMED_STRAIN,
    PROPERTY_PREFIX,
    STRAIN_SPECIFIC,
    TESTS,
    Found,
    Known,
    Malformed,
    Matcher,
    Reader,
    Test,
    Words,
    decode_when,
    list_of,
    parse_when,
    ref,
    strict,
)
from suppcheck.rules.language.combinators import AllOf, AnyOf, NotOf
from suppcheck.rules.language.context import Context, Shared, finding_from, shared_for

# The registry: YAML key -> test, in the order error messages and the schema list them.
TESTS.update(
    (test.key, test)
    for test in (
        Condition,
        Supplement,
        Property,
        Medication,
        Total,
        Active,
        Strain,
        NoDose,
        AnySupplement,
        Pregnant,
        Breastfeeding,
        Age,
        Sex,
        AllOf,
        AnyOf,
        NotOf,
    )
)


def as_test(when: When) -> Test:
    """The rule's `when` with its methods (every `when` is built by parse or decode)."""
    return cast(Test, when)


def compile_when(when: When) -> Matcher:
    return as_test(when).compile()


def anchor_options(when: When) -> list[frozenset[str]] | None:
    return as_test(when).anchor_options()


def references_of(when: When) -> frozenset[str]:
    return as_test(when).references()


def when_text(when: When, base: Any = None) -> str:
    """`{all: [{supplement: melatonin}, {condition: autoimmune}]}` ->
    "takes Melatonin (or a form of it) AND has Autoimmune disease (or a kind of it)"."""
    return as_test(when).explain(Words(base))


def when_data(when: When) -> Any:
    """The `when` as it is written in a rule file (for JSON output)."""
    return as_test(when).data()


def encode_when(when: When) -> tuple[Any, ...]:
    return as_test(when).encode()


def when_schema() -> dict[str, Any]:
    """The `when` part of the rule-file JSON Schema: one property per test."""
    return strict(
        [],
        {key: cls.schema() for key, cls in TESTS.items()},
        minProperties=1,
        maxProperties=1,
        description="Exactly one test or combinator.",
    )


__all__ = [
    "KIND_PREFIX",
    "NAMED_STRAIN",
    "PROPERTY_PREFIX",
    "STRAIN_SPECIFIC",
    "TESTS",
    "Active",
    "Age",
    "AllOf",
    "AnyOf",
    "Breastfeeding",
    "Condition",
    "Context",
    "Found",
    "Known",
    "Malformed",
    "Matcher",
    "Medication",
    "NoDose",
    "NotOf",
    "Pregnant",
    "Property",
    "Reader",
    "Sex",
    "Shared",
    "Strain",
    "Supplement",
    "Test",
    "Total",
    "Words",
    "anchor_options",
    "as_test",
    "compile_when",
    "decode_when",
    "encode_when",
    "finding_from",
    "limit_phrase",
    "list_of",
    "parse_when",
    "ref",
    "references_of",
    "shared_for",
    "strict",
    "when_data",
    "when_schema",
    "when_text",
]
