"""The typed model every other module works with: rule base, profile, findings, report.

Frozen dataclasses and enums only. This module imports nothing from the package, so any module
may import it without cycles.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(str, enum.Enum):
    """How much a finding matters for this person (never folded together with evidence)."""

    INFO = "info"
    CAUTION = "caution"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.CAUTION: 1, Severity.WARNING: 2}


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


class Kind(str, enum.Enum):
    """The three vocabularies a user can name."""

    CONDITION = "condition"
    SUPPLEMENT = "supplement"
    MEDICATION = "medication"


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Conversion:
    """`factor` canonical units of the nutrient equal one `unit` (vitamin D: 1 IU = 0.025 mcg)."""

    unit: str
    factor: float


@dataclass(frozen=True)
class UpperLimit:
    amount: float
    unit: str
    population: str
    applies_to: str  # "total" (food and supplements) or "supplements"
    basis: str
    source: Source
    caveat: str | None = None


@dataclass(frozen=True)
class Nutrient:
    """What counts in a dose of this supplement and the limit that amount is compared with."""

    measure: str
    unit: str
    conversions: tuple[Conversion, ...] = ()
    upper_limit: UpperLimit | None = None


@dataclass(frozen=True)
class NoKnownCaution:
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Entry:
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


# --- the `when` language ---------------------------------------------------------------------


@dataclass(frozen=True)
class HasCondition:
    id: str


@dataclass(frozen=True)
class TakesSupplement:
    id: str


@dataclass(frozen=True)
class HasProperty:
    property: str


@dataclass(frozen=True)
class TakesMedication:
    id: str


@dataclass(frozen=True)
class TotalAbove:
    """Daily total of a nutrient across all products is above its upper limit or an amount."""

    nutrient: str
    amount: float | None = None  # None: the nutrient's own upper limit
    unit: str | None = None


@dataclass(frozen=True)
class DiseaseActive:
    active: bool = True


@dataclass(frozen=True)
class StrainNamed:
    named: bool


@dataclass(frozen=True)
class AllOf:
    items: tuple[When, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[When, ...]


@dataclass(frozen=True)
class NotOf:
    item: When


When = (
    HasCondition
    | TakesSupplement
    | HasProperty
    | TakesMedication
    | TotalAbove
    | DiseaseActive
    | StrainNamed
    | AllOf
    | AnyOf
    | NotOf
)


@dataclass(frozen=True)
class ExampleProfile:
    conditions: tuple[str, ...] = ()
    supplements: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    active: bool = False


@dataclass(frozen=True)
class Rule:
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


@dataclass(frozen=True)
class RuleBaseInfo:
    version: str
    reviewed: str
    files: tuple[str, ...]


# --- what the user gave, after resolution ----------------------------------------------------


@dataclass(frozen=True)
class Dose:
    amount: float
    unit: str  # canonical spelling: mg, mcg, g, IU, CFU

    def __str__(self) -> str:
        if self.unit == "CFU" and self.amount >= 1e9:  # labels say "10 billion CFU"
            return f"{format_amount(self.amount / 1e9)} billion CFU"
        return f"{format_amount(self.amount)} {self.unit}"


@dataclass(frozen=True)
class Resolved:
    input: str
    kind: Kind
    id: str
    name: str
    dose: Dose | None = None


@dataclass(frozen=True)
class Unresolved:
    input: str
    kind: Kind
    reason: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
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


# --- what the engine returns -----------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    rule: Rule
    supplements: tuple[str, ...]
    conditions: tuple[str, ...]
    medications: tuple[str, ...]
    because: tuple[str, ...]


class Coverage(str, enum.Enum):
    FLAGGED = "flagged"
    CHECKED = "checked"  # rules exist for this person and none fired: "no caution found"
    NOT_COVERED = "not-covered"


@dataclass(frozen=True)
class SupplementStatus:
    supplement: Resolved
    coverage: Coverage


@dataclass(frozen=True)
class NutrientTotal:
    nutrient: str
    name: str
    unit: str
    total: float
    products: tuple[tuple[str, float], ...]  # (supplement input, amount in `unit`)
    without_dose: tuple[str, ...]
    upper_limit: UpperLimit | None
    limit_in_unit: float | None  # the upper limit converted to `unit`

    @property
    def over_limit(self) -> bool:
        return self.limit_in_unit is not None and self.total > self.limit_in_unit


@dataclass(frozen=True)
class Report:
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
    """Print 50.0 as 50 and 0.025 as 0.025: amounts read as people write them."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"
