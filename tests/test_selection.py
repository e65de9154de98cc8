"""Choosing findings: codes, [tool.natodata] in pyproject.toml, and which wins."""

import pytest

from natodata.errors import UnreadableInput, UsageError
from natodata.findings import TYPES, Finding, Report
from natodata.selection import Selection, expand, find_config, resolve, split_codes


def test_codes_are_comma_separated_or_repeated():
    assert split_codes(["a,b", " c ", "", "d,"]) == ("a", "b", "c", "d")


def test_a_code_is_a_type_a_group_or_a_prefix_at_a_hyphen():
    assert expand("claim-disagreement", "--ignore") == {"claim-disagreement"}
    assert (
        expand("anchor", "--ignore")
        == expand("anchor-", "--ignore")
        == {"anchor-length", "anchor-text-mismatch", "anchor-prefix-mismatch", "anchor-suffix-mismatch"}
    )
    assert expand("provenance", "--ignore") == {n for n, t in TYPES.items() if t.group == "provenance"}
    with pytest.raises(UsageError) as exc:
        expand("anchor-t", "--select")  # not at a hyphen
    assert str(exc.value) == "unknown finding type or prefix 'anchor-t' in --select; did you mean 'anchor'?"


def test_an_unknown_code_is_a_usage_error_with_a_hint():
    with pytest.raises(UsageError) as exc:
        Selection(ignore=("claim-disagreemnt",)).types()
    assert str(exc.value) == (
        "unknown finding type or prefix 'claim-disagreemnt' in --ignore; did you mean 'claim-disagreement'?"
    )
    assert exc.value.exit_code == 2
    with pytest.raises(UsageError, match=r"'zzz' in --select; see the finding types in docs/validate.md$"):
        Selection(select=("zzz",)).types()


def test_select_then_ignore():
    report = Report(
        [
            Finding("unused-actor", "m", path="data/a.csv", line=2),
            Finding("unused-source", "m", path="data/s.csv", line=3),
            Finding("foreign-key", "m", path="data/q.csv", line=4),
        ]
    )
    chosen = Selection(select=("rules", "foreign-key"), ignore=("unused-source",)).apply(report)
    assert [f.type for f in chosen.report.findings] == ["unused-actor", "foreign-key"]
    assert chosen.ignored == 1


def write_config(directory, body):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pyproject.toml").write_text(body, encoding="utf-8")
    return directory / "pyproject.toml"


def test_config_is_the_nearest_pyproject_with_a_natodata_table_up_to_the_repository_root(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    outer = write_config(tmp_path / "repo", '[tool.natodata]\nignore = ["claim-disagreement"]\nstrict = true\n')
    write_config(tmp_path / "repo" / "sub", '[project]\nname = "x"\n')  # no [tool.natodata]: looked past
    pkg = tmp_path / "repo" / "sub" / "data-pkg"
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
    assert str(exc.value) == (
        f"unknown finding type or prefix 'unused-actr' in 'select' of [tool.natodata] in {path}; "
        "did you mean 'unused-actor'?"
    )
    write_config(tmp_path, '[tool.natodata]\nstrict = "yes"\n')
    with pytest.raises(UsageError, match="'strict' in .* must be true or false"):
        resolve(tmp_path)
    write_config(tmp_path, "[tool.natodata]\nignore = [1]\n")
    with pytest.raises(UsageError, match="'ignore' in .* must be a list of finding types or prefixes"):
        resolve(tmp_path)
    write_config(tmp_path, "[tool.natodata\n")
    with pytest.raises(UnreadableInput, match=r"cannot read .*pyproject.toml: "):
        resolve(tmp_path)


def test_config_is_never_read_above_the_repository_root_or_outside_a_repository(tmp_path):
    above = write_config(tmp_path, '[tool.natodata]\nignore = ["provenance"]\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "pkg").mkdir()
    assert find_config(repo / "pkg") is None  # a parent of the repository is nobody's configuration
    (tmp_path / "elsewhere").mkdir()
    assert find_config(tmp_path / "elsewhere") is None  # outside a repository: its own directory only
    assert find_config(tmp_path) == above  # the current directory's own file is read
    (repo / ".git").rmdir()
    (repo / ".git").write_text("gitdir: ../x\n")  # a worktree's .git is a file
    assert find_config(repo / "pkg") is None


def test_isolated_ignores_and_config_names_the_file(tmp_path):
    found = write_config(tmp_path, '[tool.natodata]\nignore = ["claim-disagreement"]\n')
    assert resolve(tmp_path).config == found
    assert resolve(tmp_path, isolated=True) == Selection()
    assert resolve(tmp_path, isolated=True).config is None
    named = write_config(tmp_path / "ci", '[tool.natodata]\nstrict = true\ncorpus = "../corpus"\n')
    chosen = resolve(tmp_path, config=named)
    assert (chosen, chosen.config, chosen.corpus) == (
        Selection(strict=True, corpus=named.parent / "../corpus"),
        named,
        tmp_path / "ci" / "../corpus",
    )
    with pytest.raises(UsageError) as exc:
        resolve(tmp_path, config=tmp_path / "nope.toml")
    assert str(exc.value) == f"configuration file not found: {tmp_path / 'nope.toml'}"
    empty = write_config(tmp_path / "e", '[project]\nname = "x"\n')
    with pytest.raises(UsageError) as exc:
        resolve(tmp_path, config=empty)
    assert str(exc.value) == f"{empty} has no [tool.natodata] table"
    with pytest.raises(UsageError) as exc:
        resolve(tmp_path, config=named, isolated=True)
    assert str(exc.value) == "give --config FILE or --isolated, not both"
    write_config(tmp_path / "c", "[tool.natodata]\ncorpus = 3\n")
    with pytest.raises(
        UsageError, match="'corpus' in .* must be the path of the corpus directory, relative to that file"
    ):
        resolve(tmp_path / "c")


def test_switched_off_names_each_type_and_the_setting(tmp_path):
    path = write_config(tmp_path, '[tool.natodata]\nignore = ["claim-disagreement", "unused-actor"]\n')
    chosen = resolve(tmp_path)
    assert chosen.switched_off() == {
        "claim-disagreement": f"'ignore' of [tool.natodata] in {path}",
        "unused-actor": f"'ignore' of [tool.natodata] in {path}",
    }
    assert resolve(tmp_path, ignore=["unused-actor"]).switched_off() == {"unused-actor": "--ignore"}
