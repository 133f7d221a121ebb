"""The generated docs (docs/rules.md, docs/rule-schema.json) must match the code and data.

When this fails, run `python scripts/gen_docs.py` and commit the result.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from suppcheck.rules import loader

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gen_docs.py"


def _gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_docs_are_fresh() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""


def test_check_fails_when_stale_and_writing_fixes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gen_docs = _gen_docs()
    monkeypatch.setattr(gen_docs, "ROOT", tmp_path)
    monkeypatch.setattr(gen_docs, "SCHEMA_DOC", tmp_path / "docs" / "rule-schema.json")
    monkeypatch.setattr(gen_docs, "CATALOGUE_DOC", tmp_path / "docs" / "rules.md")
    assert gen_docs.main(["--check"]) == 1
    assert "stale: docs/rule-schema.json, docs/rules.md" in capsys.readouterr().err
    assert gen_docs.main([]) == 0
    assert gen_docs.main(["--check"]) == 0
    (tmp_path / "docs" / "rules.md").write_text("edited by hand\n", encoding="utf-8")
    assert gen_docs.main(["--check"]) == 1
    assert "stale: docs/rules.md;" in capsys.readouterr().err


def test_catalogue_has_every_rule_supplement_and_condition() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    base = loader.load()
    for rule_id in base.rules:
        assert f"\n### {rule_id}\n" in text
    for kind, pattern in (("supplement", "(`{}`)"), ("condition", "| `{}` |")):
        for entry_id in base.entries[loader.SECTION_KINDS[kind + "s"]]:
            assert pattern.format(entry_id) in text


def test_markdown_escaping_keeps_rule_text_literal() -> None:
    md = _gen_docs().md
    assert md("a *b* [c](d) <e> | f_g") == "a \\*b\\* \\[c\\](d) \\<e\\> \\| f\\_g"
    assert md("two\n lines") == "two lines"


def test_rule_authoring_names_every_mechanism() -> None:
    text = (ROOT / "docs" / "rule-authoring.md").read_text(encoding="utf-8")
    missing = [m for m in loader.MECHANISMS if f"`{m}`" not in text]
    assert missing == [], "add these mechanisms to docs/rule-authoring.md"
