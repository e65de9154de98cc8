"""Keep the documentation honest."""

import re

import pytest

from natodata.findings import TYPES

from tests.helpers import ROOT


def test_validate_doc_lists_every_finding_type_and_no_other():
    doc = (ROOT / "docs" / "validate.md").read_text()
    documented = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", doc, flags=re.M)
    assert [t for t, _ in documented] == list(TYPES)


def test_readme_commands_are_the_ci_commands():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".venv/bin/python -m pytest -q" in readme and ".venv/bin/python -m pytest -q" in ci
    assert (
        "natodata validate --corpus ../shared/corpus" in readme and "natodata validate --corpus ../shared/corpus" in ci
    )


def test_codebook_is_current():
    from natodata.tools.codebook import codebook_text

    assert (ROOT / "docs" / "CODEBOOK.md").read_text() == codebook_text(ROOT), (
        "docs/CODEBOOK.md is stale: run natodata codebook"
    )


def readme_python_recipes():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Using the data", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_readme_has_the_recipes():
    assert len(readme_python_recipes()) == 4


@pytest.mark.slow
def test_readme_recipes_run_exactly_as_printed():
    import subprocess
    import sys

    for code in readme_python_recipes():
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, f"recipe failed:\n{code}\n{proc.stderr}"
        assert proc.stdout.strip(), f"recipe printed nothing:\n{code}"


def test_readme_embeds_the_committed_timeline():
    assert "![Timeline of the coded events](docs/timeline.svg)" in (ROOT / "README.md").read_text()
    svg = (ROOT / "docs" / "timeline.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg


def test_the_generated_finding_type_tables_are_current():
    from natodata.tools.docs import validate_doc

    path = ROOT / "docs" / "validate.md"
    assert path.read_text() == validate_doc(path), "docs/validate.md is stale: run natodata docs"


def test_every_x_property_and_rule_in_the_schemas_is_documented():
    import json

    from natodata.checks.rules import X_CHECKS

    doc = (ROOT / "docs" / "validate.md").read_text()
    used = set()
    for f in (ROOT / "schemas").glob("*.json"):
        schema = json.loads(f.read_text())
        used |= {k for k in schema if k.startswith("x-")}
        for fld in schema["fields"]:
            used |= {k for k in fld if k.startswith("x-")}
    assert used and all(f"| `{p}` |" in doc for p in used), sorted(p for p in used if f"| `{p}` |" not in doc)
    assert all(f"| `{r}` |" in doc for r in X_CHECKS)


def readme_r_recipes():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Using the data", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```r\n(.*?)```", section, flags=re.S)


def test_the_r_recipe_reads_text_verbatim():
    (code,) = readme_r_recipes()
    calls = re.findall(r"read_csv\((.*?)\)\)", code, flags=re.S)
    assert len(calls) == 2 and all('na = ""' in c and "trim_ws = FALSE" in c for c in calls)


@pytest.mark.slow
def test_the_r_recipe_keeps_every_cell_as_written():
    """Run the README's R recipe when R and readr are installed; every quote cell, the
    spaces of prefix and suffix included, must come back exactly as in the CSV."""
    import csv
    import shutil
    import subprocess

    if shutil.which("Rscript") is None:
        pytest.skip("Rscript is not installed")
    if subprocess.run(["Rscript", "-e", "library(readr)"], capture_output=True).returncode != 0:
        pytest.skip("the R package readr is not installed")
    (code,) = readme_r_recipes()
    dump = 'write.csv(as.data.frame(quotes), stdout(), row.names = FALSE, na = "")\n'
    proc = subprocess.run(
        ["Rscript", "-e", code.replace("print(quotes", "invisible(quotes") + dump],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    with open(ROOT / "data" / "quotes.csv", newline="", encoding="utf-8") as f:
        expected = list(csv.reader(f))
    got = list(csv.reader(proc.stdout.splitlines()))
    assert got == expected
    assert any(
        r[expected[0].index("prefix")].startswith(" ") or r[expected[0].index("prefix")].endswith(" ")
        for r in expected[1:]
    )  # the recipe would lose these spaces without trim_ws = FALSE
