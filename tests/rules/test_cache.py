"""The parsed-rule-base cache: the same base as the loader, and a silent, correct fallback for a
missing, stale, corrupt, truncated or unwritable cache. It never runs code."""

from __future__ import annotations

import json
import marshal
import os
import random
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suppcheck import paths
from suppcheck.engine import evaluate as engine
from suppcheck.engine import resolve as names
from suppcheck.errors import RuleFileError
from suppcheck.model import Kind, Profile
from suppcheck.report.data import report_to_dict
from suppcheck.rules import cache, loader
from suppcheck.rules.rulebase import RuleBase

EXTRA = """\
supplements:
  - {id: test-herb, name: Test herb, aliases: [testherb], properties: [immune-stimulating]}
rules:
  - id: test-herb-rule
    title: Test herb might matter
    mechanism: other
    severity: caution
    evidence: theoretical
    when: {all: [{supplement: test-herb}, {condition: lupus}]}
    rationale: Because.
    advice: Ask.
    ask: [Is it fine?]
    sources: [{title: A test source}]
    reviewed: 2026-11-21
    examples:
      fires: [{conditions: [lupus], supplements: [test-herb]}]
      silent: [{supplements: [test-herb]}]
"""


# about the cache itself: each test starts with an empty cache folder
pytestmark = pytest.mark.cold_cache


def cache_files() -> list[Path]:
    return sorted(paths.cache_dir().glob("rules-*.bin"))


def report(base: RuleBase, conditions: list[str], supplements: list[str]) -> str:
    profile = names.resolve_profile(
        base.vocabularies(), conditions=conditions, supplements=supplements
    )
    return json.dumps(report_to_dict(engine.evaluate(base, profile)), sort_keys=True)


def assert_same_base(got: RuleBase, want: RuleBase) -> None:
    assert got.info == want.info
    assert list(got.rules) == list(want.rules)
    assert all(got.rules[r] == want.rules[r] for r in want.rules)
    for kind in Kind:
        assert list(got.entries[kind]) == list(want.entries[kind])
        assert all(got.entries[kind][e] == want.entries[kind][e] for e in want.entries[kind])
        assert dict(got.vocabulary(kind).keys) == dict(want.vocabulary(kind).keys)


PROFILES = [
    (["lupus"], ["melatonin"]),
    (["Hashimoto's"], ["zinc picolinate 50 mg", "selenium 400 mcg"]),
    (["crohns-disease"], ["probiotic", "testherb"]),
    (["RA"], ["ashwaganda"]),
    (["lupus"], ["test-herb", "echinacea"]),
]


def test_cached_base_equals_the_parsed_one(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA)
    want = loader.load([extra])
    first = cache.load([extra])  # parses and writes the cache
    assert len(cache_files()) == 1
    second = cache.load([extra])  # from the cache
    assert_same_base(second, want)
    for conditions, supplements in PROFILES:
        assert report(second, conditions, supplements) == report(want, conditions, supplements)
        assert report(first, conditions, supplements) == report(want, conditions, supplements)


def test_a_fresh_cache_is_read_without_parsing_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.load()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed YAML although the cache is fresh")

    monkeypatch.setattr(loader, "parse_text", refuse)
    monkeypatch.setattr(loader, "build", refuse)
    base = cache.load()
    assert "melatonin-immune-stimulation" in base.rules
    assert cache.names(Kind.SUPPLEMENT)[0][0] == sorted(base.entries[Kind.SUPPLEMENT])[0]


def test_an_edited_rule_file_is_seen_at_once(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA)
    assert cache.load([extra]).rules["test-herb-rule"].severity.value == "caution"
    stat = extra.stat()
    extra.write_text(EXTRA.replace("severity: caution", "severity: warning"))
    os.utime(extra, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    assert cache.load([extra]).rules["test-herb-rule"].severity.value == "warning"


def corrupt_and_reload(damage: object) -> RuleBase:
    want = loader.load()
    cache.load()
    (target,) = cache_files()
    data = target.read_bytes()
    assert callable(damage)
    target.write_bytes(damage(data))
    got = cache.load()
    assert_same_base(got, want)
    for conditions, supplements in PROFILES[:3]:
        assert report(got, conditions, supplements) == report(want, conditions, supplements)
    return got


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: b"", id="empty"),
        pytest.param(lambda d: d[: len(d) // 2], id="truncated"),
        pytest.param(lambda d: d[:20], id="truncated-head"),
        pytest.param(lambda d: os.urandom(len(d)), id="random-bytes"),
        pytest.param(lambda d: b"NOTCACHE" + d[8:], id="bad-magic"),
        pytest.param(lambda d: d[:16] + bytes(64) + d[80:], id="zeroed-head"),
        pytest.param(lambda d: d + b"trailing", id="longer"),
    ],
)
def test_a_damaged_cache_falls_back_to_the_yaml(damage: object) -> None:
    corrupt_and_reload(damage)
    assert cache_files(), "the damaged file is replaced by a good one"


def test_a_damaged_rule_inside_the_cache_is_noticed_and_reparsed() -> None:
    def flip_late_bytes(data: bytes) -> bytes:
        damaged = bytearray(data)
        for offset in range(len(data) - 4000, len(data), 97):  # inside the rule blobs
            damaged[offset] ^= 0xFF
        return bytes(damaged)

    base = corrupt_and_reload(flip_late_bytes)
    assert all(base.rules[r].id == r for r in base.rules)


def test_a_cache_holding_code_is_refused_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    want = loader.load()
    cache.load()
    (target,) = cache_files()
    data = target.read_bytes()
    head_len = int.from_bytes(data[8:12], "little")
    head = marshal.loads(data[16 : 16 + head_len])
    code = compile(f"open({str(marker)!r}, 'w').write('x')", "<evil>", "exec")
    head["info"] = (code, code, (code,))
    evil = marshal.dumps(head)  # with a correct CRC: the types are still checked
    prefix = data[:8] + len(evil).to_bytes(4, "little") + zlib.crc32(evil).to_bytes(4, "little")
    target.write_bytes(prefix + evil + data[16 + head_len :])
    assert_same_base(cache.load(), want)
    assert not marker.exists()


def test_an_unwritable_cache_directory_is_ignored(tmp_path: Path) -> None:
    blocked = paths.cache_dir()
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("a file where the cache folder should be")
    base = cache.load()
    assert "melatonin-immune-stimulation" in base.rules
    assert cache.names(Kind.CONDITION)
    assert blocked.is_file()


def test_a_stale_cache_of_another_version_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.load()
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    cache.load()
    assert len(cache_files()) == 2  # a new key: the old file is not believed


def test_a_broken_rule_file_is_never_cached(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(EXTRA.replace("severity: caution", "severity: high"))
    with pytest.raises(RuleFileError) as via_cache:
        cache.load([broken])
    with pytest.raises(RuleFileError) as via_loader:
        loader.load([broken])
    assert via_cache.value.problems == via_loader.value.problems
    assert "expected info, caution or warning, got 'high'" in str(via_cache.value)
    assert cache_files() == []


@pytest.mark.parametrize("kind", ["directory", "missing", "binary"])
def test_unreadable_rule_files_give_the_loaders_message(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "rules.yaml"
    if kind == "directory":
        target.mkdir()
    elif kind == "binary":
        target.write_bytes(b"\x00\xff\xfe binary")
    with pytest.raises(RuleFileError) as via_cache:
        cache.load([target])
    with pytest.raises(RuleFileError) as via_loader:
        loader.load([target])
    assert via_cache.value.problems == via_loader.value.problems


def generated_base(tmp_path: Path, rules: int = 2000, supplements: int = 200) -> Path:
    rng = random.Random(3)
    lines = ["supplements:"]
    lines += [f"  - {{id: gen-{n}, name: Gen {n}}}" for n in range(supplements)]
    lines.append("rules:")
    conditions = ("autoimmune", "lupus", "crohns-disease", "inflammatory-bowel-disease")
    for n in range(rules):
        supplement = f"gen-{rng.randrange(supplements)}"
        shape = rng.randrange(4)
        when = {
            0: f"{{all: [{{supplement: {supplement}}}, {{condition: {rng.choice(conditions)}}}]}}",
            1: f"{{any: [{{supplement: {supplement}}}, {{supplement: gen-{n % supplements}}}]}}",
            2: f"{{all: [{{supplement: {supplement}}}, {{not: {{condition: lupus}}}}]}}",
            3: f"{{all: [{{condition: {rng.choice(conditions)}}}, {{active: true}}]}}",
        }[shape]
        lines.append(
            f"  - {{id: gen-rule-{n}, title: Gen {n}, mechanism: other, severity: info, "
            f"evidence: theoretical, when: {when}, rationale: R., advice: A., ask: [Q?], "
            f"sources: [{{title: T}}], reviewed: 2026-11-21, examples: {{fires: [{{}}], "
            f"silent: [{{}}]}}}}"
        )
    path = tmp_path / "generated.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_index_gives_the_same_findings_as_a_full_scan(tmp_path: Path) -> None:
    path = generated_base(tmp_path)
    cache.load([path])
    indexed = cache.load([path])  # the cached index
    parsed = loader.load([path])
    full_scan = RuleBase(
        info=parsed.info,
        entries=parsed.entries,
        rules=parsed.rules,
        _index={},
        _unanchored=tuple(parsed.rules),
    )
    rng = random.Random(11)
    conditions = ["lupus", "crohns-disease", "multiple-sclerosis", "ulcerative-colitis"]
    for _ in range(150):
        profile = names.resolve_profile(
            parsed.vocabularies(),
            conditions=rng.sample(conditions, rng.randint(0, 2)),
            supplements=[f"gen-{rng.randrange(200)}" for _ in range(rng.randint(1, 3))],
            active=rng.random() < 0.5,
        )
        want = engine.evaluate(full_scan, profile)
        for base in (indexed, parsed):
            got = engine.evaluate(base, profile)
            assert [f.rule.id for f in got.findings] == [f.rule.id for f in want.findings]
            assert got.statuses == want.statuses


def test_an_empty_profile_resolves_against_the_cache() -> None:
    cache.load()
    base = cache.load()
    report_ = engine.evaluate(base, Profile())
    assert report_.findings == ()


def run_python(code: str, home: Path) -> str:
    env = dict(os.environ, HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_CONFIG_HOME=str(home / ".config"))  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    return done.stdout


def test_check_json_and_completion_import_neither_yaml_nor_rich(
    isolated_environment: Path,
) -> None:
    warm = "from suppcheck.rules import cache; cache.load()"
    run_python(warm, isolated_environment)
    code = """
import sys
from typer.testing import CliRunner
from suppcheck.cli.main import app
from suppcheck.cli.catalog import vocabulary_names
from suppcheck.model import Kind
args = ["check", "-c", "lupus", "-s", "melatonin", "--format", "json", "--no-profile"]
result = CliRunner().invoke(app, args)
assert result.exit_code == 1, result.output
assert vocabulary_names(Kind.SUPPLEMENT)
print(sorted(m for m in sys.modules if m.split(".")[0] in ("yaml", "rich", "suppcheck")))
"""
    loaded = run_python(code, isolated_environment)
    assert "'rich'" not in loaded and "'rich.console'" not in loaded
    assert "'yaml'" not in loaded  # the cache spares the parser
    assert "'suppcheck.rules.loader'" not in loaded


def test_status_pointer_skips_reading_and_still_sees_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files written just now are "racy" and always hashed; pretend they are old enough.
    monkeypatch.setattr(cache, "RACY_SECONDS", 0.0)
    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA)
    assert cache.load([extra]).rules["test-herb-rule"].severity.value == "caution"
    assert list(paths.cache_dir().glob("status-*.key"))

    real_read_all = cache._read_all
    reads: list[int] = []

    def counting(files: object) -> object:
        reads.append(1)
        return real_read_all(files)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "_read_all", counting)
    assert cache.load([extra]).rules["test-herb-rule"].severity.value == "caution"
    assert reads == [], "an unchanged file is found through its status, without reading it"

    stat = extra.stat()
    extra.write_text(EXTRA.replace("severity: caution", "severity: warning"))
    os.utime(extra, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime; ctime moves
    assert cache.load([extra]).rules["test-herb-rule"].severity.value == "warning"
    assert reads == [1]


def test_a_recently_changed_file_is_always_hashed(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA)
    assert cache._status_key([(extra, str(extra))]) is None  # changed within RACY_SECONDS


@pytest.mark.parametrize("pointer", ["", "not a key", "0" * 40, "\x00\xff"])
def test_a_bad_status_pointer_is_ignored(
    pointer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RACY_SECONDS", 0.0)
    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA)
    cache.load([extra])
    for found in paths.cache_dir().glob("status-*.key"):
        found.write_text(pointer, encoding="latin-1")
    assert_same_base(cache.load([extra]), loader.load([extra]))


# --- the cache is checked before it is believed (issue 14) ------------------------------------


def _head(data: bytes) -> tuple[int, dict[str, Any]]:
    length = int.from_bytes(data[8:12], "little")
    return length, marshal.loads(data[16 : 16 + length])


def _one_cache_file() -> Path:
    cache.load()
    (target,) = cache_files()
    return target


def test_a_flipped_bit_in_the_head_length_is_refused_before_anything_is_read() -> None:
    target = _one_cache_file()
    data = bytearray(target.read_bytes())
    data[11] ^= 0x40  # the length's top byte: about a gigabyte
    target.write_bytes(bytes(data))
    with pytest.raises(cache.CacheError, match="head length"):
        cache._Reader.open(target, target.stem.removeprefix("rules-"), (("rules.yaml", 0),))
    assert_same_base(cache.load(), loader.load())


def test_a_flipped_bit_in_the_rule_base_version_is_noticed() -> None:
    target = _one_cache_file()
    data = bytearray(target.read_bytes())
    version = loader.load().info.version.encode()
    at = data.index(version, 16)
    data[at] ^= 0x01  # the version every report prints, e.g. "2026.11" -> "3026.11"
    target.write_bytes(bytes(data))
    assert cache.load().info == loader.load().info


def test_a_head_with_other_rule_files_is_not_believed() -> None:
    """A head whose CRC holds but whose files are not the ones in use is refused."""
    target = _one_cache_file()
    data = target.read_bytes()
    length, head = _head(data)
    head["files"] = (("rules.yaml", 1),)
    forged = marshal.dumps(head)
    prefix = data[:8] + len(forged).to_bytes(4, "little") + zlib.crc32(forged).to_bytes(4, "little")
    target.write_bytes(prefix + forged + data[16 + length :])
    key = target.stem.removeprefix("rules-")
    size = cache.shipped_rules_path().stat().st_size
    with pytest.raises(cache.CacheError, match="other rule files"):
        cache._Reader.open(target, key, (("rules.yaml", size),))


def test_a_pointer_cannot_send_a_check_to_a_cache_of_other_rule_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RACY_SECONDS", 0.0)
    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA)
    assert "test-herb-rule" in cache.load([extra]).rules
    status = cache._status_key(cache.rule_files([extra], True))
    assert status is not None
    with_extra = cache._key_by_status(status)
    assert with_extra is not None
    cache.load()  # the shipped base alone: its own pointer
    plain = cache._status_key(cache.rule_files([], True))
    assert plain is not None
    cache._pointer(plain).write_text(with_extra)  # crafted: the shipped files -> the other cache
    base = cache.load()
    assert "test-herb-rule" not in base.rules
    assert base.info.files == ("rules.yaml",)
    assert "test-herb" not in dict(cache.names(Kind.SUPPLEMENT))


def _shipped_files() -> tuple[tuple[str, int], ...]:
    return (("rules.yaml", cache.shipped_rules_path().stat().st_size),)


SPECIAL = ["symlink-to-dev-zero", "fifo", "symlink-to-a-good-cache"]


def _replace_with_special(target: Path, kind: str) -> None:
    good = target.with_suffix(".good")
    target.rename(good)
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink-to-dev-zero":
        target.symlink_to("/dev/zero")
    else:
        target.symlink_to(good)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("kind", SPECIAL)
def test_only_a_regular_cache_file_is_read_never_a_device_fifo_or_symlink(
    kind: str, isolated_environment: Path
) -> None:
    target = _one_cache_file()
    _replace_with_special(target, kind)
    # In a child process with a timeout: a read without bound or a hang fails the test.
    done = subprocess.run(
        [sys.executable, "-c", "from suppcheck.rules import cache; print(len(cache.load().rules))"],
        capture_output=True, text=True, timeout=60, check=False, env=dict(os.environ),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert int(done.stdout) == len(loader.load().rules)
    # The run wrote a good cache in its place: os.replace swaps the link or FIFO itself, never
    # writing through it.
    assert target.is_file() and not target.is_symlink()
    assert cache._Reader.open(target, target.stem.removeprefix("rules-"), _shipped_files())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("kind", ["symlink-to-dev-zero", "fifo"])
def test_a_status_pointer_that_is_not_a_regular_file_is_ignored(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RACY_SECONDS", 0.0)
    cache.load()
    (pointer,) = paths.cache_dir().glob("status-*.key")
    _replace_with_special(pointer, kind)
    status = cache._status_key(cache.rule_files([], True))
    assert cache._key_by_status(status) is None
    assert_same_base(cache.load(), loader.load())


SHIPPED_CACHE: dict[str, bytes] = {}


def _shipped_cache_bytes() -> bytes:
    if not SHIPPED_CACHE:
        SHIPPED_CACHE["data"] = _one_cache_file().read_bytes()
    return SHIPPED_CACHE["data"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.floats(min_value=0, max_value=1, exclude_max=True), bit=st.integers(0, 7))
def test_any_single_bit_flip_gives_the_parsed_base(position: float, bit: int) -> None:
    data = bytearray(_shipped_cache_bytes())
    at = int(position * len(data))
    data[at] ^= 1 << bit
    for old in cache_files():
        old.unlink()
    target = cache.cache_file(cache._read_all(cache.rule_files([], True))[0])
    target.write_bytes(bytes(data))
    got = cache.load()
    assert_same_base(got, PARSED)
    assert report(got, ["lupus"], ["melatonin", "zinc 50 mg"]) == report(
        PARSED, ["lupus"], ["melatonin", "zinc 50 mg"]
    )


PARSED = loader.load()
