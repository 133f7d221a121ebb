"""The atoms of the `when` language: each test is one class with everything about it (how it is
parsed and checked, its index keys, how it matches a profile, its words, cache form and schema).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from suppcheck import units
from suppcheck.model import Entry, Kind, Resolved, UpperLimit, format_amount
from suppcheck.rules.language.base import (
    KIND_PREFIX,
    NAMED_STRAIN,
    NOTHING,
    PROPERTY_PREFIX,
    STRAIN_SPECIFIC,
    Found,
    Known,
    Matcher,
    Parse,
    Test,
    Words,
    expect,
    ref,
    strict,
)
from suppcheck.rules.language.context import UNKNOWN, Context


class Atom(Test):
    """A test that looks at the profile itself. What it finds is worked out once a check (many
    rules test the same atom) and, for `shared` atoms, once per conditions-and-activity."""

    __slots__ = ()
    shared: ClassVar[bool] = False  # depends only on the conditions and activity

    def match(self, context: Context) -> Found | None:
        raise NotImplementedError

    def compile(self) -> Matcher:
        key = (self.key, *self.values())  # a plain tuple: hashed in C on every lookup
        match = self.match
        if self.shared:

            def shared(context: Context) -> Found | None:
                atoms = context.shared.atoms
                found = atoms.get(key, UNKNOWN)
                if found is UNKNOWN:
                    found = atoms[key] = match(context)
                return found  # type: ignore[no-any-return]

            return shared

        def atom(context: Context) -> Found | None:
            atoms = context.atoms
            found = atoms.get(key, UNKNOWN)
            if found is UNKNOWN:
                found = atoms[key] = match(context)
            return found  # type: ignore[no-any-return]

        return atom


class _Named(Atom):
    """An atom with one kebab-case id as its argument: `{supplement: zinc}`."""

    __slots__ = ("id",)
    fields = ("id",)
    description: ClassVar[str]

    def __init__(self, id: str) -> None:
        self.id = id

    @classmethod
    def parse(cls, p: Parse) -> Test | None:
        ident = p.reader.ident(p.data, p.key, p.path)
        return None if ident is None else cls(ident)

    @classmethod
    def decode(cls, raw: tuple[Any, ...], child: Callable[[Any], Test]) -> Test:
        expect(len(raw) == 2 and type(raw[1]) is str, cls.key)
        return cls(raw[1])

    @classmethod
    def schema(cls) -> dict[str, Any]:
        return {**ref("id"), "description": cls.description}

    def data(self) -> Any:
        return {self.key: self.id}


def _undefined(known: Known, kind: Kind, entry_id: str) -> Iterator[str]:
    if entry_id not in known.entries[kind]:
        yield f"{kind.value} {entry_id!r} is not defined"


class _Entry(_Named):
    """A test on one kind of entry the person gave: has/takes the id or something under it."""

    __slots__ = ()
    kind: ClassVar[Kind]

    @staticmethod
    def found(ids: tuple[str, ...], because: tuple[str, ...]) -> Found:
        """The ids in their place of a Found (supplements, conditions, medications)."""
        raise NotImplementedError

    def check_refs(self, known: Known) -> Iterator[str]:
        return _undefined(known, self.kind, self.id)

    def anchors(self) -> frozenset[str]:
        return frozenset({KIND_PREFIX[self.kind] + self.id})

    def match(self, context: Context) -> Found | None:
        ids, because = context.under(self.kind, self.id)
        return self.found(tuple(ids), tuple(because)) if ids else None


class Condition(_Entry):
    """`{condition: autoimmune}`: has the condition or a kind of it."""

    __slots__ = ()
    key = "condition"
    kind = Kind.CONDITION
    description = "Has this condition or a kind of it."
    shared = True

    @staticmethod
    def found(ids: tuple[str, ...], because: tuple[str, ...]) -> Found:
        return (), ids, (), because

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        name = words.name(Kind.CONDITION, self.id)
        return (
            f"has neither {name} nor a kind of it" if negated else f"has {name} (or a kind of it)"
        )


class Supplement(_Entry):
    """`{supplement: zinc}`: takes zinc, a form of it, or a product that lists it."""

    __slots__ = ()
    key = "supplement"
    kind = Kind.SUPPLEMENT
    description = "Takes this supplement or a form of it."

    @staticmethod
    def found(ids: tuple[str, ...], because: tuple[str, ...]) -> Found:
        return ids, (), (), because

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        name = words.name(Kind.SUPPLEMENT, self.id)
        return (
            f"takes neither {name} nor a form of it"
            if negated
            else f"takes {name} (or a form of it)"
        )


class Medication(_Entry):
    """`{medication: immunosuppressant}`: takes the medication or one in the class."""

    __slots__ = ()
    key = "medication"
    kind = Kind.MEDICATION
    description = "Takes this medication or one in this class."

    @staticmethod
    def found(ids: tuple[str, ...], because: tuple[str, ...]) -> Found:
        return (), (), ids, because

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        name = words.name(Kind.MEDICATION, self.id)
        if words.is_class(Kind.MEDICATION, self.id):
            if negated:
                return f"takes neither {name} nor a medication in that class"
            return f"takes {name} (or a medication in that class)"
        return f"does not take {name}" if negated else f"takes {name}"


class Property(_Named):
    """`{property: immune-stimulating}`: takes a supplement with the property (own or inherited)."""

    __slots__ = ()
    key = "property"
    description = "Takes a supplement with this property."

    def check_refs(self, known: Known) -> Iterator[str]:
        if self.id not in known.properties:
            yield f"no supplement has the property {self.id!r}"

    def anchors(self) -> frozenset[str]:
        return frozenset({PROPERTY_PREFIX + self.id})

    def match(self, context: Context) -> Found | None:
        base = context.base
        ids = tuple(
            item.id
            for item in context.profile.supplements
            if self.id in base.properties_of(item.id)
        )
        if not ids:
            return None
        because = tuple(
            f"{base.entry(Kind.SUPPLEMENT, i).name} is listed as {self.id.replace('-', ' ')}"
            for i in ids
        )
        return ids, (), (), because

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        if negated:
            return f"takes no supplement with the property {self.id}"
        return f"takes a supplement with the property {self.id}"


def _nutrient_block(known: Known, nutrient_id: str) -> Entry | None:
    entry = known.entries[Kind.SUPPLEMENT].get(nutrient_id)
    return entry if entry is not None and entry.nutrient is not None else None


class NoDose(_Named):
    """`{no_dose: zinc}`: takes zinc (or a form of it) without a dose that can be counted: no
    amount was given, or one that cannot be converted to the nutrient's unit. A product whose
    contents the rule base lists is counted with those amounts, so it never holds for one."""

    __slots__ = ()
    key = "no_dose"
    description = "Takes this supplement or a form of it without a dose that can be counted."

    def check_refs(self, known: Known) -> Iterator[str]:
        if _nutrient_block(known, self.id) is None:
            yield f"no_dose: {self.id!r} is not a supplement with a 'nutrient' block"

    def anchors(self) -> frozenset[str]:
        return frozenset({KIND_PREFIX[Kind.SUPPLEMENT] + self.id})

    def match(self, context: Context) -> Found | None:
        base = context.base
        ids: list[str] = []
        because: list[str] = []
        for item in context.profile.supplements:
            if self.id not in base.lineage(Kind.SUPPLEMENT, item.id):
                continue
            if base.entry(Kind.SUPPLEMENT, item.id).contents is not None:
                continue  # counted with its listed amounts
            dose = item.dose
            if dose is None:
                ids.append(item.id)
                because.append(f"no amount was given for {item.name}")
                continue
            declared = base.nutrient_of(item.id)
            nutrient = declared.nutrient if declared is not None else None
            if nutrient is None or (
                units.convert(dose.amount, dose.unit, nutrient.unit, nutrient.conversions) is None
            ):
                ids.append(item.id)
                because.append(f"the amount given for {item.name} ({dose}) cannot be counted")
        return (tuple(ids), (), (), tuple(because)) if ids else None

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        name = words.name(Kind.SUPPLEMENT, self.id)
        if negated:
            return f"takes no {name} (nor a form of it) without a dose that can be counted"
        return f"takes {name} (or a form of it) without a dose that can be counted"


class Strain(Atom):
    """`{strain: named}` / `{strain: unnamed}`: a strain-specific supplement given with (or
    without) its strain named."""

    __slots__ = ("named",)
    key = "strain"
    fields = ("named",)

    def __init__(self, named: bool) -> None:
        self.named = named

    @classmethod
    def parse(cls, p: Parse) -> Test | None:
        choice = p.reader.choice(p.data, p.key, p.path, ("named", "unnamed"))
        return cls(choice == "named") if choice else None

    @classmethod
    def decode(cls, raw: tuple[Any, ...], child: Callable[[Any], Test]) -> Test:
        expect(len(raw) == 2 and type(raw[1]) is bool, cls.key)
        return cls(raw[1])

    @classmethod
    def schema(cls) -> dict[str, Any]:
        return {"enum": ["named", "unnamed"]}

    def anchors(self) -> frozenset[str]:
        # Named or not, only a strain-specific supplement can hold.
        return frozenset({PROPERTY_PREFIX + STRAIN_SPECIFIC})

    def references(self) -> frozenset[str]:
        return frozenset()

    def match(self, context: Context) -> Found | None:
        ids: list[str] = []
        because: list[str] = []
        for item in context.profile.supplements:
            properties = context.base.properties_of(item.id)
            if STRAIN_SPECIFIC not in properties or (NAMED_STRAIN in properties) != self.named:
                continue
            ids.append(item.id)
            because.append(
                f"{item.name} names a specific strain"
                if self.named
                else f"no specific strain was named for {item.name}"
            )
        return (tuple(ids), (), (), tuple(because)) if ids else None

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        if self.named != negated:
            return "a strain-specific supplement is given with its strain named"
        return "a strain-specific supplement is given without naming its strain"

    def data(self) -> Any:
        return {self.key: "named" if self.named else "unnamed"}


def limit_phrase(limit: UpperLimit) -> str:
    """For example: 40 mg a day for adults 19 years and older, food and supplements together."""
    scope = "food and supplements together" if limit.applies_to == "total" else "from supplements"
    return f"{format_amount(limit.amount)} {limit.unit} a day for {limit.population}, {scope}"


class Total(Atom):
    """`{total: {nutrient: zinc, above: upper_limit | {amount, unit}}}`: the daily total of a
    nutrient, all products added up, is above its upper limit or an amount."""

    __slots__ = ("amount", "nutrient", "unit")
    key = "total"
    fields = ("nutrient", "amount", "unit")

    def __init__(self, nutrient: str, amount: float | None = None, unit: str | None = None) -> None:
        self.nutrient = nutrient
        self.amount = amount  # None: the nutrient's own upper limit
        self.unit = unit

    @classmethod
    def parse(cls, p: Parse) -> Test | None:
        reader, path = p.reader, p.sub
        data = reader.mapping(p.arg, p.data, p.key, path)
        if data is None or not reader.keys(data, path, ("nutrient", "above"), ()):
            return None
        nutrient = reader.ident(data, "nutrient", path)
        above = data.get("above")
        if above == "upper_limit":
            return cls(nutrient) if nutrient else None
        limit = reader.mapping(above, data, "above", f"{path}.above")
        if limit is None or not reader.keys(limit, f"{path}.above", ("amount", "unit"), ()):
            return None
        amount = reader.number(limit, "amount", f"{path}.above")
        unit = reader.choice(limit, "unit", f"{path}.above", units.UNITS)
        if nutrient is None or amount is None or unit is None:
            return None
        return cls(nutrient, amount, unit)

    @classmethod
    def decode(cls, raw: tuple[Any, ...], child: Callable[[Any], Test]) -> Test:
        expect(len(raw) == 4 and type(raw[1]) is str, cls.key)
        _, nutrient, amount, unit = raw
        expect(
            (amount is None and unit is None) or (type(amount) is float and type(unit) is str),
            cls.key,
        )
        return cls(nutrient, amount, unit)

    @classmethod
    def schema(cls) -> dict[str, Any]:
        unit = {"enum": list(units.UNITS)}
        above = strict(["amount", "unit"], {"amount": ref("positive_number"), "unit": unit})
        total = strict(
            ["nutrient", "above"],
            {"nutrient": ref("id"), "above": {"anyOf": [{"const": "upper_limit"}, above]}},
        )
        return {**total, "description": "Daily total of a nutrient, all products added up."}

    def check_refs(self, known: Known) -> Iterator[str]:
        entry = _nutrient_block(known, self.nutrient)
        if entry is None or entry.nutrient is None:
            yield f"total: {self.nutrient!r} is not a supplement with a 'nutrient' block"
        elif self.amount is None and entry.nutrient.upper_limit is None:
            yield f"total: {self.nutrient!r} has no upper_limit to compare with"
        elif (
            self.unit is not None
            and units.convert(1.0, self.unit, entry.nutrient.unit, entry.nutrient.conversions)
            is None
        ):
            yield (
                f"total: {self.unit} cannot be converted to {entry.nutrient.unit} "
                f"for {self.nutrient!r}"
            )

    def anchors(self) -> frozenset[str]:
        return frozenset({KIND_PREFIX[Kind.SUPPLEMENT] + self.nutrient})

    def match(self, context: Context) -> Found | None:
        total = context.totals.get(self.nutrient)
        if total is None or not total.products:
            return None
        base = context.base
        entry = base.entry(Kind.SUPPLEMENT, self.nutrient)
        assert entry.nutrient is not None  # checked by the loader
        if self.amount is None:
            threshold = total.limit_in_unit  # the upper limit, converted once per total
        else:
            assert self.unit is not None
            threshold = units.convert(
                self.amount, self.unit, total.unit, entry.nutrient.conversions
            )
        if threshold is None or not total.total > threshold:
            return None
        if self.amount is None:
            # The person's own limit (their life-stage group's), chosen with the totals.
            limit = total.upper_limit
            assert limit is not None  # checked by the loader
            described = (
                f"the tolerable upper intake level of {format_amount(limit.amount)} {limit.unit} "
                f"a day for {limit.population} ({limit.source.title})"
            )
        else:
            described = f"{format_amount(self.amount)} {self.unit} a day"
        because = (
            f"your {entry.nutrient.measure} adds up to {format_amount(total.total)} {total.unit} a "
            f"day ({total.breakdown}), above {described}"
        )
        contributors = tuple(
            item.id for item in context.profile.supplements if _adds_to(context, item, entry)
        )
        return contributors, (), (), (because,)

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        entry = words.entry(Kind.SUPPLEMENT, self.nutrient)
        nutrient = entry.nutrient if entry is not None else None
        measure = nutrient.measure if nutrient is not None else self.nutrient
        if self.amount is not None:
            amount = f"{format_amount(self.amount)} {self.unit}"
            text = f"more than {amount} of {measure} a day, all products added up"
        else:
            limit = nutrient.upper_limit if nutrient is not None else None
            text = f"more than the upper limit of {measure} a day, all products added up"
            if limit is not None:
                text = f"{text} (the limit: {limit_phrase(limit)})"
        return ("does not take " if negated else "takes ") + text

    def data(self) -> Any:
        above: Any = (
            "upper_limit" if self.amount is None else {"amount": self.amount, "unit": self.unit}
        )
        return {self.key: {"nutrient": self.nutrient, "above": above}}


def _adds_to(context: Context, item: Resolved, nutrient: Entry) -> bool:
    """Whether `item` added an amount to `nutrient`'s daily total (a dose that could not be
    converted added nothing)."""
    base = context.base
    assert nutrient.nutrient is not None
    conversions = nutrient.nutrient.conversions
    unit = nutrient.nutrient.unit
    dose = item.dose
    if (
        dose is not None
        and base.nutrient_of(item.id) is nutrient
        and units.convert(dose.amount, dose.unit, unit, conversions) is not None
    ):
        return True
    contents = base.entry(Kind.SUPPLEMENT, item.id).contents
    return contents is not None and any(
        base.nutrient_of(a.supplement) is nutrient
        and units.convert(a.amount, a.unit, unit, conversions) is not None
        for a in contents.amounts
    )


class _YesNo(Atom):
    """A test whose value is true or false, said in one of two phrases (`words`)."""

    __slots__ = ("value",)
    fields = ("value",)
    words: ClassVar[tuple[str, str]]  # (true, false)

    def __init__(self, value: bool = True) -> None:
        self.value = value

    @classmethod
    def parse(cls, p: Parse) -> Test | None:
        if not isinstance(p.arg, bool):
            p.problem(f"expected true or false, got {p.reader.describe(p.arg)}")
            return None
        return cls(p.arg)

    @classmethod
    def decode(cls, raw: tuple[Any, ...], child: Callable[[Any], Test]) -> Test:
        expect(len(raw) == 2 and type(raw[1]) is bool, cls.key)
        return cls(raw[1])

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        return self.words[0] if self.value != negated else self.words[1]

    def data(self) -> Any:
        return {self.key: self.value}


class _Flag(_YesNo):
    """A yes or no the person gave (`--active`, `--pregnant`, `--breastfeeding`), read from the
    profile's field of the same name; not given counts as false."""

    __slots__ = ()
    description: ClassVar[str]  # for the JSON Schema
    said: ClassVar[str]  # why a finding holds, when the answer is yes

    @classmethod
    def schema(cls) -> dict[str, Any]:
        return {"type": "boolean", "description": cls.description}

    def match(self, context: Context) -> Found | None:
        if getattr(context.profile, self.key) != self.value:
            return None
        return ((), (), (), (self.said,)) if self.value else NOTHING


class Active(_Flag):
    """`{active: true}`: the person said the disease is currently active (or, false: it is not).
    `shared`: it is part of the conditions and activity (language.Shared)."""

    __slots__ = ()
    key = "active"
    shared = True
    words = ("the disease is currently active or flaring", "the disease is not currently active")
    description = "The disease is currently active."
    said = "you said your disease is currently active or flaring"


class AnySupplement(_YesNo):
    """`{any_supplement: true}`: the person takes at least one supplement (or, false: none).
    For claims about supplements in general, such as bringing them to a medication review."""

    __slots__ = ()
    key = "any_supplement"
    words = ("takes at least one supplement", "takes no supplement")
    _TAKES: Found = ((), (), (), ("you take supplements",))

    @classmethod
    def schema(cls) -> dict[str, Any]:
        return {"type": "boolean", "description": "Takes at least one supplement (or none)."}

    def match(self, context: Context) -> Found | None:
        if bool(context.profile.supplements) != self.value:
            return None
        # It names no supplement: the finding is about the regimen as a whole, so a report shows
        # it once rather than under every supplement.
        return self._TAKES if self.value else NOTHING


class Pregnant(_Flag):
    """`{pregnant: true}`: the person is pregnant (`--pregnant`)."""

    __slots__ = ()
    key = "pregnant"
    words = ("is pregnant", "is not pregnant (or did not say so)")
    description = "The person said they are pregnant (true)."
    said = "you said you are pregnant"


class Breastfeeding(_Flag):
    """`{breastfeeding: true}`: the person is breastfeeding (`--breastfeeding`)."""

    __slots__ = ()
    key = "breastfeeding"
    words = ("is breastfeeding", "is not breastfeeding (or did not say so)")
    description = "The person said they are breastfeeding (true)."
    said = "you said you are breastfeeding"


class Age(Atom):
    """`{age: {below: 19}}` or `{age: {at_least: 51}}`: the age given, in whole years. False
    when no age was given, either way: a rule never assumes an age."""

    __slots__ = ("below", "years")
    key = "age"
    fields = ("below", "years")

    def __init__(self, below: bool, years: int) -> None:
        self.below = below
        self.years = years

    @classmethod
    def parse(cls, p: Parse) -> Test | None:
        reader, path = p.reader, p.sub
        data = reader.mapping(p.arg, p.data, p.key, path)
        if data is None:
            return None
        if len(data) != 1 or next(iter(data)) not in ("below", "at_least"):
            reader.problem(
                p.data, p.key, path, f"expected one of below or at_least, got {sorted(data)}"
            )
            return None
        ((bound, years),) = data.items()
        if isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= 121:
            reader.problem(data, bound, f"{path}.{bound}", "expected whole years from 0 to 121, "
                           f"got {reader.describe(years)}")  # fmt: skip
            return None
        return cls(bound == "below", years)

    @classmethod
    def decode(cls, raw: tuple[Any, ...], child: Callable[[Any], Test]) -> Test:
        expect(len(raw) == 3 and type(raw[1]) is bool and type(raw[2]) is int, cls.key)
        return cls(raw[1], raw[2])

    @classmethod
    def schema(cls) -> dict[str, Any]:
        years = {"type": "integer", "minimum": 0, "maximum": 121}
        below = strict(["below"], {"below": years})
        at_least = strict(["at_least"], {"at_least": years})
        return {
            "oneOf": [below, at_least],
            "description": "The age given, in whole years; false when no age was given.",
        }

    def match(self, context: Context) -> Found | None:
        age = context.profile.age
        if age is None or (age < self.years) != self.below:
            return None
        bound = "under" if self.below else "at least"
        return (), (), (), (f"you are {age} ({bound} {self.years})",)

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        bound = "under" if self.below else "at least"
        if negated:
            return f"is not {bound} {self.years} years old, or gave no age"
        return f"is {bound} {self.years} years old (an age was given)"

    def data(self) -> Any:
        return {self.key: {"below" if self.below else "at_least": self.years}}


class Sex(Atom):
    """`{sex: female}` or `{sex: male}`: the sex given (false when none was given)."""

    __slots__ = ("sex",)
    key = "sex"
    fields = ("sex",)

    def __init__(self, sex: str) -> None:
        self.sex = sex

    @classmethod
    def parse(cls, p: Parse) -> Test | None:
        choice = p.reader.choice(p.data, p.key, p.path, ("female", "male"))
        return cls(choice) if choice else None

    @classmethod
    def decode(cls, raw: tuple[Any, ...], child: Callable[[Any], Test]) -> Test:
        expect(len(raw) == 2 and raw[1] in ("female", "male"), cls.key)
        return cls(raw[1])

    @classmethod
    def schema(cls) -> dict[str, Any]:
        return {"enum": ["female", "male"], "description": "The sex given (false if none)."}

    def match(self, context: Context) -> Found | None:
        if context.profile.sex != self.sex:
            return None
        return (), (), (), (f"you said your sex is {self.sex}",)

    def explain(self, words: Words, *, negated: bool = False, nested: bool = False) -> str:
        if negated:
            return f"did not give sex {self.sex}"
        return f"gave sex {self.sex}"

    def data(self) -> Any:
        return {self.key: self.sex}
