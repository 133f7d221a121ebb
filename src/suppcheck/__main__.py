"""`python -m suppcheck`."""

from suppcheck.cli.main import entry_point

entry_point()
