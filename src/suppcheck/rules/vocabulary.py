"""Names as people type them: normalisation, and the table from normalised spelling to entry ids.

A name matches an entry only when its normalised form equals the normalised id, name or a
declared alias: never by substring and never by taking the closest fuzzy match.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from typing import NamedTuple

from suppcheck.model import Entry, Kind

_APOSTROPHES = "'\u2019\u2018`\u00b4"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Case, accents, spacing, punctuation and possessives do not matter.

    "Sjögren's", "Sjogrens" and "sjogren s" all normalise to "sjogrens".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for apostrophe in _APOSTROPHES:
        plain = plain.replace(apostrophe, "")
    return _NON_ALNUM.sub("", plain)


class Vocabulary(NamedTuple):
    """Normalised name -> entry ids, for one kind."""

    kind: Kind
    keys: Mapping[str, tuple[str, ...]]
    entries: Mapping[str, Entry]

    @classmethod
    def build(cls, kind: Kind, entries: Mapping[str, Entry]) -> Vocabulary:
        keys: dict[str, list[str]] = {}
        for entry in entries.values():
            for spelling in (entry.id, entry.name, *entry.aliases):
                key = normalise(spelling)
                if key and entry.id not in keys.setdefault(key, []):
                    keys[key].append(entry.id)
        return cls(kind, {k: tuple(sorted(v)) for k, v in keys.items()}, entries)

    def lookup(self, text: str) -> tuple[str, ...]:
        return self.keys.get(normalise(text), ())

    def suggest(self, text: str, limit: int = 5) -> tuple[str, ...]:
        """Closest ids first; the user chooses, suppcheck never does."""
        key = normalise(text)
        if not key:
            return ()
        close = difflib.get_close_matches(key, list(self.keys), n=limit * 3, cutoff=0.72)
        # A name the user typed in full inside a longer one ("zinc" in "zincpicolinate") is a good
        # hint even when difflib's ratio is low; it is only ever offered, never taken.
        if len(key) >= 4:
            close += sorted(k for k in self.keys if k.startswith(key) and k not in close)[:limit]
        ids: list[str] = []
        for match in close:
            for entry_id in self.keys[match]:
                if entry_id not in ids:
                    ids.append(entry_id)
        return tuple(ids[:limit])
