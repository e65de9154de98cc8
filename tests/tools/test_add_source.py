"""natodata add-source: a new article becomes a sources row; a registered one is refused."""

import hashlib
import json
import shutil

import pytest
from typer.testing import CliRunner

from natodata.cli import app
from natodata.tools.add_source import read_head


runner = CliRunner()

SYNTHETIC = (
    "Allies pledge more trainers for Iraq mission\n\nBy Ann Example\nMarch 3, 2020\n\n"
    "BRUSSELS - Allies said on Tuesday they would send more trainers to the mission in Iraq, "
    "one official said, adding that this was only a first step and that others would follow later.\n"
)


@pytest.fixture
def scratch_corpus(tmp_path, corpus):
    d = tmp_path / "corpus"
    shutil.copytree(corpus, d)
    for f in d.iterdir():
        f.chmod(0o644)
    return d


def test_head_of_each_shipped_article_is_what_sources_records(pkg, corpus):
    rows = pkg.rows("sources")
    h = rows[0]
    for r in rows[1:]:
        row = dict(zip(h, r))
        head = read_head((corpus / row["corpus_file"]).read_text(encoding="utf-8"))
        assert (head.headline or "", head.byline or "") == (row["headline"], row["byline"]), row["id"]
        assert head.published == (row["published"] if row["published_basis"] == "stated" else None), row["id"]


def test_synthetic_article_is_registered_with_its_head(pkg, scratch_corpus):
    (scratch_corpus / "synthetic.txt").write_text(SYNTHETIC, encoding="utf-8")
    digest = hashlib.sha256(SYNTHETIC.encode()).hexdigest()
    result = runner.invoke(
        app, ["add-source", "synthetic.txt", "--package", str(pkg.root), "--corpus", str(scratch_corpus)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"registered src-005: synthetic.txt (sha256 {digest}) in data/sources.csv\n"
        "  headline: 'Allies pledge more trainers for Iraq mission' (line 1)\n"
        "  byline: 'Ann Example' (line 3)\n"
        "  published: 2020-03-03, day, stated (line 4)\n"
        "  left for the coder: check the above; publisher and translation_note (docs/CODING.md, section 4)\n"
    )
    assert pkg.rows("sources")[-1] == [
        "src-005",
        "Allies pledge more trainers for Iraq mission",
        "",
        "Ann Example",
        "2020-03-03",
        "day",
        "stated",
        "en",
        "",
        "synthetic.txt",
        digest,
    ]
    descriptor = json.loads((pkg.root / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["sources"][-1] == {
        "title": "synthetic.txt",
        "path": "corpus/synthetic.txt",
        "description": f"sha256:{digest}",
    }


def test_real_article_under_a_new_name_is_refused_as_a_duplicate(pkg, scratch_corpus):
    shutil.copy(scratch_corpus / "003_e0fa047ff47e3db9.txt", scratch_corpus / "005_0123456789abcdef.txt")
    digest = hashlib.sha256((scratch_corpus / "003_e0fa047ff47e3db9.txt").read_bytes()).hexdigest()
    before = pkg.csv("sources").read_bytes()
    result = runner.invoke(
        app,
        [
            "add-source",
            str(scratch_corpus / "005_0123456789abcdef.txt"),
            "--package",
            str(pkg.root),
            "--corpus",
            str(scratch_corpus),
        ],
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: 005_0123456789abcdef.txt is already registered: data/sources.csv:5 "
        f"(src-003, 003_e0fa047ff47e3db9.txt) has the same sha256 {digest}\n"
    )
    assert pkg.csv("sources").read_bytes() == before


def test_undated_article_takes_its_prefix_and_leaves_the_date_to_the_coder(pkg, scratch_corpus):
    text = SYNTHETIC.replace("March 3, 2020\n", "").replace("By Ann Example\n", "")
    (scratch_corpus / "009_feedfacefeedface.txt").write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["add-source", "009_feedfacefeedface.txt", "--package", str(pkg.root), "--corpus", str(scratch_corpus)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2:4] == [
        "  byline: none printed (left blank)",
        "  published: no printed date; infer it from the text and fill published, published_precision and "
        "published_basis = inferred (docs/CODING.md, section 4)",
    ]
    assert pkg.rows("sources")[-1][:9] == [
        "src-009",
        "Allies pledge more trainers for Iraq mission",
        "",
        "",
        "",
        "",
        "",
        "en",
        "",
    ]


def test_a_file_outside_the_corpus_is_refused(pkg, tmp_path, shipped, corpus):
    (tmp_path / "elsewhere.txt").write_text(SYNTHETIC, encoding="utf-8")
    result = runner.invoke(
        app, ["add-source", str(tmp_path / "elsewhere.txt"), "--package", str(pkg.root), "--corpus", str(corpus)]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'elsewhere.txt'} is not in the corpus directory {corpus}: copy it there "
        "first (the package records the file's name in the corpus, not a path)\n"
    )
    assert (shipped / "data" / "sources.csv").read_bytes() == pkg.csv("sources").read_bytes()
