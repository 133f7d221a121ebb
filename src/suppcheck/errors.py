"""Problems a user can fix. Each message starts with where the problem is."""

from __future__ import annotations


class SuppcheckError(Exception):
    """Base of every error reported to the user as a clean message with exit status 2."""


class RuleFileError(SuppcheckError):
    """A rule file is unreadable, not YAML, or breaks the rule file schema."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class InputError(SuppcheckError):
    """A regimen file or a command-line value cannot be read or makes no sense."""


class ProfileError(SuppcheckError):
    """The saved profile is damaged or cannot be written."""
