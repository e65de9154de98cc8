"""A new coder's path, end to end, through the installed command: add-source, code rows,
anchor, fmt, validate --corpus, stats and diff, on a scratch package with a synthetic article."""

import shutil
import subprocess
import sys

import pytest

from tests.helpers import Pkg, copy_package

ARTICLE = """Allies pledge more trainers for Iraq mission

By Ann Example
March 3, 2020

BRUSSELS - NATO will send about 40 more trainers to its mission in Iraq, Jens Stoltenberg said on Tuesday.

"We will do what is needed," Stoltenberg told reporters, calling the step a "first move".

Related Stories
Another story from 2019, with 12 photos
"""


def natodata(*args, cwd):
    return subprocess.run([sys.executable, "-m", "natodata", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.slow
def test_a_new_article_from_registration_to_a_valid_package(tmp_path, shipped, corpus):
    pkg = Pkg(copy_package(tmp_path / "pkg", shipped))
    scratch = tmp_path / "corpus"
    shutil.copytree(corpus, scratch)
    (scratch / "005_00112233aabbccdd.txt").write_text(ARTICLE, encoding="utf-8")

    r = natodata("add-source", "005_00112233aabbccdd.txt", "--corpus", str(scratch), cwd=pkg.root)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1:4] == [
        "  headline: 'Allies pledge more trainers for Iraq mission' (line 1)",
        "  byline: 'Ann Example' (line 3)",
        "  published: 2020-03-03, day, stated (line 4)",
    ]

    # code the article as docs/CODING.md says, anchors left blank
    src = "src-005"
    pkg.append(
        "quotes",
        {
            "id": "q-005-stoltenberg-what-is-needed",
            "statement_id": "st-stoltenberg-what-is-needed",
            "source_id": src,
            "speaker_id": "jens-stoltenberg",
            "text": "We will do what is needed,",
            "form": "full",
        },
    )
    pkg.append(
        "figures",
        {
            "id": "f-005-trainers",
            "claim_id": "nato-extra-trainers-2020-03",
            "source_id": src,
            "wording": "about 40",
            "value_low": "36",
            "value_best": "40",
            "value_high": "44",
            "qualifier": "approximate",
            "unit": "person",
            "counted": "Extra trainers for the mission",
            "owner_id": "nato",
            "as_of": "2020-03-03",
        },
    )
    for actor, alias in (
        ("nato", "NATO"),
        ("jens-stoltenberg", "Jens Stoltenberg"),
        ("jens-stoltenberg", "Stoltenberg"),
    ):
        pkg.append("actor_aliases", {"actor_id": actor, "alias": alias, "source_id": src})
    pkg.append(
        "furniture",
        {
            "id": "fu-005-printed-date",
            "source_id": src,
            "category": "metadata",
            "opening": "March 3, 2020",
            "extent": "excerpt",
            "what": "The printed date line.",
        },
    )
    pkg.append(
        "furniture",
        {
            "id": "fu-005-related-stories",
            "source_id": src,
            "category": "navigation",
            "opening": "Related Stories",
            "extent": "rest",
            "what": "Links to other stories.",
        },
    )
    pkg.append("uncoded", {"id": "u-005-first-move", "source_id": src, "reason": "scare-quote", "words": "first move"})

    r = natodata("anchor", "--corpus", str(scratch), cwd=pkg.root)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].endswith(" rows; 5 changed; 4 files written")
    assert pkg.rows("quotes")[-1][6:10] != ["", "", "", ""]

    r = natodata("fmt", cwd=pkg.root)
    assert (r.returncode, r.stdout) == (0, "reformatted data/actor_aliases.csv\n1 file reformatted\n")

    r = natodata("validate", "--corpus", str(scratch), cwd=pkg.root)
    assert r.returncode == 0, r.stdout
    assert r.stdout.splitlines()[-1].startswith("valid: 0 errors, ")

    r = natodata("stats", "--corpus", str(scratch), cwd=pkg.root)
    row = next(line.split() for line in r.stdout.splitlines() if line.startswith(src))
    assert row[-4:] == ["2", "1", "0", "100.0"]  # two quotations and one number in content, all covered

    r = natodata("diff", str(shipped), str(pkg.root), cwd=pkg.root)
    assert r.returncode == 1
    assert "  + id=src-005" in r.stdout.splitlines()

    # the scare quote left unmarked is found, with its line and offset in the article
    rows = pkg.rows("uncoded")
    pkg.write_rows("uncoded", [x for x in rows if x[0] != "u-005-first-move"])
    r = natodata("validate", "--corpus", str(scratch), cwd=pkg.root)
    assert r.returncode == 1
    start = ARTICLE.index('"first move"')
    assert (
        f"data/sources.csv:7: error uncoded-quotation [corpus_file]: quotation '\"first move\"' at src-005 line 8, "
        f"offset {start}..{start + 12} is not coded: add a quotes row, or an uncoded row with its reason "
        "(scare quotes, docs/CODING.md 6.1), or mark its span as furniture"
    ) in r.stdout.splitlines()
