"""The combinators of the `when` language: all, any, not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from suppcheck.rules.language.base import (
    NOTHING,
    Found,
    Known,
    Matcher,
    Parse,
    Test,
    Words,
    expect,
    list_of,
    ref,
)
from suppcheck.rules.language.context import Context, merge


class _Of(Test):
    """`{all: [...]}` or `{any: [...]}`: a non-empty list of tests."""

    __slots__ = ("items",)
    fields = ("items",)
    combinator = True
    joiner: str
    description: str

    def __init__(self, items: tuple[Test, ...]) -> None:
        self.items = items

    @classmethod
    def parse(cls, p: Parse) -> Test | None:
        if not isinstance(p.arg, list) or not p.arg:
            p.reader.problem(p.data, p.key, p.sub, "expected a non-empty list of conditions")
            return None
        items = [p.when(item, p.arg, i, f"{p.sub}[{i}]") for i, item in enumerate(p.arg)]
        clean = tuple(item for item in items if item is not None)
        return cls(clean) if len(clean) == len(items) else None

    def encode(self) -> tuple[Any, ...]:
        return (self.key, tuple(item.encode() for item in self.items))

    @classmethod
    def decode(cls, raw: tuple[Any, ...], child: Callable[[Any], Test]) -> Test:
        expect(len(raw) == 2 and isinstance(raw[1], tuple) and len(raw[1]) > 0, cls.key)
        return cls(tuple(child(item) for item in raw[1]))

    @classmethod
    def schema(cls) -> dict[str, Any]:
        return {**list_of(ref("when"), min_items=1), "description": cls.description}

    def check_refs(self, known: Known) -> Iterator[str]:
        for item in self.items:
            yield from item.check_refs(known)

    def references(self) -> frozenset[str]:
        return frozenset().union(*(item.references() for item in self.items))

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        text = self.joiner.join(item.explain(words, nested=True) for item in self.items)
        return f"({text})" if nested and len(self.items) > 1 else text

    def data(self) -> Any:
        return {self.key: [item.data() for item in self.items]}


class AllOf(_Of):
    """`{all: [...]}`: every one holds."""

    __slots__ = ()
    key = "all"
    joiner = " AND "
    description = "Every one holds."

    def anchors(self) -> frozenset[str] | None:
        # Any one anchored child must hold; the smallest anchor set indexes the rule most finely.
        child_sets = [a for a in (item.anchors() for item in self.items) if a is not None]
        return min(child_sets, key=lambda a: (len(a), sorted(a))) if child_sets else None

    def anchor_options(self) -> list[frozenset[str]] | None:
        options: list[frozenset[str]] = []
        for item in self.items:
            options.extend(item.anchor_options() or ())
        return options or None

    def compile(self) -> Matcher:
        parts = tuple(item.compile() for item in self.items)
        if len(parts) == 2:  # most rules: a condition or medication, and a supplement
            first, second = parts

            def both(context: Context) -> Found | None:
                one = first(context)
                if one is None:
                    return None
                other = second(context)
                if other is None:
                    return None
                return merge(one, other)

            return both

        def all_of(context: Context) -> Found | None:
            found = NOTHING
            for part in parts:
                more = part(context)
                if more is None:
                    return None
                found = merge(found, more)
            return found

        return all_of


class AnyOf(_Of):
    """`{any: [...]}`: at least one holds (what every holding one found is kept)."""

    __slots__ = ()
    key = "any"
    joiner = " OR "
    description = "At least one holds."

    def anchors(self) -> frozenset[str] | None:
        union: set[str] = set()
        for item in self.items:
            child = item.anchors()
            if child is None:
                return None
            union.update(child)
        return frozenset(union)

    def compile(self) -> Matcher:
        options = tuple(item.compile() for item in self.items)

        def any_of(context: Context) -> Found | None:
            found = None
            for option in options:
                more = option(context)
                if more is not None:
                    found = more if found is None else merge(found, more)
            return found

        return any_of


class NotOf(Test):
    """`{not: ...}`: does not hold. It names nothing the profile must have, so it anchors on
    nothing: a rule that is only a `not` is tried on every check."""

    __slots__ = ("item",)
    key = "not"
    fields = ("item",)
    combinator = True

    def __init__(self, item: Test) -> None:
        self.item = item

    @classmethod
    def parse(cls, p: Parse) -> Test | None:
        inner = p.when(p.arg, p.data, p.key, p.sub)
        return cls(inner) if inner is not None else None

    def encode(self) -> tuple[Any, ...]:
        return (self.key, self.item.encode())

    @classmethod
    def decode(cls, raw: tuple[Any, ...], child: Callable[[Any], Test]) -> Test:
        expect(len(raw) == 2, cls.key)
        return cls(child(raw[1]))

    @classmethod
    def schema(cls) -> dict[str, Any]:
        return {**ref("when"), "description": "Does not hold."}

    def check_refs(self, known: Known) -> Iterator[str]:
        return self.item.check_refs(known)

    def references(self) -> frozenset[str]:
        return self.item.references()

    def compile(self) -> Matcher:
        inner = self.item.compile()

        def not_of(context: Context) -> Found | None:
            return NOTHING if inner(context) is None else None

        return not_of

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        if self.item.combinator:
            return f"NOT ({self.item.explain(words)})"
        return self.item.explain(words, negated=True)

    def data(self) -> Any:
        return {self.key: self.item.data()}
