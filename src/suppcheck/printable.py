"""Showing text that did not come from suppcheck itself (names typed, file names, rule text).

Every string from outside is shown literally: a control character (an escape code, a carriage
return, a bidirectional override, a zero-width space) is shown as its Python escape (`\\x1b`,
`\\u202e`), so that nothing typed or read from a file can move the cursor, recolour a terminal,
set a window title or hide text. Every formatter and message uses these functions.
"""

from __future__ import annotations

import re


def _escape(ch: str) -> str:
    return repr(ch)[1:-1]


def readable(text: str) -> str:
    """A one-line, printable form of text for messages: control characters made visible, and
    cut at 400 characters (names are at most MAX_NAME_LENGTH; messages quote one)."""
    shown = text if text.isprintable() else "".join(map(_visible_char, text))
    return shown if len(shown) <= 400 else shown[:397] + "..."


def _visible_char(ch: str) -> str:
    return ch if ch.isprintable() else _escape(ch)


def visible(text: str, *, newlines: bool = False) -> str:
    """Prose from a rule file (a title, advice, a source) or a message, printable as is and never
    cut: a tab or a newline is a space (kept, with `newlines`, for messages of several lines);
    every other character that is not printable is shown as its escape."""
    if text.isprintable():
        return text
    keep = "\n" if newlines else ""
    return "".join(
        ch if ch.isprintable() or ch in keep else " " if ch in "\t\n" else _escape(ch)
        for ch in text
    )


_NOT_PRINTABLE_JSON = re.compile(r"[^\n -~]")


def json_text(dumped: str) -> str:
    """JSON text from json.dumps(ensure_ascii=False) with every character that is not printable
    written as a \\u escape: the same JSON value, but nothing in it acts on a terminal (json.dumps
    escapes only U+0000-U+001F; DEL, the C1 codes and bidirectional overrides pass raw)."""
    # ASCII JSON from json.dumps can hold only one raw non-printable character, DEL: a check
    # of the string's kind and one memchr, cheaper than isprintable() on every batch reply.
    if (dumped.isascii() and "\x7f" not in dumped) or dumped.isprintable():
        return dumped
    return _NOT_PRINTABLE_JSON.sub(_json_escape, dumped)


def _json_escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch.isprintable():
        return ch
    code = ord(ch)
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"
