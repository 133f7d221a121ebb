"""Every report format carries the same content and safety statements, and prints user text as text.

The tests walk the Format enum, so a new format that leaves something out fails here.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from suppcheck.cli.main import app
from suppcheck.report import Format, get_formatter, wording

ARGS = (
    "check", "-c", "lupus", "-s", "melatonin", "-s", "zinc 50 mg", "-s", "vitamin C",
    "-s", "ashwaganda", "-s", "vitamin D 5 furlongs", "-m", "methotrexate",
)  # fmt: skip
INJECTIONS = [
    "<script>alert(1)</script>",
    "[bold]x[/bold]",
    "**x**",
    "<img src=x onerror=alert(1)>",
    "[link](https://example.com)",
    "x | y # z",
    "&amp; `code` _u_ ~s~",
]


def run(*args: str, env: dict[str, str] | None = None, color: bool = False) -> Any:
    return CliRunner().invoke(app, list(args), env=env, color=color, catch_exceptions=False)


def reference() -> dict[str, Any]:
    result = run(*ARGS, "--format", "json")
    assert result.exit_code == 1
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# --- turning each format back into plain text --------------------------------------------------


class _TextAndTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(page: str) -> _TextAndTags:
    parser = _TextAndTags()
    parser.feed(page)
    parser.close()
    return parser


def render_markdown(document: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(document)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def plain(fmt: Format, output: str) -> str:
    """What a reader of `output` sees, with runs of whitespace folded to one space."""
    if fmt is Format.JSON:
        text = " \n ".join(_strings(json.loads(output)))
    elif fmt is Format.HTML:
        text = "".join(parse_html(output).text)
    elif fmt is Format.MARKDOWN:
        text = "".join(parse_html(render_markdown(output)).text)
    else:
        text = output
    return re.sub(r"\s+", " ", text)


# --- one contract, every format ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_formatter(fmt: Format) -> None:
    formatter = get_formatter(fmt, color=None)
    assert callable(formatter.write)


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_carries_the_whole_report(fmt: Format) -> None:
    expected = reference()
    result = run(*ARGS, "--format", fmt.value, "--details")
    assert result.exit_code == 1
    assert result.stderr == ""
    seen = plain(fmt, result.stdout)

    def shown(text: str) -> bool:
        return re.sub(r"\s+", " ", text) in seen

    for sentence in (wording.DISCLAIMER, wording.CLINICIAN_PROMPT, wording.ABSENCE_IS_NOT_SAFETY):
        assert shown(sentence), sentence
    assert shown(expected["rule_base"]["version"])
    assert shown(expected["rule_base"]["reviewed"])
    assert shown(expected["summary"]["headline"])
    assert expected["findings"], "the reference run must have findings"
    for finding in expected["findings"]:
        assert shown(finding["rule_id"]), finding["rule_id"]
        assert shown(finding["title"]), finding["title"]
        assert shown(finding["advice"]), finding["rule_id"]
        for question in finding["ask"]:
            assert shown(question)
        for source in finding["sources"]:
            assert shown(source["title"])
    inputs = {item["input"] for item in expected["unresolved"]}
    assert inputs == {"ashwaganda", "vitamin D 5 furlongs"}
    for item in inputs:
        assert shown(item)
    assert shown("ashwagandha")  # the suggestion
    assert shown("furlongs")  # the unit that was not understood
    for item in expected["resolved"]["supplements"]:
        assert shown(item["name"])
    if fmt is not Format.JSON:  # JSON states these as fields, checked in the JSON tests
        for severity in ("WARNING", "CAUTION", "INFO"):
            assert shown(severity)
        assert shown("NOTHING FOUND")
        assert shown("checked, no caution found")
        assert shown("ABOVE the upper limit")
        for finding in expected["findings"]:
            assert shown(finding["rationale"]), finding["rule_id"]


@pytest.mark.parametrize("fmt", [Format.TEXT, Format.MARKDOWN, Format.HTML])
def test_the_default_report_is_short_and_details_add_the_concern(fmt: Format) -> None:
    expected = reference()
    short = plain(fmt, run(*ARGS, "--format", fmt.value).stdout)
    full = plain(fmt, run(*ARGS, "--format", fmt.value, "--details").stdout)
    assert len(short) < len(full)
    for finding in expected["findings"]:
        for key in ("title", "advice"):
            assert re.sub(r"\s+", " ", finding[key]) in short, (finding["rule_id"], key)
        assert re.sub(r"\s+", " ", finding["rationale"]) not in short, finding["rule_id"]
        for source in finding["sources"]:
            assert re.sub(r"\s+", " ", source["title"]) in short


@pytest.mark.parametrize("fmt", [Format.TEXT, Format.MARKDOWN, Format.HTML])
def test_the_answer_comes_first_and_details_are_grouped_by_supplement(fmt: Format) -> None:
    expected = reference()
    seen = plain(fmt, run(*ARGS, "--format", fmt.value).stdout)
    details = seen.index("Details:")
    # the summary: every supplement's line before any detail, with its most severe headline
    for item in expected["resolved"]["supplements"]:
        assert seen.index(item["name"]) < details, item["name"]
    assert seen.index("Ask your clinician") < details
    assert seen.index("Daily totals against upper limits") < details
    # the details: one group per supplement, most severe first then rule id within it; the
    # findings of one rule group are one block under the first's title (its reasons follow it)
    leads = {}
    for f in expected["findings"]:
        key = (f["group"], *map(tuple, (f["supplements"], f["conditions"], f["medications"])))
        leads.setdefault(key if f["group"] else f["rule_id"], f)
    for item in expected["resolved"]["supplements"]:
        mine = [f for f in leads.values() if f["supplements"][:1] == [item["id"]]]
        positions = [seen.index(f["title"], details) for f in mine]
        assert positions == sorted(positions), item["id"]
        order = [(-["info", "caution", "warning"].index(f["severity"]), f["rule_id"]) for f in mine]
        assert order == sorted(order)


@pytest.mark.parametrize("fmt", list(Format))
def test_no_finding_still_carries_the_safety_statements(fmt: Format) -> None:
    result = run("check", "-c", "lupus", "-s", "vitamin C", "--format", fmt.value)
    assert result.exit_code == 0
    seen = plain(fmt, result.stdout)
    for sentence in (wording.DISCLAIMER, wording.CLINICIAN_PROMPT, wording.ABSENCE_IS_NOT_SAFETY):
        assert re.sub(r"\s+", " ", sentence) in seen
    assert "safe." not in seen.replace("evidence of safety", "")


# --- user text is text -------------------------------------------------------------------------


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("fmt", list(Format))
def test_markup_in_a_supplement_name_is_printed_literally(fmt: Format, payload: str) -> None:
    result = run("check", "-c", "lupus", "-s", payload, "--format", fmt.value)
    assert result.exit_code == 3
    assert payload in plain(fmt, result.stdout)
    if fmt is Format.TEXT or fmt is Format.JSON:
        return
    # The payload must not add a single element: compare with a name that has no markup at all.
    baseline = run("check", "-c", "lupus", "-s", "plainname", "--format", fmt.value)

    def tags(output: str) -> list[str]:
        rendered = output if fmt is Format.HTML else render_markdown(output)
        return sorted(tag for tag, _ in parse_html(rendered).tags)

    assert tags(result.stdout) == tags(baseline.stdout)


def test_markdown_escapes_everything_a_renderer_would_interpret() -> None:
    result = run("check", "-c", "lupus", "-s", "**x**", "-s", "<b>y</b>", "--format", "markdown")
    assert "\\*\\*x\\*\\*" in result.stdout
    assert "\\<b\\>y\\</b\\>" in result.stdout
    rendered = render_markdown(result.stdout)
    assert "&lt;b&gt;y&lt;/b&gt;" in rendered
    assert "<b>" not in rendered


def test_html_escapes_text_from_rule_files_too(tmp_path: Path) -> None:
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        """
rules:
  - id: melatonin-test-markup
    title: "<b>Bold</b> & <script>alert(1)</script> title"
    mechanism: immune-stimulation
    severity: info
    evidence: theoretical
    when: {supplement: melatonin}
    rationale: "Because <i>reasons</i> **now**."
    advice: "Ask [here](javascript:alert(1))."
    ask: ["Is <u>this</u> fine?"]
    sources: [{title: "A <source>", url: "https://example.org/?a=1&b=<2>"}]
    reviewed: 2026-11-21
    examples:
      fires: [{supplements: [melatonin]}]
      silent: [{supplements: [zinc]}]
""",
        encoding="utf-8",
    )
    args = ("check", "-s", "melatonin", "--rules", str(rules), "--fail-on", "warning", "--details")
    page = run(*args, "--format", "html")
    assert page.exit_code == 0, page.stderr
    parsed = parse_html(page.stdout)
    assert "<b>Bold</b> & <script>alert(1)</script> title" in "".join(parsed.text)
    assert not {tag for tag, _ in parsed.tags} & {"script", "b", "i", "u"}
    hrefs = [value for _, attrs in parsed.tags for name, value in attrs if name == "href"]
    assert hrefs == [] or all(h is not None and h.startswith("https://") for h in hrefs)
    document = run(*args, "--format", "markdown").stdout
    rendered = render_markdown(document)
    assert "<script" not in rendered and "<i>" not in rendered and "<u>" not in rendered
    assert "javascript:" not in re.sub(r">[^<]*<", "><", rendered)  # only as text, never a link
    assert "Because <i>reasons</i> **now**." in plain(Format.MARKDOWN, document)


def test_html_is_one_self_contained_printable_page() -> None:
    page = run(*ARGS, "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    parsed = parse_html(page)
    tags = [tag for tag, _ in parsed.tags]
    assert not set(tags) & {"script", "link", "img", "iframe", "object", "embed", "base"}
    attributes = {name for _, attrs in parsed.tags for name, _ in attrs}
    assert "src" not in attributes
    assert not any(name.startswith("on") for name in attributes)
    for _, attrs in parsed.tags:
        for name, value in attrs:
            if name == "href":
                assert value is not None and value.startswith("https://")
    assert "@import" not in page and "url(" not in page
    assert "@media print" in page
    assert "page-break-inside: avoid" in page
    # one article per finding a person reads (a rule group is one), an anchor for every rule
    findings = reference()["findings"]
    blocks = {
        (f["group"], tuple(f["supplements"])) if f["group"] else f["rule_id"] for f in findings
    }
    assert tags.count("article") == len(blocks) < len(findings)
    ids = [value for _, attrs in parsed.tags for name, value in attrs if name == "id"]
    assert sorted(f["rule_id"] for f in findings) == sorted(
        i for i in ids if i in {f["rule_id"] for f in findings}
    )
    assert '<meta charset="utf-8">' in page
    # severity is a word and a symbol, not colour alone
    assert "\u25b2 WARNING" in page and "\u25c6 CAUTION" in page and "\u25cf INFO" in page


def test_markdown_structure() -> None:
    document = run(*ARGS, "--format", "markdown").stdout
    rendered = render_markdown(document)
    assert document.startswith("# Supplement caution report\n")
    assert "<table>" in rendered
    assert (
        '<a href="https://ods.od.nih.gov/factsheets/Zinc-HealthProfessional/">'
        "Zinc: Fact Sheet for Health Professionals" in rendered
    )
    assert "#### \u25b2 WARNING: " in document
    assert document.endswith(html.unescape(wording.DISCLAIMER) + "\n")


# --- colour and escape codes -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
def test_piped_output_has_no_escape_codes(fmt: Format) -> None:
    result = run(*ARGS, "--format", fmt.value)
    assert "\x1b" not in result.stdout
    assert "\x1b" not in result.stderr


@pytest.mark.parametrize("fmt", list(Format))
def test_no_color_has_no_escape_codes_even_on_a_terminal(fmt: Format) -> None:
    result = run(*ARGS, "--format", fmt.value, env={"NO_COLOR": "1", "FORCE_COLOR": ""})
    assert "\x1b[3" not in result.stdout  # no colours (bold may stay, as NO_COLOR allows)


def test_color_forces_escape_codes_in_text_only() -> None:
    text = run(*ARGS, "--color").stdout
    assert "\x1b[" in text
    for fmt in (Format.JSON, Format.MARKDOWN, Format.HTML):
        result = run(*ARGS, "--format", fmt.value, "--color")
        assert "\x1b" not in result.stdout, fmt


def test_user_text_cannot_smuggle_escape_codes() -> None:
    for fmt in Format:
        result = run("check", "-s", "mel\x1b[31matonin\x07", "--format", fmt.value)
        assert "\x1b" not in result.stdout, fmt
        assert "\x07" not in result.stdout, fmt


# --- --output ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
def test_output_writes_the_file_and_nothing_to_stdout(fmt: Format, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"report.{fmt.value}"
    result = run(*ARGS, "--format", fmt.value, "--output", str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"suppcheck: report written to {target}\n"
    assert target.read_text(encoding="utf-8") == run(*ARGS, "--format", fmt.value).stdout
    assert sorted(p.name for p in folder.iterdir()) == [target.name]  # no temporary left


def test_output_with_color_still_writes_a_clean_file(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    result = run(*ARGS, "--output", str(target), "--color")
    assert result.exit_code == 1
    assert "\x1b" not in target.read_text(encoding="utf-8")
