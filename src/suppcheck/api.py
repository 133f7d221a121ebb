"""The Python API: the report of `suppcheck check --format json`, as a dict (docs/api.md).

`Checker` loads the rule base once and checks any number of profiles with it; `check()` is a
one-off that loads it on each call. Nothing is printed and no exit status is chosen here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

# Imported here, not in the functions: the command line never imports this module, and a
# program that does is about to check.
from suppcheck import paths
from suppcheck.engine.pipeline import run_check
from suppcheck.errors import InputError
from suppcheck.inputs.regimen import Regimen, regimen_from_data
from suppcheck.report.data import report_to_dict
from suppcheck.rules import cache
from suppcheck.rules.rulebase import RuleBase

_LOCATION = re.compile(r"^<[a-z ]+>:\d+: ")  # "<api>:1: " in front of a regimen error


class Checker:
    """Checks profiles against one rule base, loaded once when the Checker is made.

    `rules`: extra rule files, as `suppcheck check --rules`. `user_rules`: also read the rule
    files in the user's `rules.d` folder, as the command line does. `use_saved_profile`: add the
    saved profile's conditions, medications and activity to every check, as `suppcheck check`
    does (read once, now). Both default to False: a program passes everything it wants checked.

    Raises suppcheck.errors.RuleFileError for a broken rule file and
    suppcheck.errors.ProfileError for a damaged saved profile.
    """

    def __init__(
        self,
        rules: Iterable[str | Path] = (),
        *,
        use_saved_profile: bool = False,
        user_rules: bool = False,
    ) -> None:
        extra = [Path(p) for p in _list_of("rules", rules, (str, Path))]
        files = paths.user_rule_files() if user_rules else []
        self._base: RuleBase = cache.load([*files, *extra])
        self._saved: Regimen | None = None
        if use_saved_profile:
            from suppcheck.inputs.profile import load_saved

            self._saved = load_saved()

    def check(
        self,
        conditions: Iterable[str] = (),
        supplements: Iterable[str | Mapping[str, Any]] = (),
        medications: Iterable[str] = (),
        *,
        active: bool = False,
        age: int | None = None,
        sex: str | None = None,
        pregnant: bool = False,
        breastfeeding: bool = False,
    ) -> dict[str, Any]:
        """The report of `suppcheck check --format json` for this input, as a dict.

        Each argument is a list (or any iterable) of names; a supplement may also be a mapping
        `{"name": ..., "amount": ..., "unit": ...}` as in a regimen file. A bare string where a
        list is expected is a TypeError (it would be read letter by letter); a mapping with a bad
        amount or unit is a ValueError. The life stage, as `check --age --sex --pregnant
        --breastfeeding`: an age outside 0-120, a sex other than "female" or "male", or values
        that cannot all hold (pregnant and male; pregnant or breastfeeding under 10) are a
        ValueError.
        """
        for name, flag in (("active", active), ("pregnant", pregnant),
                           ("breastfeeding", breastfeeding)):  # fmt: skip
            if not isinstance(flag, bool):
                raise TypeError(f"{name}: expected True or False, got {flag!r}")
        data = {
            "conditions": _list_of("conditions", conditions, (str,)),
            "supplements": [
                dict(item) if isinstance(item, Mapping) else item
                for item in _list_of("supplements", supplements, (str, Mapping))
            ],
            "medications": _list_of("medications", medications, (str,)),
            "active": active,
            "age": age,
            "sex": sex,
            "pregnant": pregnant,
            "breastfeeding": breastfeeding,
        }
        try:
            regimen = regimen_from_data(data, "<api>")
            return report_to_dict(run_check(self._base, regimen, saved=self._saved))
        except InputError as exc:  # also a life stage that contradicts the saved profile's
            raise ValueError(_LOCATION.sub("", str(exc))) from None

    def check_many(self, profiles: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        """One report per profile, in order, as they are asked for (a generator).

        Each profile is a mapping in the format of a `suppcheck batch` line (keys id,
        conditions, supplements, medications, active). Each result is what batch writes for
        that line, as a dict: the report with the profile's "id" first, or an error record
        `{"line": N, "id": ..., "error": "..."}` (N counts profiles from 1) for a profile that
        cannot be read; the next profiles go on.
        """
        if isinstance(profiles, str | bytes | Mapping):
            raise TypeError("profiles: expected an iterable of profile mappings, "
                            f"not one {type(profiles).__name__}")  # fmt: skip
        return self._reports(profiles)

    def _reports(self, profiles: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        base, saved = self._base, self._saved
        for number, profile in enumerate(profiles, 1):
            regimen = _batch_regimen(number, profile)
            if isinstance(regimen, dict):
                yield regimen
                continue
            try:
                report = run_check(base, regimen, saved=saved)
            except InputError as exc:  # a life stage that contradicts the saved profile's
                yield _error(number, str(exc), regimen.id)
                continue
            yield {"id": regimen.id, **report_to_dict(report)}


def check(
    conditions: Iterable[str] = (),
    supplements: Iterable[str | Mapping[str, Any]] = (),
    medications: Iterable[str] = (),
    *,
    active: bool = False,
    age: int | None = None,
    sex: str | None = None,
    pregnant: bool = False,
    breastfeeding: bool = False,
    rules: Sequence[str | Path] = (),
) -> dict[str, Any]:
    """One check against the shipped rule base (plus `rules` files), loaded for this call.

    `Checker(rules).check(...)`: see there. For many checks, make one Checker and reuse it.
    """
    return Checker(rules).check(
        conditions, supplements, medications, active=active, age=age, sex=sex,
        pregnant=pregnant, breastfeeding=breastfeeding,
    )  # fmt: skip


def _list_of(what: str, values: Iterable[Any], types: tuple[type, ...]) -> list[Any]:
    if isinstance(values, str | bytes | Mapping):
        raise TypeError(f"{what}: expected a list, not one {type(values).__name__} "
                        f"(write [{values!r}])")  # fmt: skip
    items = list(values)
    for index, item in enumerate(items):
        if not isinstance(item, types):
            expected = " or ".join(t.__name__ for t in types)
            raise TypeError(f"{what}[{index}]: expected {expected}, got {type(item).__name__}")
    return items


_BATCH_LOCATION = re.compile(r"^line \d+:\d+: ")


def _batch_regimen(number: int, profile: Any) -> Regimen | dict[str, Any]:
    """The Regimen of one batch profile, or batch's error record for it (cli/batch.py)."""
    if not isinstance(profile, Mapping):
        return _error(number, "a profile is a JSON object (id, conditions, supplements, ...)")
    data = dict(profile)
    profile_id = data.get("id")
    if isinstance(profile_id, bool) or not isinstance(profile_id, str | int):
        profile_id = None
    try:
        regimen = regimen_from_data(data, f"line {number}")
    except InputError as exc:
        return _error(number, _BATCH_LOCATION.sub("", str(exc)), profile_id)
    if not (regimen.conditions or regimen.supplements or regimen.medications):
        return _error(number, "nothing to check: no conditions, supplements or medications",
                      profile_id)  # fmt: skip
    return regimen


def _error(number: int, message: str, profile_id: Any = None) -> dict[str, Any]:
    return {"line": number, "id": profile_id, "error": message}
