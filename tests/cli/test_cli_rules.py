"""suppcheck rules validate / schema through the CLI, and the schema against the loader."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from tests.helpers import run

from suppcheck.errors import RuleFileError
from suppcheck.rules import loader
from suppcheck.rules.schema import rule_file_schema

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
supplements:
  - id: jiaogulan
    name: Jiaogulan
    properties: [botanical]
rules:
  - id: jiaogulan-autoimmune
    title: Jiaogulan might stimulate the immune system
    mechanism: immune-stimulation
    severity: info
    evidence: theoretical
    when: {all: [{supplement: jiaogulan}, {condition: autoimmune}]}
    rationale: Some laboratory studies suggest it might.
    advice: Ask your clinician before starting it.
    ask: ["Could jiaogulan affect my condition?"]
    sources: [{title: A source, url: "https://example.org/jiaogulan"}]
    reviewed: 2026-11-21
    examples:
      fires: [{conditions: [lupus], supplements: [jiaogulan]}]
      silent: [{supplements: [jiaogulan]}]
"""
# What GOOD needs from the shipped base, for checking it --alone.
OWN_CONDITIONS = """\
properties:
  - {id: botanical, description: A herb or other plant product.}
conditions:
  - {id: autoimmune, name: Autoimmune disease}
  - {id: lupus, name: Lupus, parents: [autoimmune]}
"""


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _fails_with(result: Any, *messages: str) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    for message in messages:
        assert message in result.stderr
    assert "Traceback" not in result.stderr


# --- validate --------------------------------------------------------------------------------


def test_validate_ok_merged_with_shipped_base(tmp_path: Path) -> None:
    path = _write(tmp_path, "my.yaml", GOOD)
    result = run("rules", "validate", str(path))
    assert result.exit_code == 0
    assert result.stderr == ""
    total = len(loader.load().rules) + 1
    assert (
        result.stdout == f"rules.yaml + {path}: 1 rule OK ({total} rules with the shipped base)\n"
    )


def test_validate_alone_needs_every_name_in_the_files(tmp_path: Path) -> None:
    path = _write(tmp_path, "my.yaml", GOOD)
    result = run("rules", "validate", "--alone", str(path))
    _fails_with(
        result,
        f"{path}:6: rule 'jiaogulan-autoimmune': when: condition 'autoimmune' is not defined",
        f"{path}:4: supplement 'jiaogulan': property 'botanical' is not declared",
        "suppcheck: 2 problems found",
    )


def test_validate_alone_ok_when_the_files_define_everything(tmp_path: Path) -> None:
    rules = _write(tmp_path, "rules.yaml", GOOD)
    conditions = _write(tmp_path, "conditions.yaml", OWN_CONDITIONS)
    result = run("rules", "validate", "--alone", str(conditions), str(rules))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == f"{conditions} + {rules}: 1 rule OK\n"


def test_validate_reports_bad_severity_with_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", GOOD.replace("severity: info", "severity: high"))
    result = run("rules", "validate", str(path))
    _fails_with(
        result, f"{path}:9: rules[0].severity: expected info, caution or warning, got 'high'"
    )


def test_validate_runs_the_examples(tmp_path: Path) -> None:
    wrong = GOOD.replace(
        "silent: [{supplements: [jiaogulan]}]",
        "silent: [{conditions: [RA], supplements: [jiaogulan]}]",
    )
    path = _write(tmp_path, "wrong.yaml", wrong)
    result = run("rules", "validate", str(path))
    _fails_with(
        result,
        f"{path}:6: rule 'jiaogulan-autoimmune': examples.silent[0]: "
        "expected the rule to stay silent",
    )


def test_validate_reports_unknown_names_in_examples(tmp_path: Path) -> None:
    path = _write(tmp_path, "typo.yaml", GOOD.replace("conditions: [lupus]", "conditions: [lupsu]"))
    result = run("rules", "validate", str(path))
    _fails_with(result, f"{path}:6: rule 'jiaogulan-autoimmune': examples.fires[0]: names not in")


def test_validate_reports_every_file_together(tmp_path: Path) -> None:
    one = _write(tmp_path, "one.yaml", GOOD.replace("evidence: theoretical", "evidence: strong"))
    two = _write(tmp_path, "two.yaml", "rules: {}\n")
    result = run("rules", "validate", str(one), str(two))
    _fails_with(
        result,
        f"{one}:10: rules[0].evidence: expected theoretical,",
        f"{two}:1: rules: expected a list, got a mapping",
        "suppcheck: 2 problems found",
    )


def test_validate_refuses_a_shipped_id_without_overrides(tmp_path: Path) -> None:
    shipped = loader.load().rules["melatonin-immune-stimulation"]
    text = GOOD.replace("id: jiaogulan-autoimmune", f"id: {shipped.id}")
    path = _write(tmp_path, "dup.yaml", text)
    _fails_with(run("rules", "validate", str(path)), "is already defined at rules.yaml:")
    overriding = _write(tmp_path, "override.yaml", f"overrides: [{shipped.id}]\n" + text)
    result = run("rules", "validate", str(overriding))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"rules.yaml + {overriding}: 1 rule OK")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bomb.yaml",
            "a: &a [x, x, x]\nb: [*a, *a, *a]\n",
            "anchors and aliases are not supported",
        ),
        ("binary.yaml", b"\x7fELF\x00\x01\x02", "cannot read rule file: not UTF-8 text"),
        ("latin1.yaml", "name: caf\xe9\n".encode("latin-1"), "not UTF-8 text"),
        ("code.yaml", "rules: !!python/object/apply:os.system [echo hi]\n", "invalid YAML"),
        ("broken.yaml", "rules: [\n", "invalid YAML"),
        ("list.yaml", "- a\n- b\n", "a rule file is a mapping"),
    ],
)
def test_validate_bad_content_is_a_message_not_a_traceback(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    path = _write(tmp_path, name, content)
    _fails_with(run("rules", "validate", str(path)), f"{path}:", message)


def test_validate_a_directory(tmp_path: Path) -> None:
    _fails_with(
        run("rules", "validate", str(tmp_path)),
        f"{tmp_path}:1: cannot read rule file: it is a directory, not a regular file",
    )


def test_validate_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    _fails_with(run("rules", "validate", str(missing)), f"{missing}:1: cannot read rule file: ")


def test_validate_needs_a_file() -> None:
    result = run("rules", "validate")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Missing argument" in result.stderr


def test_validate_the_shipped_base_itself() -> None:
    shipped = loader.shipped_rules_path()
    result = run("rules", "validate", str(shipped))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == f"{shipped}: {len(loader.load().rules)} rules OK\n"


def test_the_example_in_rule_authoring_validates(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "rule-authoring.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- example-rule-file.*?-->\n```yaml\n(.*?)```", doc, re.DOTALL)
    assert found is not None
    path = _write(tmp_path, "example.yaml", found.group(1))
    result = run("rules", "validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"rules.yaml + {path}: 1 rule OK")


# --- schema ----------------------------------------------------------------------------------


def test_schema_command_prints_the_committed_schema() -> None:
    result = run("rules", "schema")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (ROOT / "docs" / "rule-schema.json").read_text(encoding="utf-8")
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


class _DatesAsText(yaml.SafeLoader):
    """PyYAML reads 2026-11-21 as a date; the loader (and the schema) keep it as text."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)


def _schema_errors(text: str) -> list[str]:
    data = yaml.load(text, Loader=_DatesAsText)  # a SafeLoader subclass: plain data only
    validator = jsonschema.Draft202012Validator(rule_file_schema())
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]


def test_shipped_rules_match_the_schema() -> None:
    text = (ROOT / "data" / "rules.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../docs/rule-schema.json\n")
    assert _schema_errors(text) == []


def _loader_accepts(text: str) -> bool:
    try:
        loader.parse_text(text, "t.yaml")
    except RuleFileError:
        return False
    return True


# One file's shape: the schema and the loader must agree on each (references are build()'s job).
AGREEMENT = {
    "good": GOOD,
    "empty file": "",
    "empty sections": "conditions:\nrules:\n",
    "bad severity": GOOD.replace("severity: info", "severity: high"),
    "unknown mechanism": GOOD.replace("mechanism: immune-stimulation", "mechanism: magic"),
    "unknown rule key": GOOD.replace("    reviewed:", "    note: x\n    reviewed:"),
    "unknown top key": "rule: []\n" + GOOD,
    "missing ask": GOOD.replace('    ask: ["Could jiaogulan affect my condition?"]\n', ""),
    "empty ask": GOOD.replace('["Could jiaogulan affect my condition?"]', "[]"),
    "no sources": GOOD.replace('[{title: A source, url: "https://example.org/jiaogulan"}]', "[]"),
    "http url": GOOD.replace("https://example.org", "http://example.org"),
    "null url": GOOD.replace('url: "https://example.org/jiaogulan"', "url: null"),
    "number title": GOOD.replace("title: Jiaogulan might stimulate the immune system", "title: 42"),
    "blank title": GOOD.replace("title: Jiaogulan might stimulate the immune system", "title: ' '"),
    "bad date": GOOD.replace("reviewed: 2026-11-21", "reviewed: 21/11/2026"),
    "upper-case id": GOOD.replace("id: jiaogulan-autoimmune", "id: Jiaogulan-Autoimmune"),
    "bad property": GOOD.replace("[botanical]", "[Botanical Herb]"),
    "null aliases": GOOD.replace("    properties:", "    aliases: null\n    properties:"),
    "two tests in a when": GOOD.replace(
        "{all: [{supplement: jiaogulan}, {condition: autoimmune}]}",
        "{supplement: jiaogulan, condition: autoimmune}",
    ),
    "unknown when test": GOOD.replace("{condition: autoimmune}", "{disease: autoimmune}"),
    "empty all": GOOD.replace(
        "{all: [{supplement: jiaogulan}, {condition: autoimmune}]}", "{all: []}"
    ),
    "active not boolean": GOOD.replace("{condition: autoimmune}", "{active: yes please}"),
    "strain": GOOD.replace("{condition: autoimmune}", "{strain: named}"),
    "bad strain": GOOD.replace("{condition: autoimmune}", "{strain: maybe}"),
    "total upper limit": GOOD.replace(
        "{condition: autoimmune}", "{total: {nutrient: zinc, above: upper_limit}}"
    ),
    "total amount": GOOD.replace(
        "{condition: autoimmune}", "{total: {nutrient: zinc, above: {amount: 30, unit: mg}}}"
    ),
    "total bad unit": GOOD.replace(
        "{condition: autoimmune}", "{total: {nutrient: zinc, above: {amount: 30, unit: oz}}}"
    ),
    "total negative": GOOD.replace(
        "{condition: autoimmune}", "{total: {nutrient: zinc, above: {amount: -1, unit: mg}}}"
    ),
    "total other word": GOOD.replace(
        "{condition: autoimmune}", "{total: {nutrient: zinc, above: limit}}"
    ),
    "example active text": GOOD.replace("silent: [{", "silent: [{active: 'no', "),
    "unknown example key": GOOD.replace("silent: [{", "silent: [{herbs: [x], "),
    "no silent example": GOOD.replace("      silent: [{supplements: [jiaogulan]}]\n", ""),
    "nutrient": GOOD.replace(
        "    properties: [botanical]\n",
        "    nutrient: {measure: jiaogulan, unit: mg, conversions: [{unit: IU, factor: 2}]}\n",
    ),
    "nutrient bad unit": GOOD.replace(
        "    properties: [botanical]\n", "    nutrient: {measure: jiaogulan, unit: cups}\n"
    ),
    "no known caution without sources": GOOD.replace(
        "    properties: [botanical]\n", "    no_known_caution: {note: checked}\n"
    ),
    "condition with properties": OWN_CONDITIONS.replace(
        "name: Lupus,", "name: Lupus, properties: [x],"
    ),
}


@pytest.mark.parametrize("case", sorted(AGREEMENT))
def test_schema_and_loader_agree(case: str) -> None:
    text = AGREEMENT[case]
    errors = _schema_errors(text)
    assert (errors == []) == _loader_accepts(text), errors


def test_schema_and_loader_agree_is_not_vacuous() -> None:
    verdicts = {_loader_accepts(text) for text in AGREEMENT.values()}
    assert verdicts == {True, False}


def test_schema_enums_follow_the_loader() -> None:
    schema = rule_file_schema()
    rule = schema["$defs"]["rule"]["properties"]
    assert rule["mechanism"]["enum"] == list(loader.MECHANISMS)
    assert schema["$defs"]["rule"]["required"] == list(loader.RULE_REQUIRED)
    assert list(schema["properties"]) == list(loader.TOP_KEYS)


def test_dedent_helper_keeps_good_valid() -> None:
    # GOOD is used verbatim above; this guards the fixture itself against edits.
    assert _loader_accepts(textwrap.dedent(GOOD))


@pytest.mark.parametrize("where", ["source-tree", "a-copy"])
def test_validate_the_shipped_rule_base_by_path_passes(where: str, tmp_path: Path) -> None:
    """`suppcheck rules validate data/rules.yaml`, as the authoring guide says, in a checkout
    or from any copy of the file: checked as the base, never against itself."""
    from suppcheck.rules import loader

    source = Path(__file__).resolve().parents[2] / "data" / "rules.yaml"
    path = source
    if where == "a-copy":
        path = tmp_path / "data" / "rules.yaml"
        path.parent.mkdir()
        path.write_bytes(loader.shipped_rules_path().read_bytes())
    result = run("rules", "validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    count = len(loader.load().rules)
    assert result.stdout == f"{path}: {count} rules OK\n"
