"""`python -m suppcheck`."""

from suppcheck.cli import entry_point

entry_point()
