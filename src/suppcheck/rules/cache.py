"""The parsed rule base, cached under the user's cache directory so a check does not parse YAML.

The cache is only an optimisation. It is keyed by the content (a BLAKE2 hash) of every rule
file in use, their display names, the suppcheck version and the Python version, so an edited
rule file is seen at once. A missing, stale, corrupt, truncated or unwritable cache falls back,
silently and correctly, to parsing the YAML.

The cache never runs code: it holds plain data (str, int, float, bool, None, tuples, lists,
dicts and bytes) written with `marshal`, never pickle, and every value read back is type-checked
before it becomes a model object. Each section and each rule carries a CRC-32, so a damaged file
is noticed rather than believed.

Layout of one cache file::

    MAGIC | head length (8 bytes, little-endian) | head (marshal) | body

The head names the sections of the body: `names` (what completion offers), `titles`, `table`
(offset and CRC of each rule), `rule_ids` (sorted), `unanchored`, and five mappings split into
buckets by a hash of the key, `entries/KIND/N` and `vocab/KIND/N` (each vocabulary's raw entries
and normalised spellings), `index/N` (anchor key -> rule ids) and `positions/N` (rule id -> its
blob). A check loads only the buckets holding what it looks up, so a base of 10,000 supplements
costs it a few small buckets, not whole tables. The rules themselves come last, one marshal blob
each, and are decoded only when a check needs them: a base of 100,000 rules costs a check only
the rules about what the person has and takes.
"""

from __future__ import annotations

import contextlib
import itertools
import marshal
import os
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from suppcheck import paths
from suppcheck.model import (
    AllOf,
    AnyOf,
    ContentAmount,
    Contents,
    Conversion,
    DiseaseActive,
    Entry,
    Evidence,
    ExampleProfile,
    HasCondition,
    HasProperty,
    Kind,
    NoKnownCaution,
    NotOf,
    Nutrient,
    Rule,
    RuleBaseInfo,
    Severity,
    Source,
    StrainNamed,
    TakesMedication,
    TakesSupplement,
    TotalAbove,
    UpperLimit,
    When,
)
from suppcheck.version import __version__

if TYPE_CHECKING:  # imported when a base is built: completion reads names and needs neither
    from suppcheck.rules.rulebase import RuleBase
    from suppcheck.rules.vocabulary import Vocabulary

try:  # hashlib would load OpenSSL (milliseconds at every start); BLAKE2 is built in
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - every CPython has _blake2
    from hashlib import blake2b

FORMAT = 5  # bump whenever the layout of what is stored, or how the index is built, changes
MAGIC = b"SUPPCK\x00\x02"
KEEP_FILES = 8  # cache files kept for different sets of rule files (newest first)
MMAP_ABOVE = 4 * 1024 * 1024  # larger cache files are mapped, not read whole
MAX_FILE_BYTES = 64 * 1024 * 1024  # the rule file limit of yamlfile.MAX_FILE_BYTES
KIND_ORDER = (Kind.CONDITION, Kind.SUPPLEMENT, Kind.MEDICATION)
T = TypeVar("T")


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
    files = [(shipped_rules_path(), "rules.yaml")] if include_shipped else []
    return files + [(Path(p), str(p)) for p in extra]


def _read_all(files: Sequence[tuple[Path, str]]) -> tuple[str, list[bytes]]:
    """The cache key and each file's bytes; OSError when a file cannot be read (or is huge)."""
    digest = blake2b(digest_size=20)
    digest.update(f"{FORMAT}\0{__version__}\0{sys.version}\0{marshal.version}\0".encode())
    contents = []
    for path, display in files:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise OSError(f"{path} is larger than the limit")
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
# tick as the pointer's writing cannot hide behind it.

RACY_SECONDS = 2.0


def _status_key(files: Sequence[tuple[Path, str]]) -> str | None:
    import time

    digest = blake2b(digest_size=20)
    digest.update(f"{FORMAT}\0{__version__}\0{sys.version}\0{marshal.version}\0".encode())
    now = time.time_ns()
    for path, display in files:
        try:
            status = os.stat(path)
        except OSError:
            return None
        if now - max(status.st_mtime_ns, status.st_ctime_ns) < RACY_SECONDS * 1e9:
            return None
        fields = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        digest.update(f"{display}\0{fields}\0{status.st_dev}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _pointer(status_key: str) -> Path:
    return paths.cache_dir() / f"status-{status_key}.key"


def _key_by_status(status_key: str | None) -> str | None:
    if status_key is None:
        return None
    try:
        key = _pointer(status_key).read_bytes().decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return key if len(key) == 40 and all(c in "0123456789abcdef" for c in key) else None


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
    status_key = _status_key(files)
    known = _key_by_status(status_key)
    if known is not None:
        try:
            target = cache_file(known)
            return _Reader.open(target, known).rule_base(lambda: _parse_files(files), target)
        except (OSError, CacheError):
            pass
    try:
        key, contents = _read_all(files)
    except OSError:
        # Let the loader produce its own message for an unreadable file.
        from suppcheck.rules.loader import load as parse_all

        return parse_all(extra, include_shipped=include_shipped)
    target = cache_file(key)
    try:
        base = _Reader.open(target, key).rule_base(lambda: _parse(files, contents), target)
    except (OSError, CacheError):
        base = _parse(files, contents)
        write(target, key, base)
    _remember_status(status_key, key)
    return base


def _parse_files(files: Sequence[tuple[Path, str]]) -> RuleBase:
    """Parse from disk (the fallback when a cache found through a pointer turns out damaged)."""
    _, contents = _read_all(files)
    return _parse(files, contents)


def names(kind: Kind, extra: Sequence[Path] = ()) -> list[tuple[str, str]]:
    """(spelling, display name) offered by completion: read from the cache, nothing else."""
    return [(spelling, name) for spelling, name in _section(extra, "names")[kind.value]]


def rule_titles(extra: Sequence[Path] = ()) -> list[tuple[str, str]]:
    return [(rule_id, title) for rule_id, title in _section(extra, "titles")]


def _section(extra: Sequence[Path], name: str) -> Any:
    try:
        files = rule_files(extra, True)
        key = _key_by_status(_status_key(files)) or _read_all(files)[0]
        return _Reader.open(cache_file(key), key).section(name)
    except (OSError, CacheError):
        pass
    # No usable cache: parse (which writes one when it can; RuleFileError when a file is broken).
    return encode_base(load(extra))[0][name]  # names, titles: never bucketed


def _parse(files: Sequence[tuple[Path, str]], contents: Sequence[bytes]) -> RuleBase:
    from suppcheck import yamlfile
    from suppcheck.errors import RuleFileError
    from suppcheck.rules import loader

    parsed = []
    problems: list[str] = []
    for (path, display), data in zip(files, contents, strict=True):
        try:
            text = yamlfile.decode(data)
        except UnicodeDecodeError:
            problems.append(f"{display}:1: cannot read rule file: not UTF-8 text")
            continue
        try:
            parsed.append(loader.parse_text(text, display))
        except RuleFileError as exc:
            problems.extend(exc.problems)
        del path
    if problems:
        raise RuleFileError(problems)
    return loader.build(parsed)


class _Reader:
    """One cache file, checked: magic, key, lengths, CRCs and the types of what it holds."""

    def __init__(self, buffer: Any, head: dict[str, Any], body: int) -> None:
        self.buffer = buffer
        self.head = head
        self.body = body

    @classmethod
    def open(cls, target: Path, key: str) -> _Reader:
        with open(target, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MMAP_ABOVE:
                import mmap

                buffer: Any = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            else:
                buffer = handle.read()
        if len(buffer) < 16 or buffer[:8] != MAGIC:
            raise CacheError("not a suppcheck cache file")
        head_len = int.from_bytes(buffer[8:16], "little")
        if 16 + head_len > len(buffer):
            raise CacheError("truncated")
        head = _loads(buffer[16 : 16 + head_len])
        body = 16 + head_len
        if (
            not isinstance(head, dict)
            or head.get("format") != FORMAT
            or head.get("key") != key
            or head.get("total") != len(buffer) - body
            or not isinstance(head.get("sections"), dict)
        ):
            raise CacheError("stale or damaged head")
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
        return _loads(data)

    def rule_base(self, reparse: Callable[[], RuleBase], target: Path | None = None) -> RuleBase:
        """The rule base this file holds, its parts read when first used. A part found damaged
        then is taken from `reparse()` instead (and the file is removed, to be written anew)."""
        from suppcheck.rules.rulebase import RuleBase

        fallback = _Fallback(reparse, target)
        info = _check_info(self.head.get("info"))
        buckets: Any = self.head.get("buckets")
        _expect(isinstance(buckets, dict), "buckets")
        table = self.section("table")
        _expect(isinstance(table, tuple) and len(table) == 2, "table")
        offsets, crcs = table
        count: Any = self.head.get("rules")
        _expect(type(count) is int and count >= 0, "rule count")
        _expect(isinstance(offsets, bytes) and len(offsets) == 8 * (count + 1), "rule offsets")
        _expect(isinstance(crcs, bytes) and len(crcs) == 4 * count, "rule checksums")
        rules_at = self.head["sections"].get("rules")
        _expect(isinstance(rules_at, tuple) and len(rules_at) == 3, "rules")

        def bucketed(
            name: str,
            check: Callable[[dict[Any, Any]], bool],
            parsed: Callable[[], Mapping[str, Any]] | None,
        ) -> _Buckets:
            shape = buckets.get(name)
            _expect(isinstance(shape, tuple) and len(shape) == 2, f"buckets of {name}")
            _expect(all(type(n) is int for n in shape) and shape[0] > 0 <= shape[1], name)
            return _Buckets(self, name, shape, check, parsed)

        entries: dict[Kind, Mapping[str, Entry]] = {}
        vocabularies: dict[Kind, Vocabulary] = {}
        for kind in KIND_ORDER:
            raw = bucketed(
                f"entries/{kind.value}", _checked_entries, _parsed_entries(fallback, kind)
            )
            entries[kind] = _LazyEntries(raw, kind, fallback)
            keys = bucketed(f"vocab/{kind.value}", _checked_keys, _parsed_keys(fallback, kind))
            vocabularies[kind] = _memo_vocabulary()(kind, keys, entries[kind])
        rules = _LazyRules(
            bucketed("positions", _checked_positions(count), None),
            count,
            lambda: self.section("rule_ids"),
            (self.buffer, self.body + rules_at[0], offsets, crcs),
            fallback,
        )
        index = _IdIndex(
            bucketed("index", _checked_index, lambda: fallback()._build_index()), rules, fallback
        )
        unanchored = self.section("unanchored")
        _expect(isinstance(unanchored, tuple) and _all_of_type(unanchored, str), "unanchored")
        _expect(all(rule_id in rules for rule_id in unanchored), "unanchored")
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


def _check_info(raw: Any) -> RuleBaseInfo:
    _expect(isinstance(raw, tuple) and len(raw) == 4, "info")
    version, reviewed, files, replaced = raw
    _expect(type(version) is str and type(reviewed) is str, "info")
    _expect(isinstance(files, tuple) and all(type(f) is str for f in files), "info files")
    _expect(isinstance(replaced, tuple) and all(type(r) is str for r in replaced), "info")
    return RuleBaseInfo(version, reviewed, files, replaced)


def _all_of_type(values: Any, kind: type) -> bool:
    """Whether every value is exactly of `kind`, checked in C (a loop costs ms on 100k items)."""
    return set(map(type, values)) <= {kind}


def _checked_keys(keys: dict[Any, Any]) -> bool:
    """A vocabulary bucket: normalised spelling -> ids (each id is checked when looked up)."""
    return (
        _all_of_type(keys, str)
        and _all_of_type(keys.values(), tuple)
        and _all_of_type(itertools.chain.from_iterable(keys.values()), str)
    )


def _checked_entries(raw: dict[Any, Any]) -> bool:
    """An entries bucket: id -> raw tuple (each entry is checked when decoded)."""
    return _all_of_type(raw, str) and _all_of_type(raw.values(), tuple)


def _checked_index(raw: dict[Any, Any]) -> bool:
    """An index bucket: anchor key -> rule ids (each id is checked when the key is used)."""
    return (
        _all_of_type(raw, str)
        and _all_of_type(raw.values(), tuple)
        and _all_of_type(itertools.chain.from_iterable(raw.values()), str)
    )


def _checked_positions(count: int) -> Callable[[dict[Any, Any]], bool]:
    """A positions bucket: rule id -> its position among `count` rule blobs."""

    def check(raw: dict[Any, Any]) -> bool:
        return (
            _all_of_type(raw, str)
            and _all_of_type(raw.values(), int)
            and all(0 <= position < count for position in raw.values())
        )

    return check


def _parsed_entries(fallback: _Fallback, kind: Kind) -> Callable[[], Mapping[str, Any]]:
    return lambda: {i: encode_entry(e) for i, e in fallback().entries[kind].items()}


def _parsed_keys(fallback: _Fallback, kind: Kind) -> Callable[[], Mapping[str, Any]]:
    return lambda: fallback().vocabulary(kind).keys


def bucket_of(key: str, buckets: int) -> int:
    """Which of `buckets` sections holds `key`: the same on every run and every machine."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % buckets


class _Buckets(Mapping[str, Any]):
    """A mapping stored as sections `NAME/0` ... `NAME/N-1` by bucket_of(key): a bucket is
    read, checked and kept the first time a key in it is asked for.

    When a bucket turns out damaged, the whole mapping is taken from `parsed()` (the same data
    made from the parsed rule files) from then on; without `parsed`, CacheError is raised.
    """

    def __init__(
        self,
        reader: _Reader,
        name: str,
        shape: tuple[int, int],
        check: Callable[[dict[Any, Any]], bool],
        parsed: Callable[[], Mapping[str, Any]] | None = None,
    ) -> None:
        self._reader = reader
        self._name = name
        self._count, self._size = shape
        self._check = check
        self._parsed = parsed
        self._loaded: dict[int, dict[str, Any]] = {}
        self._healed: Mapping[str, Any] | None = None

    def _load(self, number: int) -> Mapping[str, Any]:
        """Bucket `number`, or the healed whole mapping once a bucket was found damaged."""
        if self._healed is not None:
            return self._healed
        found = self._loaded.get(number)
        if found is not None:
            return found
        try:
            section = self._reader.section(f"{self._name}/{number}")
            _expect(isinstance(section, dict) and self._check(section), self._name)
        except CacheError:
            if self._parsed is None:
                raise
            self._healed = self._parsed()
            return self._healed
        checked: dict[str, Any] = section
        self._loaded[number] = checked
        return checked

    def __getitem__(self, key: str) -> Any:
        if not isinstance(key, str):
            raise KeyError(key)
        return self._load(bucket_of(key, self._count))[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._load(bucket_of(key, self._count))

    def __iter__(self) -> Iterator[str]:
        keys: list[str] = []
        for number in range(self._count):
            keys.extend(self._load(number))
            if self._healed is not None:
                return iter(list(self._healed))
        return iter(keys)

    def __len__(self) -> int:
        return self._size if self._healed is None else len(self._healed)


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
    """The rule base parsed from YAML, built at most once, for when a lazy part is damaged.
    The damaged cache file is removed, so the next run writes a good one."""

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

    def __init__(self, raw: _Buckets, kind: Kind, fallback: Callable[[], RuleBase]) -> None:
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
    """Rules by id, each decoded from its own blob the first time it is asked for; a damaged
    part is taken from the parsed rule files instead."""

    def __init__(
        self,
        positions: _Buckets,
        count: int,
        ids: Callable[[], Any],
        blobs: tuple[Any, int, bytes, bytes],
        fallback: _Fallback,
    ) -> None:
        self._positions = positions
        self._count = count
        self._ids = ids
        self._buffer, self._start, self._offsets, self._crcs = blobs
        self._done: dict[str, Rule] = {}
        self._fallback = fallback

    def _position(self, key: object) -> int:
        """The rule's blob; -1 when there is no such rule. CacheError when the table is
        damaged."""
        if not isinstance(key, str):
            return -1
        position: int = self._positions.get(key, -1)
        return position

    def __getitem__(self, key: str) -> Rule:
        done = self._done.get(key)
        if done is not None:
            return done
        try:
            position = self._position(key)
            if position < 0:
                raise KeyError(key)
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
        # The sorted ids, read only when every rule is wanted (list, rules validate).
        try:
            ids = self._ids()
            _expect(isinstance(ids, tuple) and len(ids) == self._count, "rule ids")
            _expect(_all_of_type(ids, str), "rule ids")
        except CacheError:
            ids = tuple(sorted(self._fallback().rules))
        return iter(ids)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, key: object) -> bool:
        try:
            return self._position(key) >= 0
        except CacheError:
            return key in self._fallback().rules


class _IdIndex(Mapping[str, tuple[str, ...]]):
    """Anchor key -> ids of the rules filed under it, each id checked against the rules."""

    def __init__(self, raw: _Buckets, rules: _LazyRules, fallback: _Fallback) -> None:
        self._raw = raw
        self._rules = rules
        self._fallback = fallback

    def __getitem__(self, key: str) -> tuple[str, ...]:
        try:
            ids: tuple[str, ...] = self._raw[key]
            _expect(all(rule_id in self._rules for rule_id in ids), "index entry")
            return ids
        except CacheError:
            found = self._fallback()._build_index().get(key)
            if found is None:
                raise KeyError(key) from None
            return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


# --- writing -------------------------------------------------------------------------------


def write(target: Path, key: str, base: RuleBase) -> None:
    """Write the cache atomically; any failure (read-only, full disk, no HOME) is ignored."""
    try:
        sections, buckets, blobs = encode_base(base)
        payload: list[bytes] = []
        table: dict[str, tuple[int, int, int]] = {}
        offset = 0
        for name, value in sections.items():
            data = marshal.dumps(value)
            table[name] = (offset, len(data), zlib.crc32(data))
            payload.append(data)
            offset += len(data)
        rules_data = b"".join(blobs)
        table["rules"] = (offset, len(rules_data), 0)
        payload.append(rules_data)
        info = base.info
        head = marshal.dumps(
            {
                "format": FORMAT,
                "key": key,
                "version": __version__,
                "info": (info.version, info.reviewed, tuple(info.files), tuple(info.replaced)),
                "sections": table,
                "buckets": buckets,
                "rules": len(blobs),
                "total": offset + len(rules_data),
            }
        )
        _write_atomic(target, [MAGIC, len(head).to_bytes(8, "little"), head, *payload])
    except (OSError, ValueError):
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


BUCKET_SIZE = 256  # keys per bucket, about: a lookup reads one bucket of this many


def encode_base(
    base: RuleBase,
) -> tuple[dict[str, Any], dict[str, tuple[int, int]], list[bytes]]:
    """Plain data for every section, the (bucket count, size) of each bucketed mapping, and
    one marshal blob per rule (sorted by id)."""
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
        "rule_ids": rule_ids,
        "unanchored": tuple(always),
        "table": (bytes(offsets), bytes(crcs)),
    }
    buckets: dict[str, tuple[int, int]] = {}
    mappings: dict[str, dict[str, Any]] = {
        "positions": {rule_id: i for i, rule_id in enumerate(rule_ids)},
        "index": {key: tuple(ids) for key, ids in filed.items()},
    }
    for kind in KIND_ORDER:
        mappings[f"entries/{kind.value}"] = {
            entry_id: encode_entry(e) for entry_id, e in base.entries[kind].items()
        }
        mappings[f"vocab/{kind.value}"] = dict(base.vocabulary(kind).keys)
    for name, mapping in mappings.items():
        count = max(1, len(mapping) // BUCKET_SIZE)
        split: list[dict[str, Any]] = [{} for _ in range(count)]
        for key, value in mapping.items():
            split[bucket_of(key, count)][key] = value
        for number, part in enumerate(split):
            sections[f"{name}/{number}"] = part
        buckets[name] = (count, len(mapping))
    return sections, buckets, blobs


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


def _source(s: Source) -> tuple[str, str | None]:
    return (s.title, s.url)


def _decode_source(raw: Any) -> Source:
    title, url = raw
    _expect(type(title) is str and (url is None or type(url) is str), "source")
    return Source(title, url)


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
        conversions = tuple((c.unit, c.factor) for c in n.conversions)
        nutrient = (n.measure, n.unit, conversions, limit)
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
    )


def decode_entry(kind: Kind, raw: Any) -> Entry:
    _expect(isinstance(raw, tuple) and len(raw) == 9, "entry")
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
        measure, unit, conversions_raw, limit_raw = nutrient_raw
        _expect(isinstance(conversions_raw, tuple), "conversions")
        conversions = tuple(Conversion(_text(u), _number(f)) for u, f in conversions_raw)
        limit = None
        if limit_raw is not None:
            amount, l_unit, population, applies_to, basis, source, caveat = limit_raw
            limit = UpperLimit(_number(amount), _text(l_unit), _text(population),
                               _text(applies_to), _text(basis), _decode_source(source),
                               _optional_text(caveat))  # fmt: skip
        nutrient = Nutrient(_text(measure), _text(unit), conversions, limit)
    no_caution = None
    if no_caution_raw is not None:
        note, sources = no_caution_raw
        _expect(isinstance(sources, tuple), "sources")
        no_caution = NoKnownCaution(_text(note), tuple(_decode_source(s) for s in sources))
    return Entry(kind, _text(entry_id), _text(name), _texts(aliases), _texts(parents),
                 _texts(properties), nutrient, no_caution, _optional_text(description),
                 contents)  # fmt: skip


def encode_when(when: When) -> tuple[Any, ...]:
    if isinstance(when, AllOf | AnyOf):
        return (
            "all" if isinstance(when, AllOf) else "any",
            tuple(encode_when(i) for i in when.items),
        )
    if isinstance(when, NotOf):
        return ("not", encode_when(when.item))
    if isinstance(when, HasCondition):
        return ("condition", when.id)
    if isinstance(when, TakesSupplement):
        return ("supplement", when.id)
    if isinstance(when, TakesMedication):
        return ("medication", when.id)
    if isinstance(when, HasProperty):
        return ("property", when.property)
    if isinstance(when, TotalAbove):
        return ("total", when.nutrient, when.amount, when.unit)
    if isinstance(when, DiseaseActive):
        return ("active", when.active)
    return ("strain", when.named)


_ATOMS: dict[str, Callable[[str], When]] = {
    "condition": HasCondition,
    "supplement": TakesSupplement,
    "medication": TakesMedication,
    "property": HasProperty,
}


def decode_when(raw: Any, depth: int = 0) -> When:
    _expect(isinstance(raw, tuple) and len(raw) >= 2 and depth <= 64, "when")
    op = raw[0]
    if op in ("all", "any"):
        _expect(isinstance(raw[1], tuple) and len(raw[1]) > 0, "when list")
        items = tuple(decode_when(item, depth + 1) for item in raw[1])
        return AllOf(items) if op == "all" else AnyOf(items)
    if op == "not":
        return NotOf(decode_when(raw[1], depth + 1))
    if op in _ATOMS:
        return _ATOMS[op](_text(raw[1]))
    if op == "total":
        _expect(len(raw) == 4, "total")
        amount = None if raw[2] is None else _number(raw[2])
        return TotalAbove(_text(raw[1]), amount, _optional_text(raw[3]))
    _expect(type(raw[1]) is bool, "flag")
    if op == "active":
        return DiseaseActive(raw[1])
    _expect(op == "strain", "when operator")
    return StrainNamed(raw[1])


def _example(p: ExampleProfile) -> tuple[Any, ...]:
    return (p.conditions, p.supplements, p.medications, p.active)


def _decode_example(raw: Any) -> ExampleProfile:
    conditions, supplements, medications, active = raw
    _expect(type(active) is bool, "example")
    return ExampleProfile(_texts(conditions), _texts(supplements), _texts(medications), active)


def encode_rule(r: Rule) -> tuple[Any, ...]:
    return (
        r.id, r.title, r.mechanism, r.severity.value, r.evidence.value, encode_when(r.when),
        r.rationale, r.advice, r.ask, tuple(_source(s) for s in r.sources), r.reviewed,
        tuple(_example(p) for p in r.fires), tuple(_example(p) for p in r.silent), r.origin,
    )  # fmt: skip


def decode_rule(raw: Any) -> Rule:
    _expect(isinstance(raw, tuple) and len(raw) == 14, "rule")
    (rule_id, title, mechanism, severity, evidence, when, rationale, advice, ask, sources,
     reviewed, fires, silent, origin) = raw  # fmt: skip
    _expect(isinstance(sources, tuple) and isinstance(fires, tuple), "rule lists")
    _expect(isinstance(silent, tuple), "rule lists")
    return Rule(
        id=_text(rule_id), title=_text(title), mechanism=_text(mechanism),
        severity=Severity(severity), evidence=Evidence(evidence), when=decode_when(when),
        rationale=_text(rationale), advice=_text(advice), ask=_texts(ask),
        sources=tuple(_decode_source(s) for s in sources), reviewed=_text(reviewed),
        fires=tuple(_decode_example(p) for p in fires),
        silent=tuple(_decode_example(p) for p in silent), origin=_text(origin),
    )  # fmt: skip
