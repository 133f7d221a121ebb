"""Hostile input (tests/hostile/ and generated): a defined exit status, a clear message on stderr,
no traceback, nothing executed, and done in seconds."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from suppcheck import paths
from suppcheck.cli.main import app
from suppcheck.inputs.regimen import MAX_ITEMS, MAX_REGIMEN_BYTES
from suppcheck.rules import loader

CORPUS = Path(__file__).parents[1] / "hostile"
SUPPCHECK = str(Path(sys.executable).parent / "suppcheck")
ESC = "\x1b"


def corpus(name: str, tmp_path: Path) -> Path:
    """A corpus file, copied with its @MARKER@ pointing into tmp_path."""
    data = (CORPUS / name).read_bytes().replace(b"@MARKER@", str(tmp_path / "marker").encode())
    target = tmp_path / name
    target.write_bytes(data)
    return target


def invoke(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream
        if "--color" not in args:
            assert ESC not in stream
    return result.exit_code, result.stdout, result.stderr


REGIMEN_ERRORS = [
    ("malformed.yaml", "malformed.yaml:2: invalid YAML"),
    ("malformed.json", "malformed.json:1: invalid YAML"),
    ("bomb-regimen.yaml", "anchors and aliases are not supported"),
    ("python-object-regimen.yaml", "tags that construct objects are not allowed"),
    ("deep-nesting.json", "deep-nesting.json:1: invalid YAML"),
    ("wrong-types.yaml", "wrong-types.yaml:"),
    ("binary.yaml", "binary.yaml:1: not UTF-8 text"),
    ("latin1.yaml", "latin1.yaml:1: not UTF-8 text"),
    ("empty.yaml", "empty.yaml:1: the regimen is empty"),
    ("empty-lists.yaml", "nothing to check"),
    ("duplicate-keys.yaml", "duplicate-keys.yaml:2: duplicate key 'conditions'"),
]


@pytest.mark.parametrize(("name", "message"), REGIMEN_ERRORS)
def test_hostile_regimen_files_are_usage_errors(name: str, message: str, tmp_path: Path) -> None:
    code, out, err = invoke("check", "--input", str(corpus(name, tmp_path)))
    assert code == 2 and out == ""
    assert err.startswith("suppcheck: error:") and message in err
    assert not (tmp_path / "marker").exists()


RULE_ERRORS = [
    ("bomb-rules.yaml", "bomb-rules.yaml:3: YAML anchors and aliases are not supported"),
    ("python-object-rules.yaml", "tags that construct objects are not allowed"),
    ("cyclic-parents.yaml", "condition parents form a cycle: cycle-a -> cycle-b -> cycle-c"),
    ("dangling-parent.yaml", "parent 'no-such-supplement' is not a defined supplement"),
    ("duplicate-ids.yaml", "supplement id 'twice' is already defined at"),
    ("binary.yaml", "binary.yaml:1: cannot read rule file: not UTF-8 text"),
    ("malformed.yaml", "malformed.yaml:2: invalid YAML"),
]


@pytest.mark.parametrize(("name", "message"), RULE_ERRORS)
@pytest.mark.parametrize("command", ["check", "list", "batch"])
def test_hostile_rule_files_are_usage_errors(
    name: str, message: str, command: str, tmp_path: Path
) -> None:
    args = {
        "check": ["check", "-c", "lupus", "-s", "melatonin"],
        "list": ["list", "supplements"],
        "batch": ["batch"],
    }[command]
    code, out, err = invoke(*args, "--rules", str(corpus(name, tmp_path)), input="")
    assert code == 2 and out == ""
    assert err.startswith("suppcheck: error:") and message in err
    assert not (tmp_path / "marker").exists()


def test_a_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    code, out, err = invoke("check", "--input", str(tmp_path))
    assert code == 2 and out == "" and "is a directory" in err
    code, out, err = invoke("check", "-c", "lupus", "--rules", str(tmp_path))
    assert code == 2 and out == "" and "is a directory" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("conditions: [lupus]\n")
    secret.chmod(0)
    code, out, err = invoke("check", "--input", str(secret))
    assert code == 2 and out == "" and "Permission denied" in err
    code, out, err = invoke("check", "-c", "lupus", "--rules", str(secret))
    assert code == 2 and out == "" and "Permission denied" in err


def test_a_huge_regimen_file_is_refused_by_size(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_text("conditions: [" + "lupus, " * (MAX_REGIMEN_BYTES // 7 + 10) + "lupus]\n")
    code, out, err = invoke("check", "--input", str(huge))
    assert code == 2 and out == "" and "limit" in err


def test_a_huge_list_is_refused_by_length(tmp_path: Path) -> None:
    many = tmp_path / "many.yaml"
    many.write_text("supplements: [" + ", ".join(["zinc"] * (MAX_ITEMS + 1)) + "]\n")
    code, out, err = invoke("check", "--input", str(many))
    assert code == 2 and out == "" and f"more than {MAX_ITEMS} items" in err


def test_deep_json_nesting_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"conditions": ' + "[" * 50_000 + "]" * 50_000 + "}")
    code, out, err = invoke("check", "--input", str(deep))
    assert code == 2 and out == "" and "deep.json:1:" in err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_empty_and_very_long_names_are_not_understood(fmt: str) -> None:
    code, out, err = invoke("check", "-c", "", "-s", "z" * 5000, "-s", "   ", "--format", fmt)
    assert code == 3 and err == ""
    assert "longer than 200 characters" in out and "empty" in out


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_escapes_and_markup_in_names_are_printed_as_text(fmt: str, tmp_path: Path) -> None:
    import json

    code, out, err = invoke("check", "--input", str(corpus("escapes.yaml", tmp_path)), "--format",
                            fmt, "--color")  # fmt: skip
    if code == 2 and "invalid choice" in err:
        pytest.skip(f"{fmt} is not a format yet")
    assert code == 3 and err == ""
    assert "\x07" not in out and "\x08" not in out
    assert ESC + "[31mRED" not in out and ESC + "]0;pwned" not in out  # colour on, yet no raw ESC
    if fmt == "text":
        assert "[bold]x[/]" in out  # literally, not bold
        assert "\\x1b[31mRED" in out  # made visible
    if fmt == "json":
        data = json.loads(out)
        assert "[bold]x[/]" in data["input"]["supplements"]


def test_a_damaged_saved_profile_is_reported_and_kept() -> None:
    profile = paths.profile_path()
    profile.parent.mkdir(parents=True)
    profile.write_bytes(b"conditions: [lupus\n\x00")
    code, out, err = invoke("check", "-c", "lupus", "-s", "melatonin")
    assert code == 2 and out == ""
    assert err.startswith("suppcheck: error:") and "profile" in err
    assert profile.read_bytes() == b"conditions: [lupus\n\x00"


@pytest.mark.cold_cache  # the cache folder's place is taken by a file
def test_an_unwritable_cache_and_config_still_check(isolated_environment: Path) -> None:
    cache = paths.cache_dir()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("not a folder")
    code, out, err = invoke("check", "-c", "lupus", "-s", "melatonin", "--format", "json")
    assert code == 1 and err == "" and '"melatonin-immune-stimulation"' in out


def run_real(*args: str, home: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_CACHE_HOME=str(home / ".cache"))  # fmt: skip
    done = subprocess.run([SUPPCHECK, *args], input=stdin.decode("utf-8", "replace"), env=env,
                          capture_output=True, text=True, timeout=30)  # fmt: skip
    assert "Traceback" not in done.stdout + done.stderr
    assert ESC not in done.stdout + done.stderr
    return done


def test_real_runs_of_hostile_files(tmp_path: Path, isolated_environment: Path) -> None:
    home = isolated_environment
    done = run_real("check", "--input", str(corpus("python-object-regimen.yaml", tmp_path)),
                    home=home)  # fmt: skip
    assert done.returncode == 2 and "tags that construct objects" in done.stderr
    done = run_real("check", "-c", "lupus", "--rules",
                    str(corpus("python-object-rules.yaml", tmp_path)), home=home)  # fmt: skip
    assert done.returncode == 2 and not (tmp_path / "marker").exists()
    done = run_real("check", "--input", str(corpus("bomb-regimen.yaml", tmp_path)), home=home)
    assert done.returncode == 2 and "aliases are not supported" in done.stderr
    done = run_real("check", "--input", str(corpus("escapes.yaml", tmp_path)), home=home)
    assert done.returncode == 3 and "[bold]x[/]" in done.stdout


def test_an_unusable_cache_folder_still_checks(tmp_path: Path) -> None:
    home = tmp_path / "readonly-home"
    home.mkdir()
    (home / ".cache").write_text("a file, so no cache folder can be made")
    done = run_real("check", "-c", "lupus", "-s", "melatonin", "--format", "json", home=home)
    assert done.returncode == 1 and done.stderr == ""
    assert '"melatonin-immune-stimulation"' in done.stdout


def test_arguments_that_are_not_utf8_do_not_break_a_strict_utf8_stdout(tmp_path: Path) -> None:
    # Any UTF-8 locale except C.UTF-8 gives Python a strict stdout; a byte that is not UTF-8 in
    # an argument arrives as a lone surrogate and once failed the whole JSON report.
    env = dict(os.environ, HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "cache"),
               PYTHONIOENCODING="utf-8:strict")  # fmt: skip
    zinc = b"zinc\xff".decode("utf-8", "surrogateescape")  # as Python decodes such an argument
    for fmt in ("json", "text", "markdown"):
        done = subprocess.run(
            [SUPPCHECK, "check", "-c", "lupus", "-s", zinc, "--format", fmt],
            env=env, capture_output=True, timeout=30,
        )  # fmt: skip
        assert done.returncode == 1 and done.stderr == b"", (fmt, done.stderr)
        text = done.stdout.decode("utf-8")  # valid UTF-8 throughout
        assert "udcff" in text  # markdown escapes the backslash itself
        if fmt == "json":
            assert json.loads(text)["resolved"]["supplements"][0]["id"] == "zinc"


def test_a_batch_line_with_half_a_surrogate_pair_is_an_error_record(tmp_path: Path) -> None:
    lines = (
        b'{"id": "half", "conditions": ["lupus"], "supplements": ["zinc \\ud800"]}\n'
        b'{"id": "pair", "conditions": ["lupus"], "supplements": ["zinc \\ud83d\\ude00"]}\n'
    )
    env = dict(os.environ, HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "cache"),
               PYTHONIOENCODING="utf-8:strict")  # fmt: skip
    done = subprocess.run([SUPPCHECK, "batch"], input=lines, env=env, capture_output=True,
                          timeout=30)  # fmt: skip
    assert done.returncode == 1 and done.stderr == b""
    half, pair = (json.loads(line) for line in done.stdout.decode("utf-8").splitlines())
    assert half["id"] == "half" and "surrogate pair" in half["error"]
    assert pair["id"] == "pair" and pair["input"]["supplements"] == ["zinc \U0001f600"]


# --- issue 14: the holes a hostile test found, each through the installed CLI -----------------


def cli(
    *args: str, stdin: bytes | None = b"", env: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, str, str]:
    """Run the installed console script as a user would: (exit status, stdout, stderr)."""
    done = subprocess.run([SUPPCHECK, *args], input=stdin, env=dict(os.environ, **(env or {})),
                          capture_output=True, timeout=timeout)  # fmt: skip
    out = done.stdout.decode("utf-8", "backslashreplace")
    err = done.stderr.decode("utf-8", "backslashreplace")
    assert "Traceback" not in out + err
    assert ESC not in out + err
    return done.returncode, out, err


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_two_input_files_add_up(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", "conditions: [lupus]\nsupplements: [melatonin]\n")
    b = write(tmp_path / "b.yaml", "supplements: [vitamin C]\n")
    code, out, err = cli("check", "--input", a, "--input", b, "--format", "json")
    assert (code, err) == (1, "")
    report = json.loads(out)
    assert report["input"]["conditions"] == ["lupus"]
    assert report["input"]["supplements"] == ["melatonin", "vitamin C"]
    assert "melatonin-immune-stimulation" in out


def test_standard_input_twice_is_a_usage_error() -> None:
    code, out, err = cli("check", "--input", "-", "-i", "-", stdin=b"conditions: [lupus]\n")
    assert (code, out) == (2, "")
    assert err == "suppcheck: error: --input -: standard input can be read only once\n"


ONCE = [
    ["check", "-c", "lupus", "-o", "{tmp}/a.txt", "-o", "{tmp}/b.txt"],
    ["check", "-c", "lupus", "--format", "json", "-f", "text"],
    ["check", "-c", "lupus", "--fail-on", "warning", "--fail-on", "info"],
    ["check", "-c", "lupus", "--color", "--no-color"],
    ["check", "-c", "lupus", "--no-profile", "--no-profile"],
    ["batch", "--fail-on", "warning", "--fail-on", "info"],
    ["list", "supplements", "--format", "json", "--format", "text"],
    ["profile", "show", "-f", "json", "-f", "text"],
]


@pytest.mark.parametrize("args", ONCE, ids=lambda a: " ".join(a[:1] + a[-2:]))
def test_an_option_that_takes_one_value_given_twice_is_a_usage_error(
    args: list[str], tmp_path: Path
) -> None:
    if args[:2] == ["list", "supplements"]:
        code, out, err = cli("list", "--help")
        if "--format" not in out:
            pytest.skip("list has no --format")
    code, out, err = cli(*(a.format(tmp=tmp_path) for a in args))
    assert (code, out) == (2, "")
    assert "given more than once; it takes one value" in err
    assert err.startswith("Usage: suppcheck ")
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]  # no report was written


# Duplicate keys: one reader (yamlfile) refuses them in YAML and in JSON, for every file.


def test_a_duplicate_key_in_a_json_regimen_is_refused_with_its_line(tmp_path: Path) -> None:
    regimen = corpus("duplicate-keys.json", tmp_path)
    code, out, err = cli("check", "--input", str(regimen))
    assert (code, out) == (2, "")
    assert err == f"suppcheck: error: {regimen}:4: duplicate key 'supplements'\n"


def test_a_duplicate_key_in_a_json_rule_file_is_refused_with_its_line(tmp_path: Path) -> None:
    rules = corpus("duplicate-severity.json", tmp_path)
    code, out, err = cli("rules", "validate", str(rules))
    assert (code, out) == (2, "")
    assert f"{rules}:8: duplicate key 'severity'" in err
    code, out, err = cli("check", "-s", "zinc", "--rules", str(rules))
    assert (code, out) == (2, "")
    assert err == f"suppcheck: error: {rules}:8: duplicate key 'severity'\n"


def test_a_duplicate_key_in_a_json_style_saved_profile_is_refused(tmp_path: Path) -> None:
    profile = paths.profile_path()
    profile.parent.mkdir(parents=True)
    text = '{\n\t"conditions": ["lupus"],\n\t"conditions": []\n}\n'
    profile.write_text(text)
    code, out, err = cli("check", "-s", "melatonin")
    assert (code, out) == (2, "")
    assert (
        err == f"suppcheck: error: {profile}:3: damaged saved profile: duplicate key 'conditions'\n"
    )
    assert profile.read_text() == text  # left as it was


def test_a_duplicate_key_on_a_batch_line_is_that_line_s_error() -> None:
    lines = (
        b'{"id": "a", "conditions": ["lupus"], "supplements": ["melatonin"]}\n'
        b'{"id": "b", "supplements": ["melatonin"], "supplements": ["vitamin C"]}\n'
        b'{"id": "c", "supplements": ["vitamin C"]}\n'
    )
    code, out, err = cli("batch", stdin=lines)
    assert (code, err) == (1, "")
    a, b, c = (json.loads(line) for line in out.splitlines())
    assert a["id"] == "a" and a["findings"]
    assert b == {"line": 2, "id": None, "error": "invalid JSON: duplicate key 'supplements'"}
    assert c["id"] == "c" and "error" not in c


# Numbers and booleans mean what a person reads (YAML 1.2 and JSON), in every file.


def test_a_leading_zero_is_decimal_not_octal(tmp_path: Path) -> None:
    code, out, err = cli("check", "--input", str(corpus("octal-amount.yaml", tmp_path)),
                         "--format", "json")  # fmt: skip
    assert (code, err) == (1, "")
    report = json.loads(out)
    assert report["input"]["supplements"] == ["vitamin D3 5,000 IU"]
    assert "vitamin-d-total-above-upper-limit" in [f["rule_id"] for f in report["findings"]]


@pytest.mark.parametrize("amount", ["0x32", "0b110010", "0o17", "40:00", "1_000"])
def test_yaml_1_1_number_forms_in_a_regimen_are_refused(amount: str, tmp_path: Path) -> None:
    regimen = write(tmp_path / "r.yaml", "conditions: [lupus]\nsupplements:\n"
                    f"  - {{name: zinc, amount: {amount}, unit: mg}}\n")  # fmt: skip
    code, out, err = cli("check", "--input", regimen)
    assert (code, out) == (2, "")
    assert err == (f"suppcheck: error: {regimen}:3: supplements[0]: amount: expected a positive "
                   f"number, got '{amount}'\n")  # fmt: skip


def test_yes_no_on_are_names_where_names_are_expected(tmp_path: Path) -> None:
    code, out, err = cli("check", "--input", str(corpus("yaml11-names.yaml", tmp_path)),
                         "--format", "json")  # fmt: skip
    assert (code, err) == (3, "")
    assert json.loads(out)["input"]["supplements"] == ["no", "on", "y"]


def test_yes_is_not_a_flag(tmp_path: Path) -> None:
    regimen = corpus("yaml11-flag.yaml", tmp_path)
    code, out, err = cli("check", "--input", str(regimen))
    assert (code, out) == (2, "")
    assert err == f"suppcheck: error: {regimen}:2: active: expected true or false\n"


def test_a_hex_threshold_in_a_rule_file_is_refused(tmp_path: Path) -> None:
    rules = write(
        tmp_path / "limit.yaml",
        """\
overrides: [zinc]
supplements:
  - id: zinc
    name: Zinc
    nutrient:
      measure: elemental zinc
      unit: mg
      upper_limit:
        amount: 0x28
        unit: mg
        population: adults
        applies_to: total
        basis: test
        source: {title: t, url: "https://example.org"}
""",
    )
    code, out, err = cli("rules", "validate", rules)
    assert (code, out) == (2, "")
    assert (
        f"{rules}:9: supplements[0].nutrient.upper_limit.amount: expected a number, got '0x28'"
        in err
    )


def test_yaml_1_1_number_forms_in_a_saved_profile_are_refused() -> None:
    profile = paths.profile_path()
    profile.parent.mkdir(parents=True)
    profile.write_text("conditions: [lupus]\nactive: on\n")
    code, out, err = cli("check", "-s", "melatonin")
    assert (code, out) == (2, "")
    assert err == (f"suppcheck: error: {profile}:2: active: expected true or false "
                   "(damaged saved profile)\n")  # fmt: skip


# Huge integers: a file:line (or batch line) error, never an internal error.

HUGE = "9" * 4301


@pytest.mark.parametrize("where", ["amount", "id", "name"])
def test_a_huge_integer_in_a_regimen_is_refused_with_its_line(where: str, tmp_path: Path) -> None:
    text = {
        "amount": "supplements:\n  - {name: zinc, amount: " + "4" * 401 + ", unit: mg}\n",
        "id": f"supplements: [zinc]\nid: {HUGE}\n",
        "name": f"supplements:\n  - zinc\n  - {HUGE}\n",
    }[where]
    regimen = write(tmp_path / "r.yaml", text)
    line = {"amount": 2, "id": 2, "name": 3}[where]
    code, out, err = cli("check", "--input", regimen)
    assert (code, out) == (2, "")
    assert err == f"suppcheck: error: {regimen}:{line}: a number of more than 300 digits\n"


def test_a_huge_integer_in_a_saved_profile_or_rule_file_is_refused(tmp_path: Path) -> None:
    profile = paths.profile_path()
    profile.parent.mkdir(parents=True)
    profile.write_text(f"conditions:\n  - {HUGE}\n")
    code, out, err = cli("check", "-s", "melatonin")
    assert (code, out) == (2, "")
    assert err == (f"suppcheck: error: {profile}:2: damaged saved profile: a number of more "
                   "than 300 digits\n")  # fmt: skip
    limit = "      upper_limit: {amount: " + "4" * 401 + "}\n"
    rules = write(tmp_path / "r.yaml", "overrides: [zinc]\nsupplements:\n  - id: zinc\n"
                  "    name: Zinc\n    nutrient:\n" + limit)  # fmt: skip
    code, out, err = cli("check", "--no-profile", "-s", "zinc", "--rules", rules)
    assert (code, out) == (2, "")
    assert err == f"suppcheck: error: {rules}:6: a number of more than 300 digits\n"


def test_a_huge_integer_on_a_batch_line_loses_no_other_reply() -> None:
    lines = (
        b'{"id": "a", "conditions": ["lupus"], "supplements": ["melatonin"]}\n'
        + b'{"id": ' + HUGE.encode() + b', "supplements": ["zinc"]}\n'
        + b'{"id": "c", "supplements": [{"name": "zinc", "amount": 1' + b"0" * 400
        + b', "unit": "mg"}]}\n'
        + b'{"id": "d", "supplements": ["vitamin C"]}\n'
    )  # fmt: skip
    code, out, err = cli("batch", stdin=lines)
    assert (code, err) == (1, "")
    a, b, c, d = (json.loads(line) for line in out.splitlines())
    assert a["id"] == "a" and a["findings"] and d["id"] == "d" and "error" not in d
    message = "invalid JSON: a number of more than 300 digits"
    assert b == {"line": 2, "id": None, "error": message}
    assert c == {"line": 3, "id": None, "error": message}


# The mechanism behind the cases above, over generated input (hypothesis).

from hypothesis import given, settings  # noqa: E402 - kept with the properties that use it
from hypothesis import strategies as st  # noqa: E402

from suppcheck import yamlfile  # noqa: E402

PROPERTY = settings(max_examples=200, deadline=None)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)  # fmt: skip


@PROPERTY
@given(st.integers(min_value=0, max_value=10**30), st.integers(min_value=0, max_value=5))
def test_property_a_decimal_with_leading_zeros_is_its_decimal_value(
    number: int, zeros: int
) -> None:
    assert yamlfile.parse(f"amount: {'0' * zeros}{number}\n") == {"amount": number}


@PROPERTY
@given(st.sampled_from(["0x32", "0b110010", "0o17", "40:00", "1_000", "0x_1", "190:20:30",
                        "yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "Y", "=", "<<"])
       | st.from_regex(r"\A[A-Za-z][A-Za-z0-9_]{0,8}(:[0-9]{1,2}){0,2}\Z"))  # fmt: skip
def test_property_only_decimals_true_false_and_null_are_not_text(word: str) -> None:
    value = yamlfile.parse(f"names: [{word}]\n")["names"][0]
    if word.lower() in ("true", "false"):
        assert value is (word.lower() == "true")
    elif word.lower() in ("null",):
        assert value is None
    else:
        assert value == word


@PROPERTY
@given(st.dictionaries(st.text(max_size=6), JSON_VALUES, min_size=1, max_size=5), st.data())
def test_property_a_duplicate_json_key_is_always_refused_with_its_line(
    data: dict[str, object], draw: st.DataObject
) -> None:
    text = json.dumps(data, indent=1)
    assert yamlfile.loads_json(text) == data  # no duplicate: what json.loads gives
    key = draw.draw(st.sampled_from(sorted(data)))
    lines = text.split("\n")
    lines.insert(len(lines) - 1, f" {json.dumps(key)}: null,")
    doubled = "\n".join(lines[:-2]) + ",\n" + "\n".join(lines[-2:]).replace(",\n}", "\n}")
    with pytest.raises(yamlfile.YamlError) as raised:
        yamlfile.loads_json(doubled)
    assert raised.value.message == f"duplicate key {key!r}"
    # The line where the key is written a second time (a nested mapping may use it first).
    assert raised.value.line <= len(lines) - 1
    if not any(isinstance(value, dict | list) for value in data.values()):
        assert raised.value.line == len(lines) - 1
    with pytest.raises(yamlfile.YamlError):  # and through the YAML-or-JSON reader
        yamlfile.parse(doubled.replace("\n ", "\n\t"))


@PROPERTY
@given(st.integers(min_value=301, max_value=6000), st.sampled_from(["", "-", "+"]))
def test_property_an_over_long_integer_is_refused_not_a_crash(digits: int, sign: str) -> None:
    number = sign + "7" * digits
    with pytest.raises(yamlfile.YamlError, match="more than 300 digits"):
        yamlfile.parse(f"a:\n  - {number}\n")
    if sign != "+":  # JSON has no plus sign
        with pytest.raises(yamlfile.YamlError, match="more than 300 digits"):
            yamlfile.loads_json(f'{{"a": [{number}]}}')


# A rule file that replaces shipped rules leaves a trace in every format's opening lines.

REPLACED = "rule files added: {files}; replaced rules/entries: supplement zinc"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
@pytest.mark.parametrize("how", ["--rules", "rules.d"])
def test_a_replaced_shipped_entry_is_named_in_every_format(
    fmt: str, how: str, tmp_path: Path
) -> None:
    rules = corpus("override-zinc-limit.yaml", tmp_path)
    args = ["--rules", str(rules)]
    if how == "rules.d":
        paths.user_rules_dir().mkdir(parents=True)
        rules = paths.user_rules_dir() / "override-zinc-limit.yaml"
        rules.write_bytes((CORPUS / "override-zinc-limit.yaml").read_bytes())
        args = []
    wide = {"COLUMNS": "500"}  # the text report wraps; the temporary path is long
    code, out, err = cli("check", "-s", "zinc 50 mg", "--format", fmt, *args, env=wide)
    assert (code, err) == (0, "")
    sentence = REPLACED.format(files=rules)
    opening = out.split("What was checked")[0]
    if fmt == "text":
        assert opening.splitlines()[2] == sentence
    elif fmt == "markdown":
        from suppcheck.report.markdown import escape

        assert f"**{escape(sentence)}**" in opening
    elif fmt == "html":
        assert f'<p class="meta"><strong>{sentence}</strong></p>' in opening
    else:
        info = json.loads(out)["rule_base"]
        assert info["files"] == ["rules.yaml", str(rules)]
        assert info["replaced"] == ["supplement zinc"]


def test_an_override_of_an_id_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    rules = write(tmp_path / "typo.yaml", "version: t\noverrides: [zinck]\n")
    code, out, err = cli("rules", "validate", rules)
    assert (code, out) == (2, "")
    assert err == (f"{rules}:2: overrides: 'zinck' replaces nothing: no earlier rule file "
                   "defines it\nsuppcheck: 1 problem found\n")  # fmt: skip


# Closed standard streams and readers that leave: a defined status, never a traceback.


def closed(redirect: str, *args: str) -> tuple[int, bytes, bytes]:
    """Run suppcheck with a standard stream closed by the shell (`>&-`, `2>&-`, `<&-`)."""
    quoted = " ".join(f"'{a}'" for a in args)
    done = subprocess.run(["sh", "-c", f'exec "$0" {quoted} {redirect}', SUPPCHECK],
                          capture_output=True, timeout=30)  # fmt: skip
    assert b"Traceback" not in done.stdout + done.stderr
    return done.returncode, done.stdout, done.stderr


def test_a_closed_stdout_is_a_write_error_not_a_finding() -> None:
    code, out, err = closed(">&-", "check", "-c", "lupus", "-s", "vitamin C")
    assert (code, out) == (2, b"")
    assert err == b"suppcheck: error: cannot write the output: standard output is closed\n"


@pytest.mark.parametrize(("supplement", "status"), [("vitamin C", 0), ("melatonin", 1)])
def test_a_closed_stderr_keeps_the_exit_status(supplement: str, status: int) -> None:
    code, out, err = closed("2>&-", "check", "-c", "lupus", "-s", supplement)
    assert (code, err) == (status, b"")
    assert out.startswith(b"suppcheck: supplement caution report\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--input", "-"], b"suppcheck: error: <stdin>:1: the regimen is empty\n"),
        (["batch"], b"suppcheck: error: no profiles to check: "),
        (["profile", "clear"], b"Delete your saved profile "),
    ],
)
def test_a_closed_stdin_is_a_clean_error(args: list[str], message: bytes) -> None:
    if args[0] == "profile":
        assert cli("profile", "add", "-c", "lupus")[0] == 0
    code, out, err = closed("<&-", *args)
    assert (code, out) == (2, b"")
    assert err.startswith(message)
    if args[0] == "profile":
        assert err.endswith(b"no confirmation (nothing to read on standard input); use --yes "
                            b"to clear\n")  # fmt: skip
        assert paths.profile_path().exists()


def test_a_batch_of_only_blank_lines_checked_nothing() -> None:
    code, out, err = cli("batch", stdin=b"\n   \n\t\n")
    assert (code, out) == (2, "")
    assert (
        err == "suppcheck: error: no profiles to check: the input was empty or only blank lines\n"
    )


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["list", "supplements"], 0),
        (["show", "zinc"], 0),
        (["explain", "zinc-copper-interference"], 0),
        (["profile", "show"], 0),
        (["check", "-c", "lupus", "-s", "melatonin"], 1),  # the finding is not lost
        (["check", "-c", "lupus", "-s", "vitamin C", "-s", "ashwaganda"], 3),
    ],
)
def test_a_reader_that_leaves_early_is_not_a_finding(args: list[str], status: int) -> None:
    # `suppcheck list | head -1`: here the reader leaves before the first line is written
    # (suppcheck takes far longer to start than this takes to close the pipe).
    proc = subprocess.Popen([SUPPCHECK, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert (proc.wait(timeout=30), err) == (status, b"")


def test_a_full_disk_is_a_write_error_not_an_internal_error() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    for args in (["check", "-c", "lupus"], ["list", "supplements"], ["show", "zinc"]):
        code, out, err = closed(">/dev/full", *args)
        assert (code, out) == (2, b"")
        assert err == b"suppcheck: error: cannot write the output: No space left on device\n"


# -o onto special files, links and existing files: written as the user meant it.


def test_output_into_a_named_pipe_writes_into_the_pipe(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, out, err = cli("check", "-c", "lupus", "-s", "melatonin", "-o", str(fifo))
    reader.join(timeout=30)
    assert (code, out, err) == (1, "", f"suppcheck: report written to {fifo}\n")
    assert received[0].startswith(b"suppcheck: supplement caution report\n")
    assert fifo.is_fifo()  # still a pipe, not replaced by a regular file


def test_output_onto_a_device_writes_into_it() -> None:
    code, out, err = cli("check", "-c", "lupus", "-o", "/dev/null")
    assert (code, out, err) == (0, "", "suppcheck: report written to /dev/null\n")
    assert Path("/dev/null").is_char_device()


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("old")
    target.chmod(0o644)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    code, out, err = cli("check", "-c", "lupus", "-o", str(link))
    assert (code, out, err) == (0, "", f"suppcheck: report written to {link}\n")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("suppcheck: supplement caution report\n")
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)


def test_output_keeps_an_existing_mode_and_hard_links(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("old")
    report.chmod(0o644)
    other = tmp_path / "other-name.txt"
    os.link(report, other)
    code, out, err = cli("check", "-c", "lupus", "-o", str(report))
    assert (code, out, err) == (0, "", f"suppcheck: report written to {report}\n")
    assert oct(report.stat().st_mode & 0o777) == oct(0o644)
    assert report.stat().st_ino == other.stat().st_ino  # still one file under two names
    assert other.read_text().startswith("suppcheck: supplement caution report\n")
    fresh = tmp_path / "fresh.txt"
    assert cli("check", "-c", "lupus", "-o", str(fresh))[0] == 0
    assert oct(fresh.stat().st_mode & 0o777) == oct(0o600)  # a new report: health data


def test_force_color_never_puts_escape_codes_into_an_output_file(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    code, out, err = cli("check", "-c", "lupus", "-s", "melatonin", "-o", str(report),
                         env={"FORCE_COLOR": "1", "TERM": "xterm-256color"})  # fmt: skip
    assert (code, out, err) == (1, "", f"suppcheck: report written to {report}\n")
    assert ESC not in report.read_text()


@pytest.mark.parametrize(
    ("name", "start"),
    [("r.html", "<!DOCTYPE html>"), ("r.HTM", "<!DOCTYPE html>"), ("r.md", "# Supplement"),
     ("r.markdown", "# Supplement"), ("r.json", "{"), ("r.txt", "suppcheck: supplement"),
     ("r.report", "suppcheck: supplement")],
)  # fmt: skip
def test_the_output_extension_gives_the_format(name: str, start: str, tmp_path: Path) -> None:
    report = tmp_path / name
    code, out, err = cli("check", "-c", "lupus", "-o", str(report))
    assert (code, out, err) == (0, "", f"suppcheck: report written to {report}\n")
    assert report.read_text().startswith(start)


def test_a_format_that_contradicts_the_output_extension_is_refused(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    code, out, err = cli("check", "-c", "lupus", "-f", "json", "-o", str(report))
    assert (code, out) == (2, "")
    assert err == (f"suppcheck: error: --format json does not match the extension of --output "
                   f"{report} (html); change one of them\n")  # fmt: skip
    assert not report.exists()


# Concurrent `profile add`: no update is lost.


def test_twenty_concurrent_profile_adds_lose_nothing() -> None:
    listed = json.loads(cli("list", "conditions", "--format", "json")[1])["items"]
    wanted = [item["id"] for item in listed if item["id"] != "autoimmune"][:20]
    assert len(wanted) == 20
    cli("check", "-c", "lupus", "--no-profile")  # warm the rule cache: the adds then race
    runs = [subprocess.Popen([SUPPCHECK, "profile", "add", "-c", name], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for name in wanted]  # fmt: skip
    for name, run in zip(wanted, runs, strict=True):
        out, err = run.communicate(timeout=120)
        assert (run.returncode, out) == (0, b""), err
        assert f"added condition {name}".encode() in err
    code, out, err = cli("profile", "show", "--format", "json")
    assert (code, err) == (0, "")
    assert sorted(item["id"] for item in json.loads(out)["conditions"]) == sorted(wanted)
    leftovers = [p.name for p in paths.config_dir().iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_a_terminated_profile_add_leaves_no_temporary_file() -> None:
    # Stopped while it holds the lock (another process holds it first): SIGTERM ends it cleanly.
    import fcntl
    import signal
    import time

    paths.config_dir().mkdir(parents=True)
    with open(paths.profile_path().with_name("profile.yaml.lock"), "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        run = subprocess.Popen([SUPPCHECK, "profile", "add", "-c", "lupus"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        time.sleep(1.5)  # it is now waiting for the lock
        run.send_signal(signal.SIGTERM)
        out, err = run.communicate(timeout=30)
    assert run.returncode in (143, -signal.SIGTERM) and out == b""
    assert b"Traceback" not in err
    assert not paths.profile_path().exists()
    assert [p.name for p in paths.config_dir().iterdir()] == ["profile.yaml.lock"]


# Strings from outside (issue 14 items 10 and 11): printed literally in every message and format.

RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\r")  # escape codes, a bell, CSI, a bidi override, CR


def assert_no_raw(*streams: str) -> None:
    for stream in streams:
        for ch in RAW:
            assert ch not in stream, (ch, stream[:300])


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_rule_text_from_a_rule_file_is_printed_literally(fmt: str, tmp_path: Path) -> None:
    rules = corpus("escapes-rules.yaml", tmp_path)
    code, out, err = cli("check", "-s", "gadget", "--rules", str(rules), "--details", "-f", fmt,
                         env={"COLUMNS": "300"})  # fmt: skip
    assert (code, err) == (1, "")
    assert_no_raw(out)
    if fmt == "text":
        assert "Title \\x1b]0;pwned\\x07 [red]R[/red] \\u202eevil" in out
        assert "Advice \\r\\x1b[2K overwritten \\x9b31m" in out
        assert "https://example.org/\\x1b[31mred" in out and "Ask \\x1b[5mblink" in out
    elif fmt == "json":
        rule = json.loads(out)["findings"][0]
        assert rule["title"] == "Title \x1b]0;pwned\x07 [red]R[/red] \u202eevil"
        assert "\\u001b]0;pwned\\u0007" in out and "\\u009b31m" in out and "\\u202eevil" in out
    elif fmt == "markdown":
        assert "\\[red\\]R\\[/red\\]" in out and "\\<https\\://evil.invalid\\>" in out
    else:
        assert "&lt;https://evil.invalid&gt;" in out and "<https://evil" not in out


@pytest.mark.parametrize("command", ["show gadget", "explain gadget-escape"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_show_and_explain_print_rule_text_literally(command: str, fmt: str, tmp_path: Path) -> None:
    rules = corpus("escapes-rules.yaml", tmp_path)
    code, out, err = cli(*command.split(), "--rules", str(rules), "-f", fmt,
                         env={"COLUMNS": "300"})  # fmt: skip
    assert (code, err) == (0, "")
    assert_no_raw(out)
    if fmt == "text":
        assert "\\x1b]0;pwned\\x07 [red]R[/red] \\u202eevil" in out
    else:
        json.loads(out)  # the same value, escaped as JSON


def test_file_names_in_messages_and_summaries_are_printed_literally(tmp_path: Path) -> None:
    evil = "a\x1b[31m\u202e\rb.yaml"
    code, out, err = cli("check", "--input", str(tmp_path / evil))
    assert (code, out) == (2, "")
    assert err == (f"suppcheck: error: {tmp_path}/a\\x1b[31m\\u202e\\rb.yaml: cannot read "
                   "regimen file: No such file or directory\n")  # fmt: skip
    rules = tmp_path / ("rules\x1b]0;t\x07.yaml")
    rules.write_text("supplements:\n  - {id: gizmo, name: Gizmo}\n")
    shown = f"{tmp_path}/rules\\x1b]0;t\\x07.yaml"
    code, out, err = cli("rules", "validate", str(rules))
    assert (code, err) == (0, "")
    shipped = len(loader.load().rules)
    assert out == f"rules.yaml + {shown}: 0 rules OK ({shipped} rules with the shipped base)\n"
    broken = tmp_path / "broken\x1b[2J.yaml"
    broken.write_text("rules: [\n")
    for args in (
        ["rules", "validate"],
        ["check", "-s", "zinc", "--rules"],
        ["list", "rules", "--rules"],
    ):
        code, out, err = cli(*args, str(broken))
        assert (code, out) == (2, "")
        assert f"{tmp_path}/broken\\x1b[2J.yaml:2: invalid YAML" in err
    code, out, err = cli("check", "-s", "zinc", "--rules", str(rules), env={"COLUMNS": "300"})
    assert (code, err) == (0, "") and f"rule files added: {shown}" in out
    report = tmp_path / "r\x1b[1m.txt"
    code, out, err = cli("check", "-s", "zinc", "-o", str(report))
    assert (code, out) == (
        0,
        "",
    ) and err == f"suppcheck: report written to {tmp_path}/r\\x1b[1m.txt\n"


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_a_url_typed_as_a_name_does_not_become_a_link(fmt: str) -> None:
    names = ["https://evil.example/x", "www.evil.example", "me@evil.example",
             "[click](https://evil.example)", "<https://evil.example>"]  # fmt: skip
    typed = [arg for name in names for arg in ("-s", name)]
    code, out, err = cli("check", *typed, "-c", "http://x.example", "-f", fmt)
    assert (code, err) == (3, "")
    if fmt == "markdown":
        for link in ("https://evil", "http://x", "www.evil", "me@evil"):
            assert link not in out
        assert re.search(r"(?<!\\)(\]\(|<https)", out) is None  # `](`, `<` only escaped
        assert "https\\://evil.example/x" in out and "www\\.evil.example" in out
        assert "me\\@evil.example" in out and "\\[click\\](https\\://evil.example)" in out
    elif fmt == "html":
        assert "<https" not in out and "&lt;https://evil.example&gt;" in out
        assert 'href="https://evil' not in out and "href='https://evil" not in out
    else:
        assert "[click](https://evil.example)" in out


HOSTILE_PIECES = st.sampled_from(
    ["\x1b[31m", "\x1b]0;t\x07", "\x9b2J", "\u202e", "\r", "\t", "\n", "\x00", "\x7f", "\u200b",
     "[bold]", "[/]", "[link=https://x.invalid]", "<script>", "<img src=x>", "*", "_", "`",
     "](https://x.invalid)", "https://x.invalid", "www.x.invalid", "a@x.invalid", "&amp;",
     "| a |", "# h", "- ", "1. ", "\\", "x", " "]
)  # fmt: skip
HOSTILE_TEXT = st.lists(HOSTILE_PIECES, min_size=1, max_size=8).map(lambda p: "T" + "".join(p))
# what would be markup or a link if it got out unescaped
UNESCAPED = {
    "markdown": re.compile(r"(?<!\\)(<script|<img|<https|\]\(|://x)|www\.x|a@x"),
    "html": re.compile(r"<script|<img|href=.https://x"),
}


@settings(max_examples=100, deadline=None)
@given(title=HOSTILE_TEXT, rationale=HOSTILE_TEXT, name=HOSTILE_TEXT, typed_name=HOSTILE_TEXT)
def test_property_no_raw_control_character_or_typed_link_gets_out(
    title: str, rationale: str, name: str, typed_name: str
) -> None:
    """Rule-file text and typed names, with control characters, rich markup, Markdown, HTML and
    links, through the text, markdown and html formatters: nothing raw gets out."""
    import io

    from suppcheck.engine.pipeline import run_check
    from suppcheck.inputs.regimen import Regimen
    from suppcheck.report import Detail, Format, Options, get_formatter
    from suppcheck.rules import loader

    def q(text: str) -> str:
        return json.dumps(text)  # a YAML double-quoted scalar takes JSON's escapes

    rule_file = f"""
supplements:
  - {{id: gadget, name: {q(name)}, aliases: [gadget]}}
rules:
  - id: gadget-rule
    title: {q(title)}
    mechanism: other
    severity: caution
    evidence: theoretical
    action: discuss
    when: {{supplement: gadget}}
    rationale: {q(rationale)}
    advice: {q(rationale)}
    ask: [{q(title)}]
    sources: [{{title: {q(name)}}}]
    reviewed: 2026-11-21
    examples: {{fires: [{{supplements: [gadget]}}], silent: [{{supplements: []}}]}}
"""
    base = loader.build([loader.parse_text(rule_file, "t.yaml")])
    report = run_check(base, Regimen(supplements=["gadget", typed_name]))
    for fmt in (Format.TEXT, Format.MARKDOWN, Format.HTML):
        out = io.StringIO()
        options = Options(detail=Detail.FULL, for_name=typed_name, width=100)
        get_formatter(fmt, color=False, options=options).write(report, out)
        text = out.getvalue()
        assert all(ch.isprintable() or ch == "\n" for ch in text), fmt
        if fmt is not Format.TEXT:
            assert UNESCAPED[fmt.value].search(text) is None, fmt
        else:
            assert "[bold]" in text or "[bold]" not in title + rationale + name


# The "Low" list of issue 14: files that are not regular, reachability, wording and arithmetic.


@pytest.mark.parametrize("link", ["dangling", "loop"])
def test_an_unreachable_saved_profile_is_an_error_not_no_profile(link: str) -> None:
    profile = paths.profile_path()
    profile.parent.mkdir(parents=True)
    profile.symlink_to("nowhere.yaml" if link == "dangling" else profile.name)
    code, out, err = cli("check", "-s", "vitamin C")
    assert (code, out) == (2, "")
    reason = ("it is a symbolic link to nowhere.yaml, which does not exist" if link == "dangling"
              else "Too many levels of symbolic links")  # fmt: skip
    assert err == f"suppcheck: error: {profile}: cannot read the saved profile: {reason}\n"
    assert profile.is_symlink()  # kept as it was


COMPLETE = {"COMP_WORDS": "suppcheck check -s zi", "COMP_CWORD": "3",
            "_SUPPCHECK_COMPLETE": "complete_bash"}  # fmt: skip


def test_a_named_pipe_in_rules_d_never_hangs_a_command() -> None:
    folder = paths.user_rules_dir()
    folder.mkdir(parents=True)
    fifo = folder / "pipe.yaml"
    os.mkfifo(fifo)
    message = (f"suppcheck: error: {fifo}:1: cannot read rule file: it is a named pipe, not a "
               "regular file\n")  # fmt: skip
    for args in (["check", "-s", "zinc"], ["list", "rules"], ["show", "zinc"], ["batch"]):
        code, out, err = cli(*args, timeout=10)
        assert (code, out, err) == (2, "", message), args
    done = subprocess.run([SUPPCHECK], env=dict(os.environ, **COMPLETE), capture_output=True,
                          timeout=10)  # fmt: skip  # TAB: no names offered, and no wait
    assert done.returncode == 0 and b"Traceback" not in done.stderr


def test_a_named_pipe_as_a_saved_profile_or_rule_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    code, out, err = cli("check", "-c", "lupus", "--rules", str(fifo), timeout=10)
    assert (code, out) == (2, "") and err.endswith(":1: cannot read rule file: it is a named "
                                                   "pipe, not a regular file\n")  # fmt: skip
    code, out, err = cli("rules", "validate", str(fifo), timeout=10)
    assert (code, out) == (2, "") and "it is a named pipe, not a regular file" in err
    profile = paths.profile_path()
    profile.parent.mkdir(parents=True)
    os.mkfifo(profile)
    code, out, err = cli("check", "-s", "zinc", timeout=10)
    assert (code, out) == (2, "")
    assert err == (f"suppcheck: error: {profile}: cannot read the saved profile: it is a named "
                   "pipe, not a regular file\n")  # fmt: skip


def test_a_pipe_named_as_input_is_read_as_standard_input_is() -> None:
    # `--input <(cat a.yaml)` and `--input /dev/stdin` are the deliberate exception: the user
    # named the pipe on the command line.
    code, out, err = cli("check", "--input", "/dev/stdin", "-f", "json",
                         stdin=b"conditions: [lupus]\nsupplements: [melatonin]\n")  # fmt: skip
    assert (code, err) == (1, "") and "melatonin-immune-stimulation" in out


@pytest.mark.parametrize("command", [["show", "zinc"], ["explain", "melatonin-immune-stimulation"]])
def test_show_and_explain_carry_the_disclaimer(command: list[str]) -> None:
    from suppcheck.report.wording import DISCLAIMER

    code, out, err = cli(*command)
    assert (code, err) == (0, "")
    last = out.rstrip("\n").split("\n\n")[-1]  # the closing paragraph, wrapped at 80
    assert " ".join(last.split()) == DISCLAIMER
    code, out, err = cli(*command, "-f", "json")
    assert (code, err) == (0, "") and json.loads(out)["disclaimer"] == DISCLAIMER


def test_the_hint_for_an_unknown_condition_points_to_the_conditions() -> None:
    code, out, err = cli("check", "-c", "lupsu", "-s", "zinc", env={"COLUMNS": "1000"})
    assert (code, err) == (3, "")
    assert "Check the spelling, or run `suppcheck list conditions` to see known names." in out
    assert "list supplements" not in out
    code, out, err = cli("check", "-c", "lupsu", "-s", "zinkk", "-m", "nothing-known",
                         env={"COLUMNS": "1000"})  # fmt: skip
    assert (code, err) == (3, "")
    assert ("run `suppcheck list conditions` or `suppcheck list supplements` or `suppcheck list "
            "medications` to see") in out  # fmt: skip


@pytest.mark.parametrize(("amount", "status", "words"), [
    ("40 mg", 0, "40 mg a day, within the upper limit of 40 mg"),
    ("40.001 mg", 1, "40.001 mg a day, ABOVE the upper limit of 40 mg"),
])  # fmt: skip
def test_a_total_equal_to_the_limit_is_not_above_it(amount: str, status: int, words: str) -> None:
    code, out, err = cli("check", "-s", f"zinc {amount}", env={"COLUMNS": "1000"})
    assert (code, err) == (status, "")
    assert words in out


@pytest.mark.parametrize("date", ["2026-02-30", "2026-13-01", "2025-02-29", "2026-00-10"])
@pytest.mark.parametrize("where", ["top", "rule"])
def test_rules_validate_refuses_a_date_that_does_not_exist(
    date: str, where: str, tmp_path: Path
) -> None:
    text = (CORPUS / "escapes-rules.yaml").read_text()
    if where == "top":
        text = text.replace('version: "esc\\e[31m"', f"version: t\nreviewed: {date}")
        line, key = 4, "reviewed"
    else:
        text = text.replace("reviewed: 2026-11-21", f"reviewed: {date}")
        line, key = 22, "rules[0].reviewed"
    rules = write(tmp_path / "dates.yaml", text)
    code, out, err = cli("rules", "validate", rules)
    assert (code, out) == (2, "")
    problem = f"{rules}:{line}: {key}: '{date}' is not a date that exists"
    assert err == f"{problem}\nsuppcheck: 1 problem found\n"


def test_a_known_name_with_a_number_that_is_not_a_dose_says_so() -> None:
    code, out, err = cli("check", "-s", "zinc ½ mg", "-s", "zinc pico", "-f", "json")
    assert (code, err) == (3, "")
    unresolved = {item["input"]: item for item in json.loads(out)["unresolved"]}
    half, pico = unresolved["zinc ½ mg"], unresolved["zinc pico"]
    assert half["reason"] == (
        "unknown supplement: 'zinc' is known, but '½ mg' after it is not a "
        "dose suppcheck can read (write the amount in digits, e.g. 0.5 mg)"
    )
    # words that are not a number are a misspelt name: suggestions, as before
    assert pico["reason"] == "unknown supplement" and "zinc-picolinate" in pico["suggestions"]


@pytest.mark.parametrize(
    ("dumped", "shown"),
    [
        ('{"a":"plain"}', '{"a":"plain"}'),  # ASCII without DEL: the fast path
        ('{"a":"x\x7fy"}', '{"a":"x\\u007fy"}'),  # DEL is the one raw ASCII non-printable
        ('{"a":"\u202e"}', '{"a":"\\u202e"}'),  # a bidirectional override
        ('{"a":"Sjögren"}', '{"a":"Sjögren"}'),  # printable non-ASCII stays as it is
    ],
)
def test_json_text_escapes_what_is_not_printable_and_nothing_else(dumped: str, shown: str) -> None:
    from suppcheck.printable import json_text

    assert json_text(dumped) == shown
