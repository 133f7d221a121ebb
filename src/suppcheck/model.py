"""The typed model every other module works with: rule base, profile, findings, report.

Immutable NamedTuples and enums only. NamedTuple rather than frozen dataclasses because the
model is imported on every start-up (every TAB press): 27 frozen dataclasses cost about 10 ms
to create, the same NamedTuples about 1 ms. This module imports nothing from the package, so
any module may import it without cycles. (No `from __future__ import annotations` here: string
annotations would make typing compile a ForwardRef for every field at start-up.)
"""

import enum
from typing import NamedTuple


class Severity(str, enum.Enum):
    """How much a finding matters for this person (never folded together with evidence)."""

    INFO = "info"
    CAUTION = "caution"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.CAUTION: 1, Severity.WARNING: 2}

SEVERITY_MEANING = {
    Severity.INFO: "worth knowing; no change needed before talking to a clinician",
    Severity.CAUTION: "talk to a clinician before taking or continuing it",
    Severity.WARNING: "a stronger concern for you; do not start without a clinician's go-ahead",
}


class Evidence(str, enum.Enum):
    """How strong the support for a claim is, weakest first."""

    THEORETICAL = "theoretical"
    PRELIMINARY = "preliminary"
    CASE_REPORTS = "case-reports"
    OBSERVATIONAL = "observational"
    CLINICAL_TRIALS = "clinical-trials"
    OFFICIAL_GUIDANCE = "official-guidance"


EVIDENCE_MEANING = {
    Evidence.THEORETICAL: (
        "a plausible mechanism or laboratory and animal findings; not shown in people"
    ),
    Evidence.PRELIMINARY: "early, mixed or limited findings in people",
    Evidence.CASE_REPORTS: "reports of individual patients",
    Evidence.OBSERVATIONAL: "associations seen in population studies; not proof of cause",
    Evidence.CLINICAL_TRIALS: "controlled trials in people",
    Evidence.OFFICIAL_GUIDANCE: "a public health authority's guidance or reference values",
}


class Action(str, enum.Enum):
    """What a rule asks the person to do, beside its free-text advice (linted against severity)."""

    AVOID = "avoid"
    DISCUSS = "discuss"  # discuss with a clinician before starting or continuing
    MONITOR = "monitor"
    SEPARATE = "separate"  # take apart in time: `Rule.separate_hours`
    INFORM = "inform"


ACTION_MEANING = {
    Action.AVOID: "avoid it unless your clinician advises otherwise",
    Action.DISCUSS: "discuss it with your clinician before starting or continuing",
    Action.MONITOR: "watch for the effect named, with your clinician",
    Action.SEPARATE: "take the two apart in time",
    Action.INFORM: "tell your clinician you take it",
}


class Kind(str, enum.Enum):
    """The three vocabularies a user can name."""

    CONDITION = "condition"
    SUPPLEMENT = "supplement"
    MEDICATION = "medication"


class Source(NamedTuple):
    title: str
    url: str | None = None
    evidence: Evidence | None = None  # how strong this source is for the claim it supports
    locator: str | None = None  # section, table or page
    pmid: str | None = None
    doi: str | None = None


class Conversion(NamedTuple):
    """`factor` canonical units of the nutrient equal one `unit` (vitamin D: 1 IU = 0.025 mcg)."""

    unit: str
    factor: float
    source: Source | None = None


class UpperLimit(NamedTuple):
    amount: float
    unit: str
    population: str
    applies_to: str  # "total" (food and supplements) or "supplements"
    basis: str
    source: Source
    caveat: str | None = None


class GroupLimit(NamedTuple):
    """The upper limit for one National Academies life-stage group ("ages-14-18", ...)."""

    group: str
    amount: float
    unit: str
    source: Source


class Nutrient(NamedTuple):
    """What counts in a dose of this supplement and the limit that amount is compared with."""

    measure: str
    unit: str
    conversions: tuple[Conversion, ...] = ()
    upper_limit: UpperLimit | None = None
    upper_limits: tuple[GroupLimit, ...] = ()  # by life-stage group, where they differ


class ElementalFraction(NamedTuple):
    """The share of a salt's weight that is the nutrient (ferrous sulfate: about 20% iron)."""

    value: float
    source: Source
    # How amounts of this form are usually written: "salt" (the tablet's weight of the salt, as
    # iron tablets are sold) or "elemental" (as Supplement Facts labels list minerals).
    typed_as: str


class TypicalContents(NamedTuple):
    """For a product whose contents vary (a multivitamin): the nutrients such products
    typically contain, whose label amounts the report asks for."""

    nutrients: tuple[str, ...]
    source: Source


class NoKnownCaution(NamedTuple):
    note: str
    sources: tuple[Source, ...]


class ContentAmount(NamedTuple):
    supplement: str
    amount: float
    unit: str


class Contents(NamedTuple):
    """What one daily dose of a multi-ingredient product contains, as its source states."""

    amounts: tuple[ContentAmount, ...]
    per: str  # what the amounts are for, e.g. "the daily dose studied in AREDS2"
    source: Source


class Entry(NamedTuple):
    """A condition, supplement or medication the rule base knows by name."""

    kind: Kind
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    nutrient: Nutrient | None = None
    no_known_caution: NoKnownCaution | None = None
    description: str | None = None
    contents: Contents | None = None
    conversions: tuple[Conversion, ...] = ()  # this form's own (IU of retinyl palmitate ...)
    elemental_fraction: ElementalFraction | None = None
    counts_toward_limit: bool = True  # beta-carotene does not count toward preformed vitamin A
    typical_contents: TypicalContents | None = None


# --- the `when` language ---------------------------------------------------------------------


class When:
    """A test of the `when` language. The tests themselves, each with everything about it
    (parsing, index keys, matching, words, cache form, schema), are in suppcheck.rules.language;
    the model only knows that a rule holds one."""

    __slots__ = ()


class ExampleProfile(NamedTuple):
    conditions: tuple[str, ...] = ()
    supplements: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    active: bool = False
    age: int | None = None
    sex: str | None = None
    pregnant: bool = False
    breastfeeding: bool = False


class Rule(NamedTuple):
    id: str
    title: str
    mechanism: str
    severity: Severity
    evidence: Evidence
    when: When
    rationale: str
    advice: str
    ask: tuple[str, ...]
    sources: tuple[Source, ...]
    reviewed: str
    fires: tuple[ExampleProfile, ...]
    silent: tuple[ExampleProfile, ...]
    origin: str = ""  # "file:line" where the rule was defined
    action: Action | None = None
    separate_hours: float | None = None  # with Action.SEPARATE: the gap its source gives
    group: str | None = None  # rules of one group firing for the same inputs read as one finding
    retired: bool = False  # `status: retired`: kept for the record, never fires
    review_note: str | None = None  # who or what the `reviewed` review checked


class RuleBaseInfo(NamedTuple):
    version: str
    reviewed: str
    files: tuple[str, ...]
    # What later files replaced through `overrides`, as "supplement zinc" or "rule some-id":
    # every report says so, since a replaced rule can silence a caution.
    replaced: tuple[str, ...] = ()


# --- what the user gave, after resolution ----------------------------------------------------


class Dose(NamedTuple):
    amount: float  # a day: a weekly amount is a daily average
    unit: str  # canonical spelling: mg, mcg, g, IU, CFU, mcg DFE, mcg RAE
    arithmetic: str | None = None  # how `amount` was worked out from the writing, when not plain

    def __str__(self) -> str:
        if self.unit == "CFU" and self.amount >= 1e9:  # labels say "10 billion CFU"
            return f"{format_amount(self.amount / 1e9)} billion CFU"
        return f"{format_amount(self.amount)} {self.unit}"


class Resolved(NamedTuple):
    input: str
    kind: Kind
    id: str
    name: str
    dose: Dose | None = None
    dose_problem: str | None = None  # a dose was written but could not be read
    confirmed: bool = False  # the person confirmed a suggested name for what they typed


class Unresolved(NamedTuple):
    input: str
    kind: Kind
    reason: str
    suggestions: tuple[str, ...] = ()


class Profile(NamedTuple):
    """The resolved person: what was understood, what was not, and disease activity."""

    conditions: tuple[Resolved, ...] = ()
    supplements: tuple[Resolved, ...] = ()
    medications: tuple[Resolved, ...] = ()
    active: bool = False
    unresolved: tuple[Unresolved, ...] = ()
    raw_conditions: tuple[str, ...] = ()
    raw_supplements: tuple[str, ...] = ()
    raw_medications: tuple[str, ...] = ()
    from_saved_profile: bool = False
    # Life stage: each unknown unless given (see `life_stage_group`).
    age: int | None = None  # whole years
    sex: str | None = None  # "female" or "male"
    pregnant: bool = False
    breastfeeding: bool = False

    @property
    def has_life_stage_input(self) -> bool:
        """Whether any of age, sex, pregnant or breastfeeding was given."""
        return self.life_stage_given or self.sex is not None

    @property
    def life_stage_given(self) -> bool:
        """Whether anything that chooses the upper limits (age, pregnancy, breastfeeding) was
        given; without it the limits are the adults' and the report says so."""
        return self.age is not None or self.pregnant or self.breastfeeding

    @property
    def life_stage_group(self) -> str | None:
        """The National Academies' life-stage group whose upper limits apply: "adults-19+"
        when nothing says otherwise, None for an infant (no group: the rule base has no infant
        limits). Pregnancy comes before breastfeeding; an unknown age counts as 19 or older."""
        age = self.age
        adult = age is None or age >= 19
        if self.pregnant:
            return "pregnancy-19+" if adult else "pregnancy-14-18"
        if self.breastfeeding:
            return "lactation-19+" if adult else "lactation-14-18"
        if adult:
            return "adults-19+"
        assert age is not None
        for youngest, group in _AGE_GROUPS:
            if age >= youngest:
                return group
        return None


_AGE_GROUPS = ((14, "ages-14-18"), (9, "ages-9-13"), (4, "ages-4-8"), (1, "ages-1-3"))

# Each life-stage group in words, as reports name the population a limit is for.
LIFE_STAGE_POPULATION = {
    "ages-1-3": "children 1 to 3 years",
    "ages-4-8": "children 4 to 8 years",
    "ages-9-13": "children 9 to 13 years",
    "ages-14-18": "adolescents 14 to 18 years",
    "adults-19+": "adults 19 years and older",
    "pregnancy-14-18": "pregnancy, 14 to 18 years",
    "pregnancy-19+": "pregnancy, 19 years and older",
    "lactation-14-18": "breastfeeding, 14 to 18 years",
    "lactation-19+": "breastfeeding, 19 years and older",
}


# --- what the engine returns -----------------------------------------------------------------


class Finding(NamedTuple):
    rule: Rule
    supplements: tuple[str, ...]
    conditions: tuple[str, ...]
    medications: tuple[str, ...]
    because: tuple[str, ...]


class Coverage(str, enum.Enum):
    FLAGGED = "flagged"
    CHECKED = "checked"  # rules exist for this person and none fired: "no caution found"
    NOT_COVERED = "not-covered"


class SupplementStatus(NamedTuple):
    supplement: Resolved
    coverage: Coverage


class Contribution(NamedTuple):
    """One product's share of a nutrient total."""

    name: str  # the supplement's name in the rule base
    amount: float  # in the total's unit
    # What the person typed for it ("Thorne zinc picolinate 30 mg"): three zinc products are
    # told apart by what their labels say, not by "Zinc".
    input: str


class NutrientTotal(NamedTuple):
    nutrient: str
    name: str
    unit: str
    total: float
    products: tuple[Contribution, ...]
    without_dose: tuple[str, ...]
    upper_limit: UpperLimit | None
    limit_in_unit: float | None  # the upper limit converted to `unit`

    @property
    def over_limit(self) -> bool:
        return self.limit_in_unit is not None and self.total > self.limit_in_unit

    @property
    def breakdown(self) -> str:
        """Each product's share, named as typed: '20 mg from "zinc 20 mg" + 30 mg from "zinc
        picolinate 30 mg"'."""
        return " + ".join(
            f'{format_amount(share.amount)} {self.unit} from "{share.input}"'
            for share in self.products
        )


class Report(NamedTuple):
    profile: Profile
    findings: tuple[Finding, ...]
    statuses: tuple[SupplementStatus, ...]
    totals: tuple[NutrientTotal, ...]
    not_added: tuple[str, ...]  # dose problems: amounts that could not be converted or added
    notes: tuple[str, ...]
    rule_base: RuleBaseInfo
    rule_count: int

    @property
    def highest_severity(self) -> Severity | None:
        if not self.findings:
            return None
        return max((f.rule.severity for f in self.findings), key=lambda s: s.rank)

    @property
    def fully_understood(self) -> bool:
        return not self.profile.unresolved and not self.not_added


def format_amount(value: float) -> str:
    """Print 50.0 as 50, 10000.0 as 10,000 and 0.025 as 0.025: as people write amounts."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.6g}"
