"""suppcheck list / show / explain: looking things up in the rule base (registered by cli.py).

Every command builds plain data with `describe` first; `--format json` dumps that data and the
text format renders the very same data, so the two cannot disagree. rich, yaml and the loader
are imported inside the commands: this module is imported on every TAB press.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from suppcheck.cli.common import EXIT_USAGE, OnceCommand, load_rule_base, say
from suppcheck.cli.completion import _names, complete_rule_id
from suppcheck.model import Kind

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from suppcheck.rules.rulebase import RuleBase


class ListKind(str, enum.Enum):
    CONDITIONS = "conditions"
    SUPPLEMENTS = "supplements"
    MEDICATIONS = "medications"
    RULES = "rules"


class OutputFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"


LIST_KINDS = {
    ListKind.CONDITIONS: Kind.CONDITION,
    ListKind.SUPPLEMENTS: Kind.SUPPLEMENT,
    ListKind.MEDICATIONS: Kind.MEDICATION,
}

FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
RulesOpt = Annotated[
    list[Path],
    typer.Option(
        "--rules", metavar="FILE", help="An extra rule file (repeatable).", dir_okay=False
    ),
]


def complete_name(incomplete: str) -> Iterator[tuple[str, str]]:
    """Conditions, supplements and medications together, for `show NAME`."""
    seen: set[str] = set()
    for kind in Kind:
        for spelling, name in _names(kind, incomplete):
            if spelling not in seen:
                seen.add(spelling)
                yield spelling, f"{name} ({kind.value})"


def register(app: typer.Typer) -> None:
    """Add list, show and explain to `app`."""
    app.command("list", cls=OnceCommand)(list_command)
    app.command("show", cls=OnceCommand)(show_command)
    app.command("explain", cls=OnceCommand)(explain_command)


# --- the commands ----------------------------------------------------------------------------


def list_command(
    kind: Annotated[ListKind, typer.Argument(help="What to list.", case_sensitive=False)],
    fmt: FormatOpt = OutputFormat.TEXT,
    rules: RulesOpt = [],  # noqa: B006 - typer needs a literal default
    everything: Annotated[
        bool, typer.Option("--all", help="With rules: also the retired rules (never fire).")
    ] = False,
) -> None:
    """List the conditions, supplements, medications or rules.

    Example: suppcheck list supplements --format json
    """
    from suppcheck.report import describe

    base = load_rule_base(rules)
    items: list[dict[str, Any]]
    if kind is ListKind.RULES:
        items = [
            describe.rule_summary(rule)
            for rule in base.rules.values()
            if everything or not rule.retired
        ]
    else:
        entry_kind = LIST_KINDS[kind]
        entries = sorted(base.entries[entry_kind].values(), key=lambda e: e.id)
        items = [describe.list_item(base, entry_kind, entry) for entry in entries]
    if fmt is OutputFormat.JSON:
        _print_json({"kind": kind.value, "rule_base": _base_data(base), "items": items})
        return
    _list_table(kind, items)


def show_command(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="A supplement, condition or medication, by any of its names.",
            autocompletion=complete_name,
        ),
    ],
    fmt: FormatOpt = OutputFormat.TEXT,
    rules: RulesOpt = [],  # noqa: B006 - typer needs a literal default
) -> None:
    """Show all the rule base knows about a supplement, condition or medication.

    Example: suppcheck show "zinc picolinate"
    """
    from suppcheck.printable import readable
    from suppcheck.report import describe
    from suppcheck.rules.vocabulary import normalise

    if not normalise(name):
        _not_found("give a name with at least one letter or digit, e.g. suppcheck show zinc", [])
    base = load_rule_base(rules)
    matches = [
        describe.entry_data(base, kind, entry_id)
        for kind in (Kind.SUPPLEMENT, Kind.CONDITION, Kind.MEDICATION)
        for entry_id in base.vocabulary(kind).lookup(name)
    ]
    if not matches:
        _not_found(f"'{readable(name)}' is not a supplement, condition or medication in the "
                   "rule base", _name_suggestions(base, name))  # fmt: skip
    if fmt is OutputFormat.JSON:
        _print_json({"query": name, "rule_base": _base_data(base), "matches": matches,
                     "disclaimer": _disclaimer()})  # fmt: skip
        return
    out = _Out(_console())
    for index, match in enumerate(matches):
        if index:
            out.console.print()
        _show_entry(out, match)
    _closing(out)


def explain_command(
    rule_id: Annotated[
        str,
        typer.Argument(metavar="RULE_ID", help="The rule's id.", autocompletion=complete_rule_id),
    ],
    fmt: FormatOpt = OutputFormat.TEXT,
    rules: RulesOpt = [],  # noqa: B006 - typer needs a literal default
) -> None:
    """Explain one rule in full: when, why, what to do, and its sources.

    Example: suppcheck explain melatonin-immune-stimulation
    """
    from suppcheck.printable import readable
    from suppcheck.report import describe

    base = load_rule_base(rules)
    rule = base.rules.get(rule_id.strip().lower())
    if rule is None:
        _not_found(f"no rule with the id '{readable(rule_id)}'", _rule_suggestions(base, rule_id))
    data = describe.rule_data(base, rule)
    if fmt is OutputFormat.JSON:
        _print_json({"rule_base": _base_data(base), "rule": data, "disclaimer": _disclaimer()})
        return
    out = _Out(_console())
    _explain_rule(out, data)
    _closing(out)


# --- shared helpers --------------------------------------------------------------------------


def _disclaimer() -> str:
    from suppcheck.report.wording import DISCLAIMER

    return DISCLAIMER


def _closing(out: _Out) -> None:
    """Advice is printed here as in a report: never without the disclaimer."""
    out.console.print()
    out.line((_disclaimer(), "dim"))


def _print_json(data: dict[str, Any]) -> None:
    import json

    # Straight to stdout, never through rich: rich would wrap lines and read [..] as markup.
    from suppcheck.printable import json_text

    sys.stdout.write(json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
    sys.stdout.flush()


def _base_data(base: RuleBase) -> dict[str, Any]:
    info = base.info
    return {"version": info.version, "reviewed": info.reviewed, "files": list(info.files)}


def _not_found(message: str, suggestions: list[str]) -> NoReturn:
    say(f"suppcheck: error: {message}")
    if suggestions:
        say(f"  did you mean: {', '.join(suggestions)}?")
    raise typer.Exit(EXIT_USAGE)


def _name_suggestions(base: RuleBase, name: str) -> list[str]:
    return [
        f"{entry_id} ({kind.value})"
        for kind in (Kind.SUPPLEMENT, Kind.CONDITION, Kind.MEDICATION)
        for entry_id in base.vocabulary(kind).suggest(name, limit=3)
    ]


def _rule_suggestions(base: RuleBase, text: str) -> list[str]:
    import difflib

    key = text.strip().lower()
    close = difflib.get_close_matches(key, list(base.rules), n=5, cutoff=0.6)
    # A subject typed alone ("melatonin") is a fair hint for every rule about it.
    if len(key) >= 3:
        close += [rule_id for rule_id in base.rules if key in rule_id and rule_id not in close]
    return close[:5]


def _visible(text: str) -> str:
    """Text from a rule file or the command line, printable as is: control characters shown."""
    from suppcheck.printable import visible

    return visible(text)


def _console() -> Console:
    import os

    from rich.console import Console

    width = None
    if not sys.stdout.isatty():
        columns = os.environ.get("COLUMNS", "")
        width = max(40, min(int(columns), 200)) if columns.isdigit() else 80

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit 1 ("a finding"); main() ends a run whose reader left quietly.
            raise BrokenPipeError

    # markup off: names and rule text are printed literally, never read as [style] tags.
    return _Console(highlight=False, markup=False, emoji=False, width=width, soft_wrap=False)


class _Out:
    """Wrapped lines, optionally after a label with the text hanging beside it (no padding)."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def line(
        self, *parts: str | tuple[str, str], indent: int = 0, lead: Text | None = None
    ) -> None:
        from rich.text import Text

        text = Text()
        for part in parts:
            if isinstance(part, tuple):
                text.append(_visible(part[0]), style=part[1])
            else:
                text.append(_visible(part))
        hang = len(lead) if lead is not None else 0
        width = max(20, self.console.width - indent - hang)
        for number, piece in enumerate(text.wrap(self.console, width)):
            piece.rstrip()
            first = lead if lead is not None and number == 0 else Text(" " * hang)
            self.console.print(Text(" " * indent) + first + piece, soft_wrap=True)

    def field(self, label: str, value: str, width: int = 14, style: str = "bold") -> None:
        from rich.text import Text

        self.line(value, indent=2, lead=Text(f"{label:<{width - 1}} ", style=style))

    def heading(self, title: str) -> None:
        self.console.print()
        self.line((title, "bold underline"))


def _severity_style(severity: str) -> str:
    from suppcheck.model import Severity
    from suppcheck.report.text import SEVERITY_STYLE

    return SEVERITY_STYLE[Severity(severity)]


# --- list ------------------------------------------------------------------------------------


def _list_table(kind: ListKind, items: list[dict[str, Any]]) -> None:
    """Two columns so that it reads at 80 characters: the id, then the name with its details."""
    from rich.table import Table
    from rich.text import Text

    console = _console()
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
    if kind is ListKind.RULES:
        table.add_column("severity", no_wrap=True)
        table.add_column("evidence", no_wrap=True)
        table.add_column("id and title")
        for item in items:
            cell = Text(_visible(item["id"]), style="bold").append("\n" + _visible(item["title"]))
            if item["status"] == "retired":
                cell.append(" (RETIRED: never fires)", style="dim")
            severity = Text(item["severity"], style=_severity_style(item["severity"]))
            table.add_row(severity, Text(item["evidence"]), cell)
    else:
        table.add_column("id", no_wrap=True)
        table.add_column("name and details")
        for item in items:
            cell = Text(_visible(item["name"]), style="bold")
            for line in _entry_details(kind, item):
                cell.append("\n" + _visible(line))
            table.add_row(Text(_visible(item["id"])), cell)
    console.print(table)
    console.print(Text(f"{len(items)} {kind.value}", style="dim"))


def _entry_details(kind: ListKind, item: dict[str, Any]) -> Iterator[str]:
    from suppcheck.model import format_amount
    from suppcheck.report.describe import PARENT_LABEL

    if item["aliases"]:
        yield f"also called: {_join(item['aliases'])}"
    if item["parents"]:
        yield f"{PARENT_LABEL[LIST_KINDS[kind]]}: {_join(item['parents'])}"
    if item.get("properties"):
        yield f"properties: {_join(item['properties'])}"
    limit = item.get("upper_limit")
    if limit:
        yield f"upper limit: {format_amount(limit['amount'])} {limit['unit']} a day"


def _join(values: list[str]) -> str:
    return ", ".join(values)


# --- show ------------------------------------------------------------------------------------


def _refs(refs: list[dict[str, str]]) -> str:
    return ", ".join(f"{ref['name']} ({ref['id']})" for ref in refs)


def _show_entry(out: _Out, data: dict[str, Any]) -> None:
    from suppcheck.report.describe import DESCENDANT_LABEL, PARENT_LABEL

    kind = Kind(data["kind"])
    out.line((data["name"], "bold"), f" ({kind.value}: {data['id']})")
    if data["description"]:
        out.line(data["description"], indent=2)
    if data["aliases"]:
        out.field("also called", _join(data["aliases"]))
    if data["parents"]:
        out.field(PARENT_LABEL[kind], _refs(data["parents"]))
    further = [a for a in data["ancestors"] if a not in data["parents"]]
    if further:
        out.field("also under", _refs(further))
    if data["descendants"]:
        out.field(DESCENDANT_LABEL[kind], _refs(data["descendants"]))
    if kind is Kind.SUPPLEMENT:
        if data["properties"]:
            out.field("properties", _join(data["properties"]))
        if data["nutrient"]:
            _show_nutrient(out, data["nutrient"], data["id"])
        if data.get("elemental_fraction"):
            _show_fraction(out, data["elemental_fraction"], data["name"])
        if data.get("contents"):
            _show_contents(out, data["contents"])
        if data["no_known_caution"]:
            caution = data["no_known_caution"]
            out.field("no rule", f"known, no rule: {caution['note']}")
            for source in caution["sources"]:
                out.field("", f"source: {_source_text(source)}")
    _show_rules(out, data["rules"], bool(data.get("no_known_caution")))


def _show_contents(out: _Out, contents: dict[str, Any]) -> None:
    from suppcheck.model import format_amount

    amounts = [f"{format_amount(a['amount'])} {a['unit']} {a['name']}" for a in contents["amounts"]]
    out.field("contains", f"{_join(amounts)} ({contents['per']})")
    out.field("", f"source: {_source_text(contents['source'])}")


def _show_fraction(out: _Out, fraction: dict[str, Any], name: str) -> None:
    """How a typed amount of a salt counts: as the salt's weight (iron tablets are sold by it)
    or as the elemental amount (as Supplement Facts labels list minerals)."""
    share = f"{fraction['value']:.0%}"
    if fraction["typed_as"] == "salt":
        said = (
            f"an amount typed after {name} is the salt's weight, as tablets are sold; "
            f"{share} of it counts as the element"
        )
    else:
        said = (
            f"an amount typed after {name} is the elemental amount, as Supplement Facts labels "
            f"list it ({share} of the salt's weight is the element)"
        )
    out.field("typed amount", said)
    out.field("", f"source: {_source_text(fraction['source'])}")


def _show_nutrient(out: _Out, nutrient: dict[str, Any], entry_id: str) -> None:
    from suppcheck.model import format_amount

    counted = f"{nutrient['measure']}, counted in {nutrient['unit']}"
    if nutrient["declared_by"] != entry_id:
        counted += f" (as declared for {nutrient['declared_by']})"
    out.field("nutrient", counted)
    limit = nutrient["upper_limit"]
    if limit is None:
        out.field("upper limit", "none given in the rule base")
        return
    scope = (
        "food and supplements together" if limit["applies_to"] == "total" else "from supplements"
    )
    amount = f"{format_amount(limit['amount'])} {limit['unit']}"
    out.field("upper limit", f"{amount} a day for {limit['population']}, {scope}")
    out.field("", f"basis: {limit['basis']}")
    if limit["caveat"]:
        out.field("", f"caveat: {limit['caveat']}")
    out.field("", f"source: {_source_text(limit['source'])}")


def _show_rules(out: _Out, rules: list[dict[str, Any]], known_no_rule: bool) -> None:
    from rich.text import Text

    if not rules:
        if not known_no_rule:
            out.line("No rule involves it. The absence of a rule is not evidence of safety.",
                     indent=2)  # fmt: skip
        return
    out.line((f"Rules that involve it ({len(rules)}):", "bold"), indent=2)
    for rule in rules:
        lead = Text(f"{rule['severity']:<8} ", style=_severity_style(rule["severity"]))
        out.line(f"{rule['id']}: {rule['title']}", indent=4, lead=lead)
    out.line(("Run `suppcheck explain RULE_ID` for one rule in full.", "dim"), indent=2)


def _source_text(source: dict[str, Any]) -> str:
    return f"{source['title']} <{source['url']}>" if source["url"] else source["title"]


# --- explain ---------------------------------------------------------------------------------


def _explain_rule(out: _Out, rule: dict[str, Any]) -> None:
    from rich.text import Text

    from suppcheck.report.describe import example_text

    out.line((rule["title"], "bold"))
    out.line((f"rule {rule['id']}", "dim"))
    out.console.print()
    out.field("severity", f"{rule['severity']}: {rule['severity_meaning']}")
    out.field("evidence", f"{rule['evidence']}: {rule['evidence_meaning']}")
    out.field("mechanism", rule["mechanism"])
    out.field("applies when", rule["when_text"])
    if rule["status"] == "retired":
        out.field("status", "RETIRED: kept for the record, never fires")
    if rule["group"]:
        out.field("group", f"{rule['group']} (shown as one finding with its group)")
    out.field("reviewed", rule["reviewed"])
    if rule["review_note"]:
        out.field("review", rule["review_note"])
    out.field("defined at", rule["defined_at"])
    out.heading("Why")
    out.line(rule["rationale"], indent=2)
    out.heading("What to do")
    out.line(rule["advice"], indent=2)
    out.heading("Ask your clinician")
    for question in rule["ask"]:
        out.line(question, indent=2, lead=Text("- "))
    out.heading("Sources")
    for number, source in enumerate(rule["sources"], start=1):
        out.line(source["title"], indent=2, lead=Text(f"{number}. "))
        if source["url"]:
            out.line(source["url"], indent=5)
    out.heading("Examples (checked by `suppcheck rules validate`)")
    for label, key in (("fires on", "fires"), ("silent on", "silent")):
        for example in rule["examples"][key]:
            out.field(label, example_text(example), width=11)
