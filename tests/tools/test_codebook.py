"""The codebook answers analysts' questions: dates, vague numbers, claims, citation, row counts."""

import shutil

from natodata.tools.codebook import codebook_text

from tests.helpers import ROOT


def test_the_shipped_codebook_answers_the_questions():
    text = (ROOT / "docs" / "CODEBOOK.md").read_text()
    coding = (ROOT / "docs" / "CODING.md").read_text()
    table = coding.split("### 7.3 Values and qualifier\n", 1)[1].split("\n### ", 1)[0].strip()
    assert "| `hundreds` | 200 | 400 | 999 | `vague` |" in table and table in text  # copied whole
    assert (
        "[docs/CODING.md](CODING.md)" in text and "[CODING.md section 7.3](CODING.md#73-values-and-qualifier)" in text
    )
    assert "A quotation without an occasion (6 of 21) is dated by its source: the source's `published` date" in text
    assert "2 with disagreeing reports: `coalition-trainers-to-nato-2020-02`, `nato-mission-iraq-size-2020-02`." in text
    from natodata.layout import published_versions

    latest = published_versions(ROOT)[-1]
    assert f"its `RELEASE_NOTES.md` ends with a citation; `CITATION.cff` (at the tag `data-v{latest}`)" in text
    assert "- [`quotes`](#quotes) (21 rows): One row per quotation as printed in one source." in text


def test_the_guide_follows_coding_md_the_data_and_the_releases(pkg):
    (pkg.root / "docs").mkdir()
    coding = (ROOT / "docs" / "CODING.md").read_text()
    (pkg.root / "docs" / "CODING.md").write_text(
        coding.replace("| `hundreds` | 200 | 400 | 999 |", "| `hundreds` | 100 | 400 | 999 |")
    )
    pkg.set("quotes", 2, "occasion_id", "")  # one more undated quotation
    text = codebook_text(pkg.root)
    assert "| `hundreds` | 100 | 400 | 999 | `vague` |" in text
    assert "A quotation without an occasion (7 of 21)" in text
    assert "## Citing a release\n\nNo release is published yet; cite the commit you used.\n" in text
    (pkg.root / "docs" / "CODING.md").unlink()
    shutil.copytree(ROOT / "releases" / "1.0.0", pkg.root / "releases" / "1.0.0")
    text = codebook_text(pkg.root)
    assert "How wordings become values is in docs/CODING.md section 7.3." in text
    assert "> natodata maintainers (2026). *NATO Mission Iraq in the news" in text
