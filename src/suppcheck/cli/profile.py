"""suppcheck profile add|remove|show|clear: the conditions and medications every check includes.

The profile is read and written by profile.py (atomically, under the user's config directory).
Every subcommand reads the saved profile first: a damaged one is reported (exit 2) and left
byte-for-byte as it is. Names are checked against the rule base before anything is written and
saved by their stable id. Confirmations go to stderr; `show` writes the profile to stdout.
"""

from __future__ import annotations

import contextlib
import enum
import sys
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Annotated

import typer

from suppcheck.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    AgeOption,
    BreastfeedingOption,
    OnceCommand,
    PregnantOption,
    SexOption,
    fail,
    life_stage,
    load_rule_base,
    say,
)
from suppcheck.cli.completion import complete_condition, complete_medication
from suppcheck.model import Kind

if TYPE_CHECKING:
    from suppcheck.inputs.regimen import Regimen
    from suppcheck.rules.rulebase import RuleBase


class ShowFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"


profile_app = typer.Typer(
    name="profile",
    help="Save conditions and medications once; every later check includes them "
    "(skip with `check --no-profile`).",
    short_help="Save conditions and medications for every check.",
    no_args_is_help=True,
)

ConditionOpt = Annotated[
    list[str],
    typer.Option("--condition", "-c", metavar="NAME", help="A condition (repeatable).",
                 autocompletion=complete_condition),
]  # fmt: skip
MedicationOpt = Annotated[
    list[str],
    typer.Option("--medication", "-m", metavar="NAME", help="A medication (repeatable).",
                 autocompletion=complete_medication),
]  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add the profile commands to `app`."""
    app.add_typer(profile_app, name="profile")


@profile_app.command("add", cls=OnceCommand)
def add(
    condition: ConditionOpt = [],  # noqa: B006 - typer needs a literal default
    medication: MedicationOpt = [],  # noqa: B006
    active: Annotated[
        bool, typer.Option("--active", help="Mark your disease as currently active or flaring.")
    ] = False,
    age: AgeOption = None,
    sex: SexOption = None,
    pregnant: PregnantOption = False,
    breastfeeding: BreastfeedingOption = False,
) -> None:
    """Add conditions, medications, the active mark or your life stage to your profile.

    Names are checked against the rule base first; nothing is saved if one is not understood.
    An age or sex given replaces the one saved.

    Example: suppcheck profile add -c lupus -m methotrexate --age 34 --sex female
    """
    stage = life_stage(age, sex, pregnant, breastfeeding)
    if not (
        condition or medication or active or any(v not in (None, False) for v in stage.values())
    ):
        fail("nothing to add: give --condition, --medication, --active, --age, --sex, "
             "--pregnant or --breastfeeding")  # fmt: skip
    _load()  # a damaged profile is reported first, as by every subcommand
    base = load_rule_base()
    wanted = {  # every name checked before anything is created or locked
        Kind.CONDITION: _resolve_all(base, Kind.CONDITION, condition),
        Kind.MEDICATION: _resolve_all(base, Kind.MEDICATION, medication),
    }
    with _changing(create=True):
        _add(base, wanted, active, stage)


def _add(
    base: RuleBase,
    wanted: dict[Kind, list[tuple[str, str]]],
    active: bool,
    stage: dict[str, object] | None = None,
) -> None:
    saved = _load()
    changed = _add_life_stage(saved, stage or {})
    current = {Kind.CONDITION: saved.conditions, Kind.MEDICATION: saved.medications}
    for kind, ids in wanted.items():
        for entry_id, name in ids:
            if _position(base, kind, current[kind], entry_id) is not None:
                say(f"suppcheck: {kind.value} {entry_id} ({name}) is already in your profile")
                continue
            current[kind].append(entry_id)
            say(f"suppcheck: added {kind.value} {entry_id} ({name})")
            changed = True
    if active and not saved.active:
        saved.active = True
        say("suppcheck: marked your disease as active (remove with `profile remove --active`)")
        changed = True
    _save_if(changed, saved)


def _add_life_stage(saved: Regimen, stage: dict[str, object]) -> bool:
    """Set the life stage given in `saved`; whether anything changed. The result must hold
    together (no pregnant with sex male ...): otherwise exit 2 and nothing is saved."""
    from suppcheck.inputs.regimen import life_stage_problem

    changed = False
    for key, value in stage.items():
        old = getattr(saved, key)
        if value is None or value is False or value == old:
            continue
        setattr(saved, key, value)
        changed = True
        if isinstance(value, bool):
            say(f"suppcheck: marked {key} (remove with `profile remove --{key}`)")
        elif old is None:
            say(f"suppcheck: added {key} {value}")
        else:
            say(f"suppcheck: changed {key} from {old} to {value}")
    problem = life_stage_problem(saved.age, saved.sex, saved.pregnant, saved.breastfeeding)
    if problem is not None:
        fail(f"{problem} (with your saved profile; nothing changed)")
    return changed


@profile_app.command("remove", cls=OnceCommand)
def remove(
    condition: ConditionOpt = [],  # noqa: B006
    medication: MedicationOpt = [],  # noqa: B006
    active: Annotated[
        bool, typer.Option("--active", help="Remove the 'disease currently active' mark.")
    ] = False,
    age: Annotated[bool, typer.Option("--age", help="Remove the saved age.")] = False,
    sex: Annotated[bool, typer.Option("--sex", help="Remove the saved sex.")] = False,
    pregnant: Annotated[bool, typer.Option("--pregnant", help="Remove the pregnant mark.")] = False,
    breastfeeding: Annotated[
        bool, typer.Option("--breastfeeding", help="Remove the breastfeeding mark.")
    ] = False,
) -> None:
    """Remove conditions, medications, the active mark or parts of your life stage.

    Example: suppcheck profile remove -m prednisone --active --pregnant
    """
    stage = [
        key
        for key, given in (
            ("age", age),
            ("sex", sex),
            ("pregnant", pregnant),
            ("breastfeeding", breastfeeding),
        )
        if given
    ]
    if not (condition or medication or active or stage):
        fail("nothing to remove: give --condition, --medication, --active, --age, --sex, "
             "--pregnant or --breastfeeding")  # fmt: skip
    _load()  # a damaged profile is reported first, before a lock file is made
    with _changing(create=False):
        _remove(condition, medication, active, stage)


def _remove(
    condition: list[str], medication: list[str], active: bool, stage: list[str] | None = None
) -> None:
    saved = _load()
    base = load_rule_base()
    current = {Kind.CONDITION: saved.conditions, Kind.MEDICATION: saved.medications}
    missing: list[str] = []
    removals: list[tuple[Kind, int]] = []
    for kind, texts in ((Kind.CONDITION, condition), (Kind.MEDICATION, medication)):
        for text in texts:
            found = _position_of_text(base, kind, current[kind], text)
            if found is None:
                missing.append(f"{kind.value} '{_shown(text)}' is not in your saved profile")
            elif (kind, found) not in removals:
                removals.append((kind, found))
    if missing:
        fail("; ".join(missing) + " (nothing changed; see `suppcheck profile show`)")
    for kind, index in sorted(removals, key=lambda item: -item[1]):
        say(f"suppcheck: removed {kind.value} {_shown(current[kind][index])}")
        del current[kind][index]
    changed = bool(removals)
    if active:
        if saved.active:
            saved.active = False
            say("suppcheck: removed the 'disease currently active' mark")
            changed = True
        else:
            say("suppcheck: your profile was not marked active")
    for key in stage or ():
        if getattr(saved, key) in (None, False):
            say(f"suppcheck: your profile has no {key} saved")
            continue
        setattr(saved, key, False if key in ("pregnant", "breastfeeding") else None)
        say(f"suppcheck: removed {key}")
        changed = True
    _save_if(changed, saved)


@profile_app.command("show", cls=OnceCommand)
def show(
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = ShowFormat.TEXT,
) -> None:
    """Show your saved profile and where it is kept.

    Example: suppcheck profile show --format json
    """
    from suppcheck import paths

    path = paths.profile_path()
    saved = _load_or_none()
    base = load_rule_base()
    conditions = [_describe(base, Kind.CONDITION, t) for t in saved.conditions] if saved else []
    medications = [_describe(base, Kind.MEDICATION, t) for t in saved.medications] if saved else []
    active = bool(saved and saved.active)
    stage = {
        "age": saved.age if saved else None,
        "sex": saved.sex if saved else None,
        "pregnant": bool(saved and saved.pregnant),
        "breastfeeding": bool(saved and saved.breastfeeding),
    }
    if fmt is ShowFormat.JSON:
        import json

        document = {
            "path": str(path),
            "exists": saved is not None,
            "conditions": conditions,
            "medications": medications,
            "active": active,
            **stage,
        }
        from suppcheck.printable import json_text

        sys.stdout.write(json_text(json.dumps(document, indent=2, ensure_ascii=False)) + "\n")
        return
    lines = [f"Saved profile: {_shown(str(path), full=True)}"]
    if saved is None:
        lines.append("  (none saved yet; add one with `suppcheck profile add -c NAME -m NAME`)")
    for label, items in (("condition", conditions), ("medication", medications)):
        for item in items:
            understood = _shown(item["name"]) if item["name"] else "NOT in the rule base"
            lines.append(f"  {label:<11} {_shown(str(item['saved']))} -> {understood}")
    if saved is not None:
        if not (conditions or medications):
            lines.append("  no conditions or medications saved")
        lines.append(f"  {'activity':<11} " + ("active or flaring" if active else "not active"))
        lines.append(f"  {'life stage':<11} " + _life_stage_words(stage))
        lines.append("Every `suppcheck check` includes this profile unless you add --no-profile.")
    sys.stdout.write("\n".join(lines) + "\n")


@profile_app.command("clear", cls=OnceCommand)
def clear(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete your saved profile (asks first unless --yes).

    Without --yes the answer is read from standard input; with nothing to read, exit 2.
    """
    from suppcheck import paths

    path = paths.profile_path()
    if _load_or_none() is None:
        say("suppcheck: there is no saved profile; nothing to clear")
        raise typer.Exit(EXIT_OK)
    if not yes and not _confirm(f"Delete your saved profile {path}? [y/N]: "):
        say("suppcheck: nothing changed")
        raise typer.Exit(EXIT_OK)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        fail(f"{path}: cannot delete the saved profile: {exc.strerror or exc}")
    say(f"suppcheck: deleted your saved profile {path}")


# --- helpers -----------------------------------------------------------------------------------


def _confirm(question: str) -> bool:
    """Ask on stderr and read one answer line; with no one to answer (end of input), exit 2.

    click's prompt writes part of the prompt to stdout, which is kept for data, so this is done
    by hand. An answer piped in (`yes | suppcheck profile clear`) counts as an answer.
    """
    sys.stderr.write(question)
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):  # stdin closed or not readable
        answer = ""
    if not answer.endswith("\n") or not sys.stdin.isatty():
        say("")  # the answer was not echoed by a terminal: end the prompt line
    if not answer:
        fail("no confirmation (nothing to read on standard input); use --yes to clear")
    return answer.strip().casefold() in ("y", "yes")


@contextlib.contextmanager
def _changing(*, create: bool) -> Iterator[None]:
    """One read-modify-write of the profile at a time (see inputs.profile.changing)."""
    from suppcheck.errors import ProfileError
    from suppcheck.inputs.profile import changing

    try:
        with changing(create=create):
            yield
    except ProfileError as exc:
        fail(str(exc))


def _load_or_none() -> Regimen | None:
    from suppcheck.errors import ProfileError
    from suppcheck.inputs.profile import load_saved

    try:
        return load_saved()
    except ProfileError as exc:
        say(f"suppcheck: error: {exc}")
        say("suppcheck has not changed it: fix the file, or delete it and add your profile again.")
        raise typer.Exit(EXIT_USAGE) from None


def _load() -> Regimen:
    from suppcheck.inputs.regimen import Regimen

    saved = _load_or_none()
    return saved if saved is not None else Regimen()


def _save_if(changed: bool, saved: Regimen) -> None:
    if not changed:
        say("suppcheck: nothing changed")
        return
    from suppcheck.errors import ProfileError
    from suppcheck.inputs.profile import save

    try:
        path = save(saved)
    except ProfileError as exc:
        fail(str(exc))
    say(f"suppcheck: saved {path}")


def _resolve_all(base: RuleBase, kind: Kind, texts: list[str]) -> list[tuple[str, str]]:
    """(id, name) for each text, or exit 2 listing every name not understood (nothing saved)."""
    from suppcheck.engine.resolve import resolve_name
    from suppcheck.model import Resolved
    from suppcheck.report.wording import unresolved_sentence

    resolved: list[tuple[str, str]] = []
    problems: list[str] = []
    for text in texts:
        result = resolve_name(base.vocabulary(kind), text)
        if isinstance(result, Resolved):
            resolved.append((result.id, result.name))
        else:
            problems.append(f"'{_shown(text)}': {unresolved_sentence(result)}")
    if problems:
        fail(
            "not saved, nothing changed:\n"
            + "\n".join(f"  {p}" for p in problems)
            + f"\nRun `suppcheck list {kind.value}s` to see known names.",
            EXIT_USAGE,
        )
    return resolved


def _resolved_id(base: RuleBase, kind: Kind, text: str) -> str | None:
    from suppcheck.engine.resolve import resolve_name
    from suppcheck.model import Resolved

    result = resolve_name(base.vocabulary(kind), text)
    return result.id if isinstance(result, Resolved) else None


def _position(base: RuleBase, kind: Kind, saved: list[str], entry_id: str) -> int | None:
    for index, text in enumerate(saved):
        if _resolved_id(base, kind, text) == entry_id:
            return index
    return None


def _position_of_text(base: RuleBase, kind: Kind, saved: list[str], text: str) -> int | None:
    """Where `text` is in the saved list: the same spelling, or the same rule-base entry."""
    from suppcheck.rules.vocabulary import normalise

    for index, saved_text in enumerate(saved):
        if normalise(saved_text) == normalise(text):
            return index
    entry_id = _resolved_id(base, kind, text)
    return None if entry_id is None else _position(base, kind, saved, entry_id)


def _describe(base: RuleBase, kind: Kind, text: str) -> dict[str, str | None]:
    from suppcheck.engine.resolve import resolve_name
    from suppcheck.model import Resolved

    result = resolve_name(base.vocabulary(kind), text)
    if isinstance(result, Resolved):
        return {"saved": text, "id": result.id, "name": result.name}
    return {"saved": text, "id": None, "name": None}


def _life_stage_words(stage: Mapping[str, object]) -> str:
    parts = [f"age {stage['age']}"] if stage["age"] is not None else []
    parts += [str(stage["sex"])] if stage["sex"] is not None else []
    parts += [key for key in ("pregnant", "breastfeeding") if stage[key]]
    return ", ".join(parts) if parts else "not saved (limits for adults 19 and older are used)"


def _shown(text: str, *, full: bool = False) -> str:
    """User text made printable; shortened to one line as elsewhere unless `full`."""
    from suppcheck.printable import readable

    if not full:
        return readable(text)
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
