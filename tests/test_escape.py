"""Output that data cannot forge: natodata.escape and every report format on hostile findings."""

import json
import re

import pytest

from natodata.escape import CONTROL_RE, guard_line, json_safe, printable, printable_lines
from natodata.findings import Finding, Report
from natodata.report import render_error, render_report

HOSTILE = (
    "x\n::error file=a.csv,line=1::forged\r\n::add-mask::s3cret\x1b[31mred\x7f\x9b\u202etxt.exe\u2066\u200f\u061c\t"
)


def test_printable_escapes_every_control_and_bidi_character():
    assert printable("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert printable("\x1b[2J\x00\x7f\x85\x9b") == "\\x1b[2J\\x00\\x7f\\x85\\x9b"
    assert printable("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c") == (
        "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c"
    )
    assert printable("\U000e0041 caf\u00e9 \u00a0") == "\\U000e0041 caf\u00e9 \u00a0"  # letters and NBSP stay
    assert printable(None) == ""
    for n in (*range(0x3000), *range(0xFE00, 0x10000), *range(0xE0000, 0xE0080)):
        c = chr(n)
        if re.fullmatch(CONTROL_RE, c):
            assert not re.search(CONTROL_RE, printable(c)), hex(n)


def test_no_line_can_start_a_workflow_command():
    assert guard_line("::error::x") == "\\x3a:error::x"
    assert guard_line("  ::add-mask::x") == "  \\x3a:add-mask::x"
    assert guard_line("a ::error::x") == "a ::error::x"
    assert printable_lines("Error: bad\n::add-mask::x\n  ok\x1b") == "Error: bad\n\\x3a:add-mask::x\n  ok\\x1b"


def test_json_safe_keeps_the_meaning_and_escapes_what_json_leaves_raw():
    value = "a\u202e\x7f\x85\U000e0041\u2028b"
    text = json_safe(json.dumps({"v": value}, ensure_ascii=False))
    assert text == '{"v": "a\\u202e\\u007f\\u0085\\udb40\\udc41\\u2028b"}'
    assert json.loads(text) == {"v": value}


REPORT = Report(
    [
        Finding(
            "pattern-constraint",
            f"{HOSTILE!s} does not match",
            table="t\x1bx",
            path=f"data/{HOSTILE}.csv",
            line=2,
            field=f"f{HOSTILE}",
            value=HOSTILE,
        )
    ]
)


def _raw_controls(text: str) -> list[str]:
    return [c for c in re.findall(CONTROL_RE, text) if c != "\n"]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "gitlab", "junit"])
def test_no_format_prints_a_control_character_or_a_forged_line(fmt):
    out = render_report(REPORT, fmt)
    assert _raw_controls(out) == []
    commands = [line for line in out.splitlines() if line.lstrip().startswith("::")]
    assert len(commands) == (1 if fmt == "github" else 0)  # the one annotation natodata writes
    assert "::add-mask::" not in "".join(commands)[2:].split("::", 1)[0]


def test_text_report_shows_the_escapes_exactly():
    assert render_report(REPORT, "text").splitlines()[0] == (
        "data/x\\n::error file=a.csv,line=1::forged\\r\\n::add-mask::s3cret\\x1b[31mred\\x7f\\x9b\\u202etxt.exe\\u2066\\u200f"
        "\\u061c\\t.csv:2: error pattern-constraint [fx\\n::error file=a.csv,line=1::forged\\r\\n::add-mask::s3cret\\x1b[31mred"
        "\\x7f\\x9b\\u202etxt.exe\\u2066\\u200f\\u061c\\t]: x\\n::error file=a.csv,line=1::forged\\r\\n::add-mask::s3cret"
        "\\x1b[31mred\\x7f\\x9b\\u202etxt.exe\\u2066\\u200f\\u061c\\t does not match"
    )


def test_a_path_cannot_start_a_text_line_with_a_workflow_command():
    report = Report([Finding("file-unreadable", "missing", path="::add-mask::secret")])
    assert render_report(report, "text").splitlines()[0] == "\\x3a:add-mask::secret: error file-unreadable: missing"


def test_json_report_keeps_the_values_exactly():
    doc = json.loads(render_report(REPORT, "json"))
    assert doc["findings"][0]["value"] == HOSTILE
    assert doc["findings"][0]["field"] == f"f{HOSTILE}"


def test_github_annotation_escapes_data_and_properties():
    line = render_report(
        Report([Finding("file-unreadable", "a\x1b%\n::x", path="d,a:t\n.csv", line=3)]), "github"
    ).splitlines()[0]
    assert line == "::error file=d%2Ca%3At\\n.csv,line=3,title=file-unreadable::a\\x1b%25\\n::x"


@pytest.mark.parametrize("fmt", ["text", "json", "github", "gitlab", "junit"])
def test_error_documents_escape_the_message(fmt):
    out = render_error(fmt, f"cannot read {HOSTILE}", 2)
    assert _raw_controls(out) == []
    assert not [
        line
        for line in out.splitlines()
        if line.lstrip().startswith("::") and not line.startswith("::error title=natodata::")
    ]
