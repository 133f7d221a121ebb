"""What people type to findings: resolving names and doses, evaluating rules, daily totals.

No files are read or written here."""
