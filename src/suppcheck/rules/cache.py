"""The parsed rule base, cached under the user's cache directory so a check does not parse YAML.

The cache is only an optimisation. It is keyed by the content (a BLAKE2 hash) of every rule
file in use, their display names, the suppcheck version and the Python version, so an edited
rule file is seen at once. A missing, stale, corrupt, truncated or unwritable cache falls back,
silently and correctly, to parsing the YAML.

Nothing read from the cache is believed before it is checked (issue 14): only a regular file is
opened (never through a symlink, never a FIFO or a device, never blocking), and only up to
MAX_CACHE_BYTES; the head has its own CRC-32 and a bounded length, and is checked before marshal
reads it; every section and every rule carries a CRC-32 checked before it is read; every value is
type-checked before it becomes a model object. The cache never runs code: it holds plain data
(str, int, float, bool, None, tuples, lists, dicts and bytes) written with `marshal`, never
pickle. The head names the rule files the cache was built from (their display names and sizes),
and a cache reached through a status pointer is used only when they are the files in use.

Layout of one cache file::

    MAGIC | head length (4 bytes, LE) | head CRC-32 (4 bytes, LE) | head (marshal) | body

The body holds the sections the head lists (`names` and `titles` for completion, `entries`,
`vocab`, `index`, `unanchored`, `rule_ids`, `table`), then the rules, one marshal blob each,
decoded only when a check needs them: a large base costs a check only the rules about what the
person has and takes.
"""

from __future__ import annotations

import contextlib
import itertools
import marshal
import os
import stat
import sys
import zlib
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from suppcheck import paths, readfile
from suppcheck.model import (
    Action,
    ContentAmount,
    Contents,
    Conversion,
    ElementalFraction,
    Entry,
    Evidence,
    ExampleProfile,
    GroupLimit,
    Kind,
    NoKnownCaution,
    Nutrient,
    Rule,
    RuleBaseInfo,
    Severity,
    Source,
    TypicalContents,
    UpperLimit,
)
from suppcheck.version import __version__

if TYPE_CHECKING:  # imported when a base is built: completion reads names and needs neither
    from suppcheck.rules.rulebase import RuleBase
    from suppcheck.rules.vocabulary import Vocabulary

try:  # hashlib would load OpenSSL (milliseconds at every start); BLAKE2 is built in
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - every CPython has _blake2
    from hashlib import blake2b

FORMAT = 8  # bump whenever the layout of what is stored, or how the index is built, changes
MAGIC = b"SUPPCK\x00\x03"
PREFIX = 16  # MAGIC, head length, head CRC
KEEP_FILES = 8  # cache files kept for different sets of rule files (newest first)
MMAP_ABOVE = 4 * 1024 * 1024  # larger cache files are mapped, not read whole
MAX_FILE_BYTES = 64 * 1024 * 1024  # the rule file limit of yamlfile.MAX_FILE_BYTES
MAX_CACHE_BYTES = 1024 * 1024 * 1024  # a cache file larger than this is not read
MAX_HEAD_BYTES = 1024 * 1024  # the head lists a dozen sections and the rule files: small
MAX_POINTER_BYTES = 64
KIND_ORDER = (Kind.CONDITION, Kind.SUPPLEMENT, Kind.MEDICATION)
SECTIONS = ("names", "titles", "entries", "vocab", "index", "unanchored", "rule_ids", "table")


class CacheError(Exception):
    """The cache file cannot be used; the caller parses the YAML instead (never shown to users)."""


# --- which files, and their key ------------------------------------------------------------


def shipped_rules_path() -> Path:
    """`data/rules.yaml` without importing importlib.resources (the loader's way, but cheap)."""
    here = Path(__file__).resolve().parents[1]  # the package folder
    for candidate in (here / "data" / "rules.yaml", here.parents[1] / "data" / "rules.yaml"):
        if candidate.is_file():
            return candidate
    from suppcheck.rules.loader import shipped_rules_path as packaged

    return packaged()


def rule_files(extra: Sequence[Path], include_shipped: bool) -> list[tuple[Path, str]]:
    """(path, display name) of every rule file in use, named as loader.load names them."""
    from suppcheck.printable import readable  # a file name in messages is shown literally

    files = [(shipped_rules_path(), "rules.yaml")] if include_shipped else []
    return files + [(Path(p), readable(str(p))) for p in extra]


# Every file is opened as a regular file with a bound (suppcheck.readfile): a FIFO never hangs a
# check, /dev/zero is never read without end.
_open_regular = readfile.open_regular
_read_bounded = readfile.read_bounded


def _read_all(files: Sequence[tuple[Path, str]]) -> tuple[str, list[bytes]]:
    """The cache key and each file's bytes; OSError when a file cannot be read (or is huge)."""
    digest = blake2b(digest_size=20)
    digest.update(f"{FORMAT}\0{__version__}\0{sys.version}\0{marshal.version}\0".encode())
    contents = []
    for path, display in files:
        data = _read_bounded(path, MAX_FILE_BYTES, follow=True)
        digest.update(display.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
        contents.append(data)
    return digest.hexdigest(), contents


def cache_file(key: str) -> Path:
    return paths.cache_dir() / f"rules-{key}.bin"


# --- skipping the read: file status as a shortcut to the content key ---------------------------
#
# Hashing a large rule file on every run costs more than the rest of a check (46 MiB: ~55 ms).
# As git does for its index, a small pointer file maps the files' status (size, modification and
# change times in nanoseconds, inode, device) to the content key. Any write to a file changes
# its change time, so an edited file misses the pointer and is hashed again: edits are seen at
# once. A file changed in the last RACY_SECONDS is always hashed, so an edit in the same clock
# tick as the pointer's writing cannot hide behind it. A pointer is not trusted on its own: the
# cache it leads to must have been built from the files in use (their names and sizes).

RACY_SECONDS = 2.0


def _status(files: Sequence[tuple[Path, str]]) -> tuple[str, tuple[tuple[str, int], ...]] | None:
    """The status key of the files in use and their (display name, size); None when a file is
    missing, not a regular file, or changed too recently to trust its status."""
    import time

    digest = blake2b(digest_size=20)
    digest.update(f"{FORMAT}\0{__version__}\0{sys.version}\0{marshal.version}\0".encode())
    now = time.time_ns()
    sizes = []
    for path, display in files:
        try:
            status = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        if now - max(status.st_mtime_ns, status.st_ctime_ns) < RACY_SECONDS * 1e9:
            return None
        fields = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        digest.update(f"{display}\0{fields}\0{status.st_dev}\0".encode("utf-8", "surrogateescape"))
        sizes.append((display, status.st_size))
    return digest.hexdigest(), tuple(sizes)


def _status_key(files: Sequence[tuple[Path, str]]) -> str | None:
    found = _status(files)
    return None if found is None else found[0]


def _pointer(status_key: str) -> Path:
    return paths.cache_dir() / f"status-{status_key}.key"


def _is_key(text: str) -> bool:
    return len(text) == 40 and all(c in "0123456789abcdef" for c in text)


def _key_by_status(status_key: str | None) -> str | None:
    if status_key is None:
        return None
    try:
        raw = _read_bounded(_pointer(status_key), MAX_POINTER_BYTES, follow=False)
        key = raw.decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return key if _is_key(key) else None


def _remember_status(status_key: str | None, key: str) -> None:
    if status_key is None:
        return
    with contextlib.suppress(OSError):
        _write_atomic(_pointer(status_key), [key.encode("ascii")])


# --- loading -------------------------------------------------------------------------------


def load(extra: Sequence[Path] = (), *, include_shipped: bool = True) -> RuleBase:
    """The same RuleBase as loader.load(extra), from the cache when a fresh one exists.

    Raises RuleFileError exactly as loader.load does: a broken file is never cached.
    """
    files = rule_files(extra, include_shipped)
    status = _status(files)
    known = _key_by_status(status[0] if status else None)
    if known is not None and status is not None:
        try:
            target = cache_file(known)
            reader = _Reader.open(target, known, status[1])
            return reader.rule_base(lambda: _parse_files(files), target)
        except (OSError, CacheError):
            pass
    try:
        key, contents = _read_all(files)
    except OSError:
        # Let the loader produce its own message for an unreadable file.
        from suppcheck.rules.loader import load as parse_all

        return parse_all(extra, include_shipped=include_shipped)
    target = cache_file(key)
    sizes = tuple((display, len(data)) for (_, display), data in zip(files, contents, strict=True))
    try:
        base = _Reader.open(target, key, sizes).rule_base(lambda: _parse(files, contents), target)
    except (OSError, CacheError):
        base = _parse(files, contents)
        write(target, key, base, sizes)
    _remember_status(status[0] if status else None, key)
    return base


def _parse_files(files: Sequence[tuple[Path, str]]) -> RuleBase:
    """Parse from disk (the fallback when a rule in a cache turns out damaged)."""
    _, contents = _read_all(files)
    return _parse(files, contents)


def names(kind: Kind, extra: Sequence[Path] = ()) -> list[tuple[str, str]]:
    """(spelling, display name) offered by completion: read from the cache, nothing else."""
    return [(spelling, name) for spelling, name in _section(extra, "names")[kind.value]]


def rule_titles(extra: Sequence[Path] = ()) -> list[tuple[str, str]]:
    return [(rule_id, title) for rule_id, title in _section(extra, "titles")]


def _section(extra: Sequence[Path], name: str) -> Any:
    files = rule_files(extra, True)
    try:
        status = _status(files)
        known = _key_by_status(status[0] if status else None)
        if known is not None and status is not None:
            key, sizes = known, status[1]
        else:
            key, contents = _read_all(files)
            sizes = tuple((d, len(c)) for (_, d), c in zip(files, contents, strict=True))
        value = _Reader.open(cache_file(key), key, sizes).section(name)
        _expect(_checked_section(name, value), name)
        return value
    except (OSError, CacheError):
        pass
    # No usable cache: parse (which writes one when it can; RuleFileError when a file is broken).
    return encode_base(load(extra))[0][name]


def _parse(files: Sequence[tuple[Path, str]], contents: Sequence[bytes]) -> RuleBase:
    from suppcheck import yamlfile
    from suppcheck.errors import RuleFileError
    from suppcheck.rules import loader

    parsed = []
    problems: list[str] = []
    for (_, display), data in zip(files, contents, strict=True):
        try:
            text = yamlfile.decode(data)
        except UnicodeDecodeError:
            problems.append(f"{display}:1: cannot read rule file: not UTF-8 text")
            continue
        try:
            parsed.append(loader.parse_text(text, display))
        except RuleFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RuleFileError(problems)
    return loader.build(parsed)


class _Reader:
    """One cache file, checked: where it is, its size, magic, head CRC and length, key, the rule
    files it was built from, section bounds and CRCs, and the types of what it holds."""

    def __init__(self, buffer: Any, head: dict[str, Any], body: int) -> None:
        self.buffer = buffer
        self.head = head
        self.body = body

    @classmethod
    def open(cls, target: Path, key: str, files: tuple[tuple[str, int], ...]) -> _Reader:
        fd = _open_regular(target, follow=False)
        with os.fdopen(fd, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_CACHE_BYTES:
                raise CacheError("larger than the limit")
            if size > MMAP_ABOVE:
                import mmap

                buffer: Any = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            else:
                buffer = handle.read(MMAP_ABOVE + 1)
        if len(buffer) < PREFIX or buffer[:8] != MAGIC:
            raise CacheError("not a suppcheck cache file")
        head_len = int.from_bytes(buffer[8:12], "little")
        if head_len > MAX_HEAD_BYTES or PREFIX + head_len > len(buffer):
            raise CacheError("head length out of bounds")
        head_data = buffer[PREFIX : PREFIX + head_len]
        if zlib.crc32(head_data) != int.from_bytes(buffer[12:16], "little"):
            raise CacheError("head damaged")
        head = _loads(head_data)
        body = PREFIX + head_len
        if (
            not isinstance(head, dict)
            or head.get("format") != FORMAT
            or head.get("key") != key
            or head.get("version") != __version__
            or head.get("files") != files
            or head.get("total") != len(buffer) - body
            or not isinstance(head.get("sections"), dict)
        ):
            raise CacheError("stale or damaged head, or built from other rule files")
        return cls(buffer, head, body)

    def section(self, name: str) -> Any:
        where = self.head["sections"].get(name)
        if not (
            isinstance(where, tuple) and len(where) == 3 and all(type(x) is int for x in where)
        ):
            raise CacheError(f"no section {name}")
        offset, length, crc = where
        if offset < 0 or length < 0 or offset + length > self.head["total"]:
            raise CacheError(f"section {name} out of bounds")
        data = self.buffer[self.body + offset : self.body + offset + length]
        if zlib.crc32(data) != crc:
            raise CacheError(f"section {name} damaged")
        value = _loads(data)
        _expect(_checked_section(name, value), name)
        return value

    def rule_base(self, reparse: Callable[[], RuleBase], target: Path | None = None) -> RuleBase:
        """The rule base this file holds; each entry and rule is decoded when first used. A rule
        or entry found damaged then is taken from `reparse()` (and the file is removed)."""
        from suppcheck.rules.rulebase import RuleBase

        fallback = _Fallback(reparse, target)
        info = _check_info(self.head.get("info"), self.head["files"])
        count: Any = self.head.get("rules")
        _expect(type(count) is int and count >= 0, "rule count")
        offsets, crcs = self.section("table")
        _expect(len(offsets) == 8 * (count + 1) and len(crcs) == 4 * count, "rule table")
        rules_at = self.head["sections"].get("rules")
        _expect(isinstance(rules_at, tuple) and len(rules_at) == 3, "rules")
        _expect(type(rules_at[0]) is int and 0 <= rules_at[0] <= self.head["total"], "rules")
        rule_ids = self.section("rule_ids")
        _expect(len(rule_ids) == count, "rule ids")
        raw_entries = self.section("entries")
        raw_vocab = self.section("vocab")
        entries: dict[Kind, Mapping[str, Entry]] = {}
        vocabularies: dict[Kind, Vocabulary] = {}
        for kind in KIND_ORDER:
            entries[kind] = _LazyEntries(raw_entries[kind.value], kind, fallback)
            vocabularies[kind] = _memo_vocabulary()(kind, raw_vocab[kind.value], entries[kind])
        rules = _LazyRules(
            rule_ids, (self.buffer, self.body + rules_at[0], offsets, crcs), fallback
        )
        index = self.section("index")
        unanchored = self.section("unanchored")
        # Every id the index names is a rule the file holds (one C-level set operation).
        named = set(unanchored).union(*index.values()) if index else set(unanchored)
        _expect(named.issubset(rule_ids), "index")
        return RuleBase(
            info=info,
            entries=entries,
            rules=rules,
            _index=index,
            _unanchored=unanchored,
            _vocabularies=vocabularies,
        )


def _loads(data: Any) -> Any:
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError) as exc:
        raise CacheError(f"unreadable: {exc}") from None


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise CacheError(f"damaged: {what}")


def _check_info(raw: Any, files: Any) -> RuleBaseInfo:
    """The rule base's version, date, files and replaced ids, as the head holds them: the files
    must be the ones in use (the head's `files` were compared with them when it was opened)."""
    _expect(isinstance(raw, tuple) and len(raw) == 4, "info")
    version, reviewed, names, replaced = raw
    _expect(type(version) is str and type(reviewed) is str, "info")
    _expect(isinstance(names, tuple) and _all_of_type(names, str), "info files")
    _expect(names == tuple(display for display, _ in files), "info files")
    _expect(isinstance(replaced, tuple) and _all_of_type(replaced, str), "info replaced")
    return RuleBaseInfo(version, reviewed, names, replaced)


def _all_of_type(values: Any, kind: type) -> bool:
    """Whether every value is exactly of `kind`, checked in C (a loop costs ms on 100k items)."""
    return set(map(type, values)) <= {kind}


def _str_to_strs(raw: Any) -> bool:
    """A dict of text -> tuples of text (a vocabulary, the index)."""
    return (
        isinstance(raw, dict)
        and _all_of_type(raw, str)
        and _all_of_type(raw.values(), tuple)
        and _all_of_type(itertools.chain.from_iterable(raw.values()), str)
    )


def _by_kind(raw: Any, check: Callable[[Any], bool]) -> bool:
    return (
        isinstance(raw, dict)
        and set(raw) == {kind.value for kind in KIND_ORDER}
        and all(check(value) for value in raw.values())
    )


def _pairs(raw: Any) -> bool:
    return isinstance(raw, list) and all(
        isinstance(p, tuple) and len(p) == 2 and _all_of_type(p, str) for p in raw
    )


# What each section must be before anything uses it.
_SECTION_CHECKS: dict[str, Callable[[Any], bool]] = {
    "names": lambda raw: _by_kind(raw, _pairs),
    "titles": _pairs,
    "entries": lambda raw: _by_kind(
        raw,
        lambda e: isinstance(e, dict) and _all_of_type(e, str) and _all_of_type(e.values(), tuple),
    ),
    "vocab": lambda raw: _by_kind(raw, _str_to_strs),
    "index": _str_to_strs,
    "unanchored": lambda raw: isinstance(raw, tuple) and _all_of_type(raw, str),
    "rule_ids": lambda raw: isinstance(raw, tuple) and _all_of_type(raw, str),
    "table": lambda raw: isinstance(raw, tuple) and len(raw) == 2 and _all_of_type(raw, bytes),
}


def _checked_section(name: str, value: Any) -> bool:
    check = _SECTION_CHECKS.get(name)
    return check is not None and check(value)


_MEMO_VOCABULARY: list[type[Vocabulary]] = []


def _memo_vocabulary() -> type[Vocabulary]:
    """A Vocabulary that remembers what each spelling looked up to (batch sees names repeat)."""
    if _MEMO_VOCABULARY:
        return _MEMO_VOCABULARY[0]
    from suppcheck.rules.vocabulary import Vocabulary

    class MemoVocabulary(Vocabulary):
        def lookup(self, text: str) -> tuple[str, ...]:
            memo: dict[str, tuple[str, ...]] = self.__dict__.setdefault("_memo", {})
            found = memo.get(text)
            if found is None:
                if len(memo) > 100_000:
                    memo.clear()
                found = memo[text] = super().lookup(text)
            return found

    _MEMO_VOCABULARY.append(MemoVocabulary)
    return MemoVocabulary


class _Fallback:
    """The rule base parsed from YAML, built at most once, for when a rule or entry turns out
    damaged after the base was handed out. The damaged file is removed, so the next run writes
    a good one."""

    def __init__(self, reparse: Callable[[], RuleBase], target: Path | None = None) -> None:
        self.reparse = reparse
        self.target = target
        self.base: RuleBase | None = None

    def __call__(self) -> RuleBase:
        if self.base is None:
            self.base = self.reparse()
            if self.target is not None:
                with contextlib.suppress(OSError):
                    self.target.unlink()
        return self.base


class _LazyEntries(Mapping[str, Entry]):
    """Entries of one kind, each turned into an Entry the first time it is asked for."""

    def __init__(self, raw: dict[str, Any], kind: Kind, fallback: _Fallback) -> None:
        self._raw = raw
        self._kind = kind
        self._done: dict[str, Entry] = {}
        self._fallback = fallback

    def __getitem__(self, key: str) -> Entry:
        done = self._done.get(key)
        if done is not None:
            return done
        raw = self._raw[key]
        try:
            entry = decode_entry(self._kind, raw)
            _expect(entry.id == key, "entry id")
        except (CacheError, TypeError, ValueError, KeyError, IndexError):
            entry = self._fallback().entries[self._kind][key]
        self._done[key] = entry
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, key: object) -> bool:
        return key in self._raw


class _LazyRules(Mapping[str, Rule]):
    """Rules by id (sorted), each decoded from its own blob, CRC checked, the first time it is
    asked for; a damaged one is taken from the parsed rule files instead."""

    def __init__(
        self, ids: tuple[str, ...], blobs: tuple[Any, int, bytes, bytes], fallback: _Fallback
    ) -> None:
        self._ids = ids
        self._buffer, self._start, self._offsets, self._crcs = blobs
        self._done: dict[str, Rule] = {}
        self._fallback = fallback

    def _position(self, key: object) -> int:
        """Where the rule's blob is among the sorted ids; -1 when there is no such rule."""
        if not isinstance(key, str):
            return -1
        position = bisect_left(self._ids, key)
        return position if position < len(self._ids) and self._ids[position] == key else -1

    def __getitem__(self, key: str) -> Rule:
        done = self._done.get(key)
        if done is not None:
            return done
        position = self._position(key)
        if position < 0:
            raise KeyError(key)
        try:
            rule = self._decode(position)
            _expect(rule.id == key, "rule id")
        except (CacheError, TypeError, ValueError, IndexError):
            rule = self._fallback().rules[key]
        self._done[key] = rule
        return rule

    def _decode(self, position: int) -> Rule:
        begin = int.from_bytes(self._offsets[8 * position : 8 * position + 8], "little")
        end = int.from_bytes(self._offsets[8 * position + 8 : 8 * position + 16], "little")
        crc = int.from_bytes(self._crcs[4 * position : 4 * position + 4], "little")
        _expect(0 <= begin <= end <= len(self._buffer) - self._start, "rule bounds")
        data = self._buffer[self._start + begin : self._start + end]
        _expect(zlib.crc32(data) == crc, "rule checksum")
        return decode_rule(_loads(data))

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: object) -> bool:
        return self._position(key) >= 0


# --- writing -------------------------------------------------------------------------------


def write(target: Path, key: str, base: RuleBase, files: tuple[tuple[str, int], ...] = ()) -> None:
    """Write the cache atomically; any failure (read-only, full disk, no HOME) is ignored.
    `files`: (display name, size) of the rule files the base was parsed from."""
    try:
        sections, blobs = encode_base(base)
        payload: list[bytes] = []
        table: dict[str, tuple[int, int, int]] = {}
        offset = 0
        for name, value in sections.items():
            data = marshal.dumps(value)
            table[name] = (offset, len(data), zlib.crc32(data))
            payload.append(data)
            offset += len(data)
        rules_data = b"".join(blobs)
        table["rules"] = (offset, len(rules_data), 0)  # each rule has its own CRC in `table`
        payload.append(rules_data)
        info = base.info
        head = marshal.dumps(
            {
                "format": FORMAT,
                "key": key,
                "version": __version__,
                "files": files,
                "info": (info.version, info.reviewed, tuple(info.files), tuple(info.replaced)),
                "sections": table,
                "rules": len(blobs),
                "total": offset + len(rules_data),
            }
        )
        prefix = MAGIC + len(head).to_bytes(4, "little") + zlib.crc32(head).to_bytes(4, "little")
        _write_atomic(target, [prefix, head, *payload])
    except (OSError, ValueError, OverflowError):
        return
    _prune(target)


def _write_atomic(target: Path, parts: list[bytes]) -> None:
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".rules-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                out.write(part)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _prune(kept: Path) -> None:
    """Keep the newest KEEP_FILES cache files: one per set of rule files recently used."""
    try:
        found = sorted(
            (p for p in kept.parent.glob("rules-*.bin") if p != kept),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in found[KEEP_FILES - 1 :]:
            old.unlink()
        pointers = sorted(
            kept.parent.glob("status-*.key"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in pointers[4 * KEEP_FILES :]:
            old.unlink()
    except OSError:
        return


def encode_base(base: RuleBase) -> tuple[dict[str, Any], list[bytes]]:
    """Plain data for every section, and one marshal blob per rule (sorted by id)."""
    from suppcheck.rules.rulebase import index_rules

    rule_ids = tuple(sorted(base.rules))
    filed, always = index_rules(base.rules[rule_id] for rule_id in rule_ids)
    blobs: list[bytes] = []
    offsets = bytearray(b"\0" * 8)
    crcs = bytearray()
    titles = []
    end = 0
    for rule_id in rule_ids:
        rule = base.rules[rule_id]
        blob = marshal.dumps(encode_rule(rule))
        blobs.append(blob)
        end += len(blob)
        offsets += end.to_bytes(8, "little")
        crcs += zlib.crc32(blob).to_bytes(4, "little")
        titles.append((rule.id, rule.title))
    sections: dict[str, Any] = {
        "names": {kind.value: completion_names(base, kind) for kind in KIND_ORDER},
        "titles": titles,
        "entries": {
            kind.value: {entry_id: encode_entry(e) for entry_id, e in base.entries[kind].items()}
            for kind in KIND_ORDER
        },
        "vocab": {kind.value: dict(base.vocabulary(kind).keys) for kind in KIND_ORDER},
        "index": {key: tuple(ids) for key, ids in filed.items()},
        "unanchored": tuple(always),
        "rule_ids": rule_ids,
        "table": (bytes(offsets), bytes(crcs)),
    }
    assert tuple(sections) == SECTIONS
    return sections, blobs


def completion_names(base: RuleBase, kind: Kind) -> list[tuple[str, str]]:
    """(spelling, display name) for every id and alias of `kind`, ids first, each sorted."""
    entries = sorted(base.entries[kind].values(), key=lambda e: e.id)
    found = [(entry.id, entry.name) for entry in entries]
    aliases = sorted(
        (alias, entry.name)
        for entry in entries
        for alias in entry.aliases
        if " " not in alias  # a space would need quoting on the command line
    )
    return found + aliases


# --- model <-> plain data ------------------------------------------------------------------


def _source(s: Source) -> tuple[Any, ...]:
    evidence = None if s.evidence is None else s.evidence.value
    return (s.title, s.url, evidence, s.locator, s.pmid, s.doi)


def _optional_source(s: Source | None) -> tuple[Any, ...] | None:
    return None if s is None else _source(s)


def _decode_source(raw: Any) -> Source:
    _expect(isinstance(raw, tuple) and len(raw) == 6, "source")
    title, url, evidence, locator, pmid, doi = raw
    _expect(type(title) is str and (url is None or type(url) is str), "source")
    return Source(
        title,
        url,
        None if evidence is None else Evidence(_text(evidence)),
        _optional_text(locator),
        _optional_text(pmid),
        _optional_text(doi),
    )


def _decode_optional_source(raw: Any) -> Source | None:
    return None if raw is None else _decode_source(raw)


def _conversions(conversions: tuple[Conversion, ...]) -> tuple[Any, ...]:
    return tuple((c.unit, c.factor, _optional_source(c.source)) for c in conversions)


def _decode_conversions(raw: Any) -> tuple[Conversion, ...]:
    _expect(isinstance(raw, tuple) and all(isinstance(c, tuple) and len(c) == 3 for c in raw),
            "conversions")  # fmt: skip
    return tuple(
        Conversion(_text(u), _number(f), _decode_optional_source(src)) for u, f, src in raw
    )


def _texts(raw: Any) -> tuple[str, ...]:
    _expect(isinstance(raw, tuple) and all(type(x) is str for x in raw), "text list")
    return tuple(raw)


def _text(raw: Any) -> str:
    _expect(type(raw) is str, "text")
    return str(raw)


def _optional_text(raw: Any) -> str | None:
    return None if raw is None else _text(raw)


def _number(raw: Any) -> float:
    _expect(type(raw) is float, "number")
    return float(raw)


def encode_entry(e: Entry) -> tuple[Any, ...]:
    nutrient = None
    if e.nutrient is not None:
        n = e.nutrient
        limit = None
        if n.upper_limit is not None:
            u = n.upper_limit
            limit = (u.amount, u.unit, u.population, u.applies_to, u.basis, _source(u.source),
                     u.caveat)  # fmt: skip
        groups = tuple((g.group, g.amount, g.unit, _source(g.source)) for g in n.upper_limits)
        nutrient = (n.measure, n.unit, _conversions(n.conversions), limit, groups)
    no_caution = None
    if e.no_known_caution is not None:
        no_caution = (
            e.no_known_caution.note,
            tuple(_source(s) for s in e.no_known_caution.sources),
        )
    contents = None
    if e.contents is not None:
        contents = (
            tuple((a.supplement, a.amount, a.unit) for a in e.contents.amounts),
            e.contents.per,
            _source(e.contents.source),
        )
    return (
        e.id,
        e.name,
        e.aliases,
        e.parents,
        e.properties,
        nutrient,
        no_caution,
        e.description,
        contents,
        _conversions(e.conversions),
        None
        if e.elemental_fraction is None
        else (
            e.elemental_fraction.value,
            _source(e.elemental_fraction.source),
            e.elemental_fraction.typed_as,
        ),
        e.counts_toward_limit,
        None
        if e.typical_contents is None
        else (e.typical_contents.nutrients, _source(e.typical_contents.source)),
    )


def decode_entry(kind: Kind, raw: Any) -> Entry:
    _expect(isinstance(raw, tuple) and len(raw) == 13, "entry")
    entry_id, name, aliases, parents, properties, nutrient_raw, no_caution_raw, description = raw[
        :8
    ]
    contents = None
    if raw[8] is not None:
        _expect(isinstance(raw[8], tuple) and len(raw[8]) == 3, "contents")
        amounts_raw, per, source = raw[8]
        _expect(isinstance(amounts_raw, tuple), "contents")
        amounts = []
        for item in amounts_raw:
            _expect(isinstance(item, tuple) and len(item) == 3, "content amount")
            amounts.append(ContentAmount(_text(item[0]), _number(item[1]), _text(item[2])))
        contents = Contents(tuple(amounts), _text(per), _decode_source(source))
    nutrient = None
    if nutrient_raw is not None:
        _expect(isinstance(nutrient_raw, tuple) and len(nutrient_raw) == 5, "nutrient")
        measure, unit, conversions_raw, limit_raw, groups_raw = nutrient_raw
        conversions = _decode_conversions(conversions_raw)
        _expect(isinstance(groups_raw, tuple), "upper limits")
        groups = tuple(
            GroupLimit(_text(g), _number(a), _text(u), _decode_source(src))
            for g, a, u, src in groups_raw
        )
        limit = None
        if limit_raw is not None:
            amount, l_unit, population, applies_to, basis, source, caveat = limit_raw
            limit = UpperLimit(_number(amount), _text(l_unit), _text(population),
                               _text(applies_to), _text(basis), _decode_source(source),
                               _optional_text(caveat))  # fmt: skip
        nutrient = Nutrient(_text(measure), _text(unit), conversions, limit, groups)
    no_caution = None
    if no_caution_raw is not None:
        note, sources = no_caution_raw
        _expect(isinstance(sources, tuple), "sources")
        no_caution = NoKnownCaution(_text(note), tuple(_decode_source(s) for s in sources))
    fraction_raw, counts, typical_raw = raw[10:13]
    fraction = None
    if fraction_raw is not None:
        value, source, typed_as = fraction_raw
        fraction = ElementalFraction(_number(value), _decode_source(source), _text(typed_as))
    _expect(type(counts) is bool, "counts_toward_limit")
    typical = None
    if typical_raw is not None:
        nutrients, source = typical_raw
        typical = TypicalContents(_texts(nutrients), _decode_source(source))
    return Entry(kind, _text(entry_id), _text(name), _texts(aliases), _texts(parents),
                 _texts(properties), nutrient, no_caution, _optional_text(description),
                 contents, _decode_conversions(raw[9]), fraction, counts,
                 typical)  # fmt: skip


def _example(p: ExampleProfile) -> tuple[Any, ...]:
    return tuple(p)


def _decode_example(raw: Any) -> ExampleProfile:
    _expect(isinstance(raw, tuple) and len(raw) == len(ExampleProfile._fields), "example")
    conditions, supplements, medications, active, age, sex, pregnant, breastfeeding = raw
    _expect(all(type(f) is bool for f in (active, pregnant, breastfeeding)), "example")
    _expect(age is None or type(age) is int, "example age")
    return ExampleProfile(_texts(conditions), _texts(supplements), _texts(medications), active,
                          age, _optional_text(sex), pregnant, breastfeeding)  # fmt: skip


def encode_rule(r: Rule) -> tuple[Any, ...]:
    from suppcheck.rules.language import encode_when

    return (
        r.id, r.title, r.mechanism, r.severity.value, r.evidence.value, encode_when(r.when),
        r.rationale, r.advice, r.ask, tuple(_source(s) for s in r.sources), r.reviewed,
        tuple(_example(p) for p in r.fires), tuple(_example(p) for p in r.silent), r.origin,
        None if r.action is None else r.action.value, r.separate_hours,
        r.group, r.retired, r.review_note,
    )  # fmt: skip


def decode_rule(raw: Any) -> Rule:
    from suppcheck.rules.language import decode_when

    _expect(isinstance(raw, tuple) and len(raw) == 19, "rule")
    (rule_id, title, mechanism, severity, evidence, when, rationale, advice, ask, sources,
     reviewed, fires, silent, origin, action, hours, group, retired, note) = raw  # fmt: skip
    _expect(hours is None or type(hours) is float, "separate_hours")
    _expect(type(retired) is bool, "status")
    _expect(isinstance(sources, tuple) and isinstance(fires, tuple), "rule lists")
    _expect(isinstance(silent, tuple), "rule lists")
    return Rule(
        id=_text(rule_id), title=_text(title), mechanism=_text(mechanism),
        severity=Severity(severity), evidence=Evidence(evidence), when=decode_when(when),
        rationale=_text(rationale), advice=_text(advice), ask=_texts(ask),
        sources=tuple(_decode_source(s) for s in sources), reviewed=_text(reviewed),
        fires=tuple(_decode_example(p) for p in fires),
        silent=tuple(_decode_example(p) for p in silent), origin=_text(origin),
        action=None if action is None else Action(_text(action)), separate_hours=hours,
        group=_optional_text(group), retired=retired, review_note=_optional_text(note),
    )  # fmt: skip
