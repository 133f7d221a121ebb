"""Sentences every format shares, so that no format can leave out a safety statement."""

from __future__ import annotations

from collections.abc import Callable

from suppcheck.model import (
    EVIDENCE_MEANING,
    LIFE_STAGE_POPULATION,
    Coverage,
    Dose,
    Finding,
    Kind,
    Profile,
    Report,
    Resolved,
    RuleBaseInfo,
    Severity,
    SupplementStatus,
    Unresolved,
)
from suppcheck.printable import readable

DISCLAIMER = (
    "suppcheck is not medical advice. It lists cautions from published sources so that you can "
    "discuss them; it cannot judge your situation. Consult your clinician (doctor, pharmacist or "
    "registered dietitian) before starting, stopping or changing any supplement or medicine."
)
CLINICIAN_PROMPT = (
    "Take this report, and the labels of your supplements, to your clinician, and ask about "
    "anything in it before you start, stop or change a supplement."
)
ABSENCE_IS_NOT_SAFETY = (
    "No caution found is not evidence of safety: the rule base covers only what its sources say."
)


def rule_files_sentence(info: RuleBaseInfo) -> str | None:
    """What rule files other than the shipped one added and replaced, for a report's opening
    lines; None when only the shipped rule base was used. A file in rules.d/ or given with
    --rules can replace a shipped rule or upper limit, and so silence a caution: every format
    says so before anything else."""
    added = info.files[1:]  # the shipped rule base is always the first
    if not added:
        return None
    sentence = "rule files added: " + ", ".join(readable(name) for name in added)
    if info.replaced:
        sentence += "; replaced rules/entries: " + ", ".join(info.replaced)
    return sentence


# A source with no address is one of the seed documents the rule base started from.
SEED_NOTE = "(seed document; see docs/claims.md)"

SEVERITIES = tuple(Severity)  # iterating over an enum class is slow; over a tuple is not
# The same word and symbol for a severity in every format (text falls back to ASCII symbols
# only on a terminal that cannot show these).
SYMBOL = {Severity.WARNING: "\u25b2", Severity.CAUTION: "\u25c6", Severity.INFO: "\u25cf"}
WORD = {Severity.WARNING: "WARNING", Severity.CAUTION: "CAUTION", Severity.INFO: "INFO"}
HIGHEST_FIRST = SEVERITIES[::-1]
_SEVERITY_WORD = {severity: severity.value for severity in SEVERITIES}  # .value is slow to read


def evidence_phrase(report_evidence: str) -> str:
    for evidence, meaning in EVIDENCE_MEANING.items():
        if evidence.value == report_evidence:
            return f"{evidence.value} ({meaning})"
    return report_evidence


def findings_summary(report: Report, counts: dict[Severity, int] | None = None) -> str:
    """ "2 warnings, 1 caution, 3 info": highest severity first, empty groups left out.

    The findings as a person reads them (`shown_counts`: a group of rules making one point is
    one finding); `counts` is that when the caller has it already."""
    if counts is None:
        counts = shown_counts(report)
    parts = []
    for severity in HIGHEST_FIRST:
        count = counts[severity]
        if count:
            plural = "s" if count != 1 and severity is not Severity.INFO else ""
            parts.append(f"{count} {_SEVERITY_WORD[severity]}{plural}")
    return ", ".join(parts)


def details_summary(report: Report) -> str:
    """The details' heading: "1 caution, 1 info", and how many rules those findings come from
    when rules were grouped ("1 caution, 1 info, from 4 rules"), so that the numbers agree with
    the blocks below ("3 rules, one finding") and with the JSON report's per-rule `counts`."""
    shown = shown_counts(report)
    summary = findings_summary(report, shown)
    if sum(shown.values()) != len(report.findings):
        summary += f", from {len(report.findings)} rules"
    return summary


def headline(report: Report, counts: dict[Severity, int] | None = None) -> str:
    """One sentence for the top of every format; never 'safe', never 'all clear' when unsure.

    It reads only the severity counts of the findings as shown (`shown_counts`, or `counts`),
    whether all input was understood and whether anything was checked: report/jsonline.py
    encodes one summary per combination of those.
    """
    if report.findings:
        line = f"Found: {findings_summary(report, counts)}."
        if not report.fully_understood:
            line += " Some input was not understood and was not checked (see below)."
        return line
    if not report.fully_understood:
        return (
            "Incomplete check: some input was not understood and was not checked (see below). "
            "Nothing was found for the rest, which is not evidence of safety."
        )
    if any(s.coverage is Coverage.CHECKED for s in report.statuses):
        return "No caution found for what was checked. " + ABSENCE_IS_NOT_SAFETY
    return "No rule matched. " + ABSENCE_IS_NOT_SAFETY


def severity_counts(report: Report) -> dict[Severity, int]:
    """Findings per severity, one per rule that fired (the JSON report's `counts`)."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in report.findings:
        counts[finding.rule.severity] += 1
    return counts


def group_key(finding: Finding) -> tuple[object, ...] | None:
    """What makes findings one point: the rule's `group` and the same supplements, conditions
    and medications (None for a rule in no group). overview.folds shows such findings as one."""
    rule = finding.rule
    if rule.group is None:
        return None
    return (rule.group, finding.supplements, finding.conditions, finding.medications)


def shown_counts(report: Report) -> dict[Severity, int]:
    """Findings per severity as a person reads them: a group of findings (`group_key`) counts
    once, at the severity of its most severe member, under whose title it is shown."""
    counts = dict.fromkeys(SEVERITIES, 0)
    groups: dict[tuple[object, ...], Severity] = {}
    for finding in report.findings:
        key = group_key(finding)
        severity = finding.rule.severity
        if key is None:
            counts[severity] += 1
        elif key not in groups or severity.rank > groups[key].rank:
            groups[key] = severity
    for severity in groups.values():
        counts[severity] += 1
    return counts


def understood_rows(report: Report) -> list[tuple[str, Resolved]]:
    """(kind label, item) for everything understood: conditions, supplements, medications."""
    profile = report.profile
    groups = (
        ("condition", profile.conditions),
        ("supplement", profile.supplements),
        ("medication", profile.medications),
    )
    return [(label, item) for label, items in groups for item in items]


CONFIRMED = " (confirmed)"  # after the name of an item the person confirmed at a prompt


def confirmed_mark(item: Resolved) -> str:
    """ " (confirmed)" for a name the person confirmed at a terminal prompt, else ""."""
    return CONFIRMED if item.confirmed else ""


def about(report: Report, finding: Finding) -> list[str]:
    """The names of the supplements and medications a finding is about, as understood."""
    profile = report.profile
    names = {item.id: item.name for item in (*profile.supplements, *profile.medications)}
    return [names.get(i, i) for i in (*finding.supplements, *finding.medications)]


def condition_names(report: Report) -> str:
    names = [c.name for c in report.profile.conditions]
    if not names:
        return "no condition given"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def status_sentence(status: SupplementStatus, report: Report) -> str:
    name = status.supplement.name
    if status.coverage is Coverage.FLAGGED:
        count = sum(1 for f in report.findings if status.supplement.id in f.supplements)
        return f"flagged: {count} finding{'s' if count != 1 else ''} above"
    if status.coverage is Coverage.CHECKED:
        return (
            f"checked, no caution found for {name} with {condition_names(report)}; "
            "that is not evidence of safety"
        )
    return (
        f"not covered: no rule covers {name} with {condition_names(report)}; "
        "that is not evidence of safety"
    )


def unresolved_sentence(item: Unresolved) -> str:
    text = f"{item.kind.value}: {item.reason}"
    if item.suggestions:
        verb = "one of" if len(item.suggestions) > 1 else ""
        text += f". Did you mean {verb + ' ' if verb else ''}{', '.join(item.suggestions)}?"
    return with_condition_hint(text, item)


def with_condition_hint(text: str, item: Unresolved) -> str:
    """An unknown condition removes every condition-based caution: offer the general ones."""
    if item.kind is not Kind.CONDITION or item.reason != "unknown condition":
        return text
    return (
        f"{text}{' ' if text.endswith('?') else '. '}If your condition is autoimmune, "
        "`-c autoimmune` gives the general autoimmune cautions; `suppcheck list conditions` "
        "shows every known condition."
    )


def list_commands(report: Report) -> list[str]:
    """`suppcheck list conditions` (and so on) for each kind of name that was not understood,
    so that the hint for an unknown condition points to the conditions."""
    kinds = {item.kind for item in report.profile.unresolved}
    return [f"suppcheck list {kind.value}s" for kind in Kind if kind in kinds]


def spelling_hint(report: Report, code: Callable[[str], str] = lambda c: f"`{c}`") -> str:
    commands = " or ".join(code(command) for command in list_commands(report))
    return f"Check the spelling, or run {commands} to see known names."


KIND_LABEL = {
    Kind.CONDITION: "condition",
    Kind.SUPPLEMENT: "supplement",
    Kind.MEDICATION: "medication",
}


def daily_dose(dose: Dose) -> str:
    """ "50 mg a day", or the arithmetic when the dose was written otherwise ("25 mg, twice a
    day = 50 mg a day"), so the reader can check how suppcheck read it."""
    return dose.arithmetic or f"{dose} a day"


def life_stage_words(profile: Profile) -> str | None:
    """ "age 34, female, pregnant" for "What was checked"; None when none was given."""
    if not profile.has_life_stage_input:
        return None
    parts = [f"age {profile.age}"] if profile.age is not None else []
    parts += [profile.sex] if profile.sex is not None else []
    parts += ["pregnant"] if profile.pregnant else []
    parts += ["breastfeeding"] if profile.breastfeeding else []
    return ", ".join(parts)


LIMITS_ASSUMED = (
    "Limits are for adults 19 years and older; give --age, --pregnant or --breastfeeding for "
    "your own."
)
LIMITS_INFANT = (
    "The rule base has no upper limits for infants under 1 year: the limits shown are the "
    "adults' and do not apply to a baby. Ask a paediatrician."
)


def limits_line(profile: Profile) -> str | None:
    """Which population the upper limits assume, when the person did not say (one line in the
    totals part of every format); None when they are the person's own group's."""
    if not profile.life_stage_given:
        return LIMITS_ASSUMED
    return LIMITS_INFANT if profile.life_stage_group is None else None


def limits_for(profile: Profile) -> dict[str, object]:
    """The JSON report's `limits_for`: the life-stage group whose limits were used."""
    group = profile.life_stage_group
    return {
        "group": group,
        "population": LIFE_STAGE_POPULATION[group] if group else "infants under 1 year",
        "assumed": not profile.life_stage_given,
        "note": limits_line(profile),
    }
