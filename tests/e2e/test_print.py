"""The printed page: the HTML report rendered to PDF by a real headless Chromium.

The nine-supplement regimen's summary (everything before the details' page break) must print
on at most two pages. Needs `chromium` and `pdfinfo` (poppler-utils); .ci/run installs both.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.e2e.test_golden import NINE
from tests.helpers import run

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFINFO = shutil.which("pdfinfo")
PDFTOTEXT = shutil.which("pdftotext")


def _tools() -> tuple[str, str, str]:
    if CHROMIUM and PDFINFO and PDFTOTEXT:
        return CHROMIUM, PDFINFO, PDFTOTEXT
    reason = "chromium or poppler-utils (pdfinfo, pdftotext) is not installed"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, and CI must have them (.ci/run installs them)")
    pytest.skip(f"{reason}: apt-get install chromium poppler-utils")


def _pdf(tmp_path: Path, html: str) -> Path:
    chromium, _, _ = _tools()
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return pdf


def _pages(pdf: Path) -> list[str]:
    _, pdfinfo, pdftotext = _tools()
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    assert match, info.stdout
    count = int(match.group(1))
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) == count
    return pages[:count]


def test_the_nine_supplement_summary_prints_on_at_most_two_pages(tmp_path: Path) -> None:
    result = run("check", "--input", "-", "--for", "A. Person", "-f", "html", input=NINE)
    assert result.exit_code == 1 and result.stderr == ""
    pages = _pages(_pdf(tmp_path, result.stdout))
    flat = [" ".join(p.split()) for p in pages]
    details = next(n for n, p in enumerate(flat) if "Details:" in p)
    assert details <= 2, f"the summary takes {details} pages"
    summary = " ".join(flat[:details])
    for expected in (
        "For: A. Person",
        "2026-09-21",
        "rule base",
        "Iron",
        "Fish oil",
        "NOTHING FOUND",
        "Daily totals against upper limits",
        "Ask your clinician",
        "Clinician's notes",
        "not medical advice",
    ):
        assert expected in summary, expected
    # the details start on a fresh page, and nothing of them comes before it
    assert flat[details].startswith("Details:"), flat[details][:80]
    assert "What to do:" not in summary
    # every source with an address is printed with it: nothing cut at the page's edge
    assert "https://books.nap.edu/openbook.php?record_id=10026&page=377" in " ".join(
        "".join(p.split()) for p in pages
    )
