"""Choosing findings: codes, [tool.natodata] in pyproject.toml, and which wins."""

import pytest

from natodata.errors import UnreadableInput, UsageError
from natodata.findings import TYPES, Finding, Report
from natodata.selection import Selection, expand, find_config, resolve, split_codes


def test_codes_are_comma_separated_or_repeated():
    assert split_codes(["a,b", " c ", "", "d,"]) == ("a", "b", "c", "d")


def test_a_code_is_a_type_a_group_or_a_prefix_at_a_hyphen():
    assert expand("claim-disagreement", "--ignore") == {"claim-disagreement"}
    assert expand("anchor", "--ignore") == expand("anchor-", "--ignore") == {
        "anchor-length", "anchor-text-mismatch", "anchor-prefix-mismatch", "anchor-suffix-mismatch"}
    assert expand("provenance", "--ignore") == {n for n, t in TYPES.items() if t.group == "provenance"}
    with pytest.raises(UsageError) as exc:
        expand("anchor-t", "--select")  # not at a hyphen
    assert str(exc.value) == "unknown finding type or prefix 'anchor-t' in --select; did you mean 'anchor'?"


def test_an_unknown_code_is_a_usage_error_with_a_hint():
    with pytest.raises(UsageError) as exc:
        Selection(ignore=("claim-disagreemnt",)).types()
    assert str(exc.value) == ("unknown finding type or prefix 'claim-disagreemnt' in --ignore; "
                              "did you mean 'claim-disagreement'?")
    assert exc.value.exit_code == 2
    with pytest.raises(UsageError, match=r"'zzz' in --select; see the finding types in docs/validate.md$"):
        Selection(select=("zzz",)).types()


def test_select_then_ignore():
    report = Report([Finding("unused-actor", "m", path="data/a.csv", line=2),
                     Finding("unused-source", "m", path="data/s.csv", line=3),
                     Finding("foreign-key", "m", path="data/q.csv", line=4)])
    chosen = Selection(select=("rules", "foreign-key"), ignore=("unused-source",)).apply(report)
    assert [f.type for f in chosen.report.findings] == ["unused-actor", "foreign-key"]
    assert chosen.ignored == 1


def write_config(directory, body):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pyproject.toml").write_text(body, encoding="utf-8")
    return directory / "pyproject.toml"


def test_config_is_the_nearest_pyproject_with_a_natodata_table(tmp_path):
    outer = write_config(tmp_path, '[tool.natodata]\nignore = ["claim-disagreement"]\nstrict = true\n')
    write_config(tmp_path / "repo", '[project]\nname = "x"\n')  # no [tool.natodata]: looked past
    pkg = tmp_path / "repo" / "data-pkg"
    pkg.mkdir()
    assert find_config(pkg) == outer
    assert resolve(pkg) == Selection((), ("claim-disagreement",), True)
    # each setting given on the command line replaces the configuration's
    assert resolve(pkg, ignore=["unused-actor,unused-source"]) == Selection((), ("unused-actor", "unused-source"), True)
    assert resolve(pkg, ignore=[], strict=False) == Selection((), (), False)
    assert resolve(pkg, select=["provenance"]) == Selection(("provenance",), ("claim-disagreement",), True)


def test_config_mistakes_are_usage_errors(tmp_path):
    path = write_config(tmp_path, '[tool.natodata]\nignroe = ["unused-actor"]\n')
    with pytest.raises(UsageError) as exc:
        resolve(tmp_path)
    assert str(exc.value) == f"unknown setting 'ignroe' in [tool.natodata] in {path}; did you mean 'ignore'?"
    write_config(tmp_path, '[tool.natodata]\nselect = ["unused-actr"]\n')
    with pytest.raises(UsageError) as exc:
        resolve(tmp_path)
    assert str(exc.value) == (f"unknown finding type or prefix 'unused-actr' in 'select' of [tool.natodata] in {path}; "
                              "did you mean 'unused-actor'?")
    write_config(tmp_path, '[tool.natodata]\nstrict = "yes"\n')
    with pytest.raises(UsageError, match="'strict' in .* must be true or false"):
        resolve(tmp_path)
    write_config(tmp_path, '[tool.natodata]\nignore = [1]\n')
    with pytest.raises(UsageError, match="'ignore' in .* must be a list of finding types or prefixes"):
        resolve(tmp_path)
    write_config(tmp_path, '[tool.natodata\n')
    with pytest.raises(UnreadableInput, match=r"cannot read .*pyproject.toml: "):
        resolve(tmp_path)
