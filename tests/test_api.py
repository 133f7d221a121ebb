"""The Python API gives exactly the report of `suppcheck check --format json`."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from suppcheck import api
from suppcheck.cli.main import app
from suppcheck.errors import RuleFileError

CASES = [
    (["lupus"], ["melatonin"], [], False),
    (["Hashimoto's"], ["zinc picolinate 50 mg", "selenium 400 mcg"], ["levothyroxine"], True),
    (["RA"], ["ashwaganda"], [], False),
    ([], ["vitamin D3 4000 IU"], ["methotrexate"], False),
]


def cli_json(conditions: list[str], supplements: list[str], medications: list[str],
             active: bool, *extra: str) -> dict[str, object]:  # fmt: skip
    args = ["check", "--format", "json", *extra]
    for flag, values in (("-c", conditions), ("-s", supplements), ("-m", medications)):
        for value in values:
            args += [flag, value]
    if active:
        args.append("--active")
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1, 3), result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize(("conditions", "supplements", "medications", "active"), CASES)
def test_api_check_equals_the_cli_json_report(
    conditions: list[str], supplements: list[str], medications: list[str], active: bool
) -> None:
    got = api.check(conditions, supplements, medications, active=active)
    assert got == cli_json(conditions, supplements, medications, active)
    assert json.dumps(got)  # plain JSON data


def test_api_takes_extra_rule_files(tmp_path: Path) -> None:
    from tests.rules.test_cache import EXTRA

    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA)
    got = api.check(["lupus"], ["test herb"], rules=[extra])
    assert "test-herb-rule" in [f["rule_id"] for f in got["findings"]]
    assert got == cli_json(["lupus"], ["test herb"], [], False, "--rules", str(extra))


def test_api_raises_for_a_broken_rule_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [1, 2\n")
    with pytest.raises(RuleFileError, match=r"broken.yaml:\d+: invalid YAML"):
        api.check(["lupus"], ["melatonin"], rules=[broken])


def test_package_level_check_is_the_api_function() -> None:
    import suppcheck
    import suppcheck.engine.pipeline  # the internal module must not shadow the public name
    from suppcheck.api import check

    assert suppcheck.check is check
    assert suppcheck.check(conditions=["lupus"], supplements=["melatonin"])["findings"]


# --- Checker: the rule base loaded once ----------------------------------------------------


@pytest.fixture(scope="module")
def checker() -> api.Checker:
    return api.Checker()


@pytest.mark.parametrize(("conditions", "supplements", "medications", "active"), CASES)
def test_checker_check_equals_the_cli_json_report(
    checker: api.Checker,
    conditions: list[str],
    supplements: list[str],
    medications: list[str],
    active: bool,
) -> None:
    got = checker.check(conditions, supplements, medications, active=active)
    assert got == cli_json(conditions, supplements, medications, active)


def test_the_checker_is_exported_lazily_from_the_package() -> None:
    import suppcheck

    assert suppcheck.Checker is api.Checker and "Checker" in suppcheck.__all__


def test_the_checker_loads_the_rule_base_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from suppcheck.rules import cache

    loads: list[object] = []
    real = cache.load
    monkeypatch.setattr(cache, "load", lambda *a, **k: loads.append(a) or real(*a, **k))
    checker = api.Checker()
    for _ in range(3):
        checker.check(["lupus"], ["melatonin"])
    assert list(checker.check_many([{"conditions": ["lupus"]}] * 3))[2]["id"] is None
    assert len(loads) == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"conditions": "lupus"},
            r"conditions: expected a list, not one str \(write \['lupus'\]\)",
        ),
        ({"supplements": "zinc"}, r"supplements: expected a list, not one str"),
        ({"medications": b"mtx"}, r"medications: expected a list, not one bytes"),
        ({"conditions": {"lupus": 1}}, r"conditions: expected a list, not one dict"),
        ({"conditions": ["lupus", 5]}, r"conditions\[1\]: expected str, got int"),
        ({"supplements": [["zinc"]]}, r"supplements\[0\]: expected str or Mapping, got list"),
        ({"active": "yes"}, r"active: expected True or False"),
    ],
)
def test_wrong_types_are_a_clear_type_error(
    checker: api.Checker, arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        checker.check(**arguments)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=message):
        api.check(**arguments)  # type: ignore[arg-type]


def test_a_bare_string_of_rule_files_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="rules: expected a list, not one str"):
        api.Checker(rules="extra.yaml")


@pytest.mark.parametrize(
    ("supplement", "message"),
    [
        (
            {"name": "zinc", "amount": -5, "unit": "mg"},
            "supplements[0]: amount: expected a positive",
        ),
        ({"name": "zinc", "amount": 5, "unit": ""}, "supplements[0]: unit: expected a unit"),
        (
            {"name": "zinc", "dose": 5},
            "supplements[0]: expected keys name (text), amount and unit (and contents)",
        ),
    ],
)
def test_a_bad_supplement_mapping_is_a_value_error(
    checker: api.Checker, supplement: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        checker.check(supplements=[supplement])
    assert str(raised.value).startswith(message)


def test_supplement_mappings_are_read_as_in_a_regimen_file(
    checker: api.Checker, tmp_path: Path
) -> None:
    from types import MappingProxyType

    supplements = [
        {"name": "zinc picolinate", "amount": 25, "unit": "mg"},
        MappingProxyType({"name": "vitamin D3", "amount": 2000, "unit": "IU"}),
        {"name": "melatonin"},
    ]
    got = checker.check(("lupus",), iter(supplements))
    regimen = tmp_path / "regimen.json"
    as_data = [dict(item) for item in supplements]
    regimen.write_text(json.dumps({"conditions": ["lupus"], "supplements": as_data}))
    result = CliRunner().invoke(app, ["check", "--format", "json", "--input", str(regimen)])
    assert got == json.loads(result.stdout)
    assert got["input"]["supplements"] == ["zinc picolinate 25 mg", "vitamin D3 2,000 IU",
                                           "melatonin"]  # fmt: skip


def test_the_checker_takes_extra_rules_and_optionally_the_users_own(
    isolated_environment: Path, tmp_path: Path
) -> None:
    from tests.rules.test_cache import EXTRA

    from suppcheck import paths

    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA)
    found = api.Checker(rules=[extra]).check(["lupus"], ["test herb"])
    assert "test-herb-rule" in [f["rule_id"] for f in found["findings"]]
    paths.user_rules_dir().mkdir(parents=True)
    (paths.user_rules_dir() / "mine.yaml").write_text(EXTRA)
    assert api.Checker().check(["lupus"], ["test herb"])["unresolved"]  # rules.d not read
    mine = api.Checker(user_rules=True).check(["lupus"], ["test herb"])
    assert mine["findings"] == found["findings"] and mine["unresolved"] == []


def test_the_saved_profile_is_added_only_when_asked(isolated_environment: Path) -> None:
    from suppcheck import paths

    paths.profile_path().parent.mkdir(parents=True)
    paths.profile_path().write_text("conditions: [lupus]\nmedications: [methotrexate]\n")
    alone = api.Checker().check(supplements=["melatonin"])
    assert alone["findings"] == [] and alone["input"]["saved_profile_used"] is False
    saved = api.Checker(use_saved_profile=True)
    got = saved.check(supplements=["melatonin"])
    assert got["input"]["saved_profile_used"] is True
    assert got == cli_json([], ["melatonin"], [], False)  # the CLI adds it too
    first = next(saved.check_many([{"supplements": ["melatonin"]}]))
    assert first["findings"] == got["findings"]


def test_a_damaged_saved_profile_raises(isolated_environment: Path) -> None:
    from suppcheck import paths
    from suppcheck.errors import ProfileError

    paths.profile_path().parent.mkdir(parents=True)
    paths.profile_path().write_text("conditions: [lupus\n")
    with pytest.raises(ProfileError, match="damaged saved profile"):
        api.Checker(use_saved_profile=True)


def test_check_many_gives_what_batch_writes_line_by_line(checker: api.Checker) -> None:
    profiles: list[object] = [
        {"id": "a", "conditions": ["lupus"], "supplements": ["melatonin"]},
        {"id": 7, "conditions": "RA", "supplements": ["zinc 50 mg"], "medications": ["MTX"],
         "active": True},
        {"id": "b", "conditions": "lupus", "supplements": [5]},
        [1, 2],
        {"id": "y", "color": "blue"},
        {"id": "z"},
        {"id": True, "conditions": ["lupus"], "active": "yes"},
        {"supplements": ["melatonine", {"name": "zinc", "amount": 0.00001, "unit": "mg"}]},
    ]  # fmt: skip
    text = "".join(json.dumps(p) + "\n" for p in profiles)
    result = CliRunner().invoke(app, ["batch"], input=text)
    want = [json.loads(line) for line in result.stdout.splitlines()]
    got = list(checker.check_many(iter(profiles)))  # type: ignore[arg-type]
    assert got == want and len(got) == len(profiles)
    assert [r.get("error", "") != "" for r in got] == [False] * 2 + [True] * 5 + [False]


def test_check_many_streams(checker: api.Checker) -> None:
    def endless() -> object:
        while True:
            yield {"conditions": ["lupus"], "supplements": ["melatonin"]}

    results = checker.check_many(endless())  # type: ignore[arg-type]
    assert [next(results)["summary"]["highest_severity"] for _ in range(3)] == ["caution"] * 3


@pytest.mark.parametrize("profiles", ["lupus", b"lupus", {"conditions": ["lupus"]}])
def test_check_many_refuses_one_profile_or_text(checker: api.Checker, profiles: object) -> None:
    with pytest.raises(TypeError, match="profiles: expected an iterable of profile mappings"):
        checker.check_many(profiles)  # type: ignore[arg-type]


# --- docs/api.md: every example runs and prints what the page shows -----------------------


def doc_examples() -> list[tuple[str, str | None]]:
    """(code, the printed output shown in the ```text block right after it, if any)."""
    text = (Path(__file__).parent.parent / "docs" / "api.md").read_text()
    blocks = re.findall(r"```(\w*)\n(.*?)```", text, re.DOTALL)
    examples: list[tuple[str, str | None]] = []
    for index, (language, body) in enumerate(blocks):
        if language == "python":
            after = blocks[index + 1] if index + 1 < len(blocks) else ("", "")
            examples.append((body, after[1] if after[0] == "text" else None))
    return examples


def test_every_python_example_in_the_api_doc_runs_and_prints_what_it_shows() -> None:
    examples = doc_examples()
    assert len(examples) >= 4 and all(shown is not None for _, shown in examples)
    namespace: dict[str, object] = {}
    for code, shown in examples:  # in order, in one namespace, as a reader would
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "docs/api.md", "exec"), namespace)
        assert printed.getvalue() == shown, code
