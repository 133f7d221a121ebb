"""The Python API gives exactly the report of `suppcheck check --format json`."""

from __future__ import annotations

import json
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
    from tests.test_cache import EXTRA

    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA)
    got = api.check(["lupus"], ["test herb"], rules=[extra])
    assert [f["rule_id"] for f in got["findings"]] == ["test-herb-rule"]
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
