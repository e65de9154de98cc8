"""Keep the documentation honest."""

import re

from natodata.findings import TYPES

from conftest import ROOT


def test_validate_doc_lists_every_finding_type_and_no_other():
    doc = (ROOT / "docs" / "validate.md").read_text()
    documented = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", doc, flags=re.M)
    assert [t for t, _ in documented] == list(TYPES)


def test_readme_commands_are_the_ci_commands():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert '.venv/bin/python -m pytest -q' in readme and '.venv/bin/python -m pytest -q' in ci
    assert 'natodata validate --corpus ../shared/corpus' in readme and 'natodata validate --corpus ../shared/corpus' in ci


def test_codebook_is_current():
    from natodata.tools.codebook import codebook_text

    assert (ROOT / "docs" / "CODEBOOK.md").read_text() == codebook_text(ROOT), "docs/CODEBOOK.md is stale: run natodata codebook"


def readme_python_recipes():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Using the data", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_readme_has_the_recipes():
    assert len(readme_python_recipes()) == 4


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

    from natodata.checks.rules import DOMAIN_RULES

    doc = (ROOT / "docs" / "validate.md").read_text()
    used = set()
    for f in (ROOT / "schemas").glob("*.json"):
        schema = json.loads(f.read_text())
        used |= {k for k in schema if k.startswith("x-")}
        for fld in schema["fields"]:
            used |= {k for k in fld if k.startswith("x-")}
    assert used and all(f"| `{p}` |" in doc for p in used), sorted(p for p in used if f"| `{p}` |" not in doc)
    assert all(f"| `{r}` |" in doc for r in DOMAIN_RULES)
