"""The command line: the only layer that prints and picks exit statuses.

Kept empty so that importing a command module costs no more than it needs."""
