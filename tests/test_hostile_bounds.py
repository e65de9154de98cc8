"""Bounded work on hostile packages (issue 20): each attack runs ``natodata validate`` in a
child process under ``resource`` limits (CPU seconds, address space), so a regression to
quadratic, exponential or unbounded work fails the test by being killed, not by a clock.

The gate's refusals of patterns are fast and run in the default suite; the child
processes cost seconds each and are ``slow``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

from natodata.checks.validate import validate

#: Generous for the work each attack should take (well under a second to a few seconds),
#: far below what the attacks took before (minutes, or never ending).
CPU_SECONDS = 60
ADDRESS_SPACE = 4 * 1024**3


def _limits():
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def bounded_validate(root, *args):
    """Exit code and JSON report of ``natodata validate`` in a limited child process."""
    proc = subprocess.run(
        [sys.executable, "-m", "natodata", "validate", str(root), "-f", "json", *args],
        capture_output=True,
        text=True,
        preexec_fn=_limits,
        timeout=600,
    )
    assert proc.returncode in (0, 1, 2), (proc.returncode, proc.stderr[-2000:])  # killed by a limit: negative
    return proc.returncode, json.loads(proc.stdout)


def package(root, fields, header, rows, tables=1):
    root.mkdir(parents=True, exist_ok=True)
    (root / "t.csv").write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    (root / "s.json").write_text(json.dumps({"fields": fields}), encoding="utf-8")
    resources = [{"name": f"t{i}", "path": "t.csv", "schema": "s.json"} for i in range(tables)]
    (root / "datapackage.json").write_text(json.dumps({"resources": resources}), encoding="utf-8")
    return root


PATTERNS = [("(?=(a+)+b)a*", "invalid perl operator: (?="), ("(a+)+\\1", "invalid escape sequence: \\1")]


@pytest.mark.parametrize("pattern, why", PATTERNS)
def test_a_pattern_re2_cannot_run_is_refused(tmp_path, pattern, why):
    root = package(
        tmp_path, [{"name": "v", "type": "string", "constraints": {"pattern": pattern}}], "v", ["a" * 50 + "!"]
    )
    assert [(f.type, f.pointer, f.message) for f in validate(root).findings] == [
        (
            "unsupported-feature",
            "/fields/0/constraints/pattern",
            f"pattern {pattern!r} needs a construct that a linear-time regular expression engine (RE2) cannot run "
            f"({why}); natodata runs no pattern whose time is unbounded, so the table is not read",
        )
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    "pattern, found",
    [(p, "unsupported-feature") for p, _ in PATTERNS]
    + [("(a+)+b", "pattern-constraint"), ("(a|aa)+$", "pattern-constraint")],
)
def test_no_pattern_hangs(tmp_path, pattern, found):
    root = package(
        tmp_path,
        [{"name": "id", "type": "integer"}, {"name": "v", "type": "string", "constraints": {"pattern": pattern}}],
        "id,v",
        [f"{i},{'a' * 50 + '!'}" for i in range(200)],
    )
    code, report = bounded_validate(root)
    assert code == 1
    assert {f["type"] for f in report["findings"]} == {found}


@pytest.mark.slow
def test_a_header_of_100000_columns_is_checked_in_linear_time(tmp_path):
    header = ",".join(["id"] + [f"c{i}" for i in range(100_000)] + ["c7"])
    root = package(tmp_path, [{"name": "id", "type": "string"}], header, [",".join(["a"] + ["x"] * 100_001)], tables=3)
    code, report = bounded_validate(root, "--select", "duplicate-label")
    assert code == 1
    assert [(f["type"], f["table"], f["field"]) for f in report["findings"]] == [
        ("duplicate-label", f"t{i}", "c7") for i in range(3)
    ]


@pytest.mark.slow
def test_an_enum_of_100000_values_is_checked_in_linear_time(tmp_path):
    fields = [
        {"name": "id", "type": "string"},
        {"name": "v", "type": "integer", "constraints": {"enum": [str(i) for i in range(100_000)]}},
    ]
    root = package(tmp_path, fields, "id,v", [f"a{i},{i * 7}" for i in range(1000)] + ["z,-1"], tables=3)
    code, report = bounded_validate(root)
    assert code == 1
    assert [(f["type"], f["table"], f["line"]) for f in report["findings"]] == [
        ("enum-constraint", f"t{i}", 1002) for i in range(3)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("target", ["descriptor", "checksums"])
def test_a_file_symlinked_to_dev_zero_is_read_within_bounds(tmp_path, target):
    root = package(tmp_path, [{"name": "id", "type": "string"}], "id", ["a"])
    if target == "descriptor":
        (root / "datapackage.json").unlink()
        (root / "datapackage.json").symlink_to("/dev/zero")
        code, report = bounded_validate(root)
        assert (code, report["error"]["message"].split(" is ")[-1]) == (
            2,
            "a character device, not a regular file; natodata reads only regular files",
        )
    else:
        release = root / "releases" / "1.0.0"
        release.mkdir(parents=True)
        (release / "SHA256SUMS").symlink_to("/dev/zero")
        code, report = bounded_validate(root)
        assert code == 1
        assert [(f["type"], f["path"]) for f in report["findings"]] == [
            ("release-checksums-error", "releases/1.0.0/SHA256SUMS")
        ]


@pytest.mark.slow
def test_a_near_miss_hint_on_an_article_of_spaces_is_linear():
    """The hint that names a near miss used to search with ``\\s+`` and backtrack
    quadratically: 64 KiB of spaces took 72 s, 8 MiB would never end."""
    code = (
        "from natodata.checks.hints import near_miss\n"
        "m = near_miss(' ' * (8 << 20) + 'X  ', ' x ')\n"
        "print(m.start, m.end, m.describe())"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, preexec_fn=_limits, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    n = (8 << 20) + 3
    assert proc.stdout == (
        f"0 {n} the article has '{' ' * 59}\u2026' at 0..{n}, which differs only in case and whitespace\n"
    )
