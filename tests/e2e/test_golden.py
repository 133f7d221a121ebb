"""Golden transcripts: the card example in every format, byte for byte.

A change to the report shows up here as a diff to review. Regenerate on purpose with
`SUPPCHECK_REGEN_GOLDEN=1 python -m pytest tests/e2e/test_golden.py`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from tests.helpers import run

from suppcheck.report import Format

GOLDEN = Path(__file__).parents[1] / "golden"
ARGS = ("check", "--condition", "lupus", "--supplement", "melatonin", "-s", "zinc 50 mg")
SUFFIX = {Format.TEXT: "txt", Format.JSON: "json", Format.MARKDOWN: "md", Format.HTML: "html"}


@pytest.mark.parametrize("fmt", list(Format))
def test_card_example_matches_its_golden_transcript(fmt: Format) -> None:
    result = run(*ARGS, "--format", fmt.value)
    assert result.exit_code == 1 and result.stderr == ""
    golden = GOLDEN / f"card.{SUFFIX[fmt]}"
    if os.environ.get("SUPPCHECK_REGEN_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


NINE = """\
conditions: [lupus, "Hashimoto's"]
medications: [hydroxychloroquine, levothyroxine, prednisone]
supplements:
  - melatonin
  - zinc 25 mg
  - vitamin D3 2000 IU
  - selenium 200 mcg
  - fish oil 1 g
  - probiotic
  - turmeric
  - calcium carbonate 600 mg
  - iron 65 mg
"""


@pytest.mark.parametrize("fmt", list(Format))
def test_nine_supplement_regimen_matches_its_golden_transcript(fmt: Format) -> None:
    result = run("check", "--input", "-", "--for", "A. Person", "--format", fmt.value, input=NINE)
    assert result.exit_code == 1 and result.stderr == ""
    golden = GOLDEN / f"nine.{SUFFIX[fmt]}"
    if os.environ.get("SUPPCHECK_REGEN_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_readme_shows_the_current_report() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    shown = re.search(
        r"\$ suppcheck check --condition lupus --supplement melatonin\n(.*?)```", readme, re.S
    )
    assert shown, "README shows a real report"
    assert (
        shown.group(1) == run("check", "--condition", "lupus", "--supplement", "melatonin").stdout
    )


def test_user_guide_shows_the_current_report() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "user-guide.md").read_text(encoding="utf-8")
    shown = re.search(
        r"ashwaganda`\), without colour:\n\n```text\n(.*?)\n\[\.\.\.\]\n```", guide, re.S
    )
    assert shown, "the user guide shows a real report"
    real = run("check", "-c", "Hashimoto's", "-s", "selenium 200 mcg", "-s", "vitamin C", "-s",
               "ashwaganda")  # fmt: skip
    assert real.exit_code == 3
    assert real.stdout.startswith(shown.group(1)), "regenerate the block in docs/user-guide.md"
