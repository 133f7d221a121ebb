"""Rule files to a validated, indexed rule base: reading, checking, the `when` language, the
JSON Schema and the parsed-rule-base cache."""
