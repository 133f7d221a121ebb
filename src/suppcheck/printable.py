"""Showing text that did not come from suppcheck itself: one line, control characters visible."""

from __future__ import annotations


def readable(text: str) -> str:
    """A one-line, printable form of text for messages: control characters made visible, and
    cut at 400 characters (names are at most MAX_NAME_LENGTH; messages quote one)."""
    shown = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return shown if len(shown) <= 400 else shown[:397] + "..."
