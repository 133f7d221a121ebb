"""`python -m suppcheck`."""

from suppcheck.cli import main

main()
