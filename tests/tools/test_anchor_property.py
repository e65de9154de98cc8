"""Property: anchor → fmt → validate holds whatever characters surround the text.

A case appends generated text to one article of a scratch corpus (its sha256 updated in
a scratch copy of the package) and adds a row quoting a unique excerpt of it, with blank
offsets and context. Each example holds one case per article (five), then anchors,
formats and validates once: no errors, and each context is the article's own
characters, as many as allowed. 200 examples make 1,000 cases.
"""

import hashlib
import json
import shutil

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from natodata.checks.validate import validate
from natodata.tools.anchor import anchor_package, context
from natodata.tools.fmt import format_package

from tests.helpers import ROOT, Pkg, copy_package
from tests.helpers.corpus import synthetic

RISKY = "=+-@"
QUOTES = "\"'“”‘’«»„"
BREAKS = "\n\r\t"
# The context a row keeps: its schema's maxLength of prefix and suffix.
CONTEXT = next(
    f for f in json.loads((ROOT / "schemas" / "quotes.json").read_text())["fields"] if f["name"] == "prefix"
)["constraints"]["maxLength"]
AROUND = st.text(alphabet="ab ,." + RISKY + QUOTES + BREAKS + "\xa0", max_size=2 * CONTEXT)
INNER = "Ωxy " + RISKY + QUOTES + "\xa0"
# The excerpt itself must be a valid cell: no surrounding whitespace, no formula start.
EXCERPT = st.text(alphabet=INNER, min_size=1, max_size=12).map(lambda s: "Ω" + s).filter(lambda s: s == s.strip())
TABLES = {"quotes": "text", "figures": "wording", "event_evidence": "excerpt"}
ANCHORED = (*TABLES, "furniture", "uncoded")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    root = tmp_path_factory.mktemp("anchorprop")
    pkg = Pkg(copy_package(root / "pkg", synthetic().package))
    corpus = root / "corpus"
    shutil.copytree(synthetic().corpus, corpus)
    files = [pkg.csv(t) for t in (*ANCHORED, "sources")] + sorted(corpus.iterdir())
    return Scratch(pkg, corpus, {f: f.read_bytes() for f in files})


class Scratch:
    """The scratch package and corpus, and their files' original bytes (short repr)."""

    def __init__(self, pkg, corpus, originals):
        self.pkg, self.corpus, self.originals = pkg, corpus, originals

    def __repr__(self):
        return f"Scratch({self.pkg.root.parent})"


SOURCES = [f"src-00{i}" for i in range(5)]
CASE = st.tuples(AROUND, EXCERPT, AROUND, st.sampled_from(sorted(TABLES)))


def _rows_at_end(pkg: Pkg, sid: str, original: str, article: str) -> int:
    """Shipped rows of ``sid`` whose text ends the article (a last line recorded whole, such
    as src-003's social links): appending text gives them a new suffix, so anchor rewrites them."""
    n = 0
    for table in ANCHORED:
        rows = pkg.rows(table)
        h = rows[0]
        for r in rows[1:]:
            if r[h.index("source_id")] == sid and r[h.index("end")] == str(len(original)):
                n += context(article, int(r[h.index("start")]), len(original))[1] != r[h.index("suffix")]
    return n


def _row(pkg: Pkg, table: str, field: str, text: str, sid: str, n: int) -> dict:
    """The table's first row from ``sid``, as a new row quoting ``text`` without offsets."""
    rows = pkg.rows(table)
    header = rows[0]
    first = next(dict(zip(header, r)) for r in rows[1:] if r[header.index("source_id")] == sid)
    row = {**first, field: text, "start": "", "end": "", "prefix": "", "suffix": ""}
    if "id" in row:
        row["id"] = f"zz-generated-{n}"
    return row


@pytest.mark.slow
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(cases=st.lists(CASE, min_size=len(SOURCES), max_size=len(SOURCES)))
def test_anchor_fmt_validate_round_trip(scratch, cases):
    pkg, corpus, originals = scratch.pkg, scratch.corpus, scratch.originals
    for f, data in originals.items():
        f.write_bytes(data)
    sources = pkg.rows("sources")
    h = sources[0]
    articles, touched = {}, 0
    for n, (sid, (before, text, after, table)) in enumerate(zip(SOURCES, cases)):
        src = next(r for r in sources if r[0] == sid)
        article_file = corpus / src[h.index("corpus_file")]
        original = article_file.read_text(encoding="utf-8")
        article = original + before + text + after
        touched += _rows_at_end(pkg, sid, original, article)
        assume(article.count(text) == 1)
        article_file.write_bytes(article.encode("utf-8"))
        src[h.index("sha256")] = hashlib.sha256(article.encode("utf-8")).hexdigest()
        articles[sid] = article
        pkg.append(table, _row(pkg, table, TABLES[table], text, sid, n))
    pkg.write_rows("sources", sources)

    result = anchor_package(pkg.root, corpus)
    assert result.changed_rows == len(cases) + touched
    format_package(pkg.root)
    report = validate(pkg.root, corpus)
    # The generated text appended to each article may hold quotation marks and digits that
    # no row codes; completeness is not what this test is about, anchoring is.
    errors = [f for f in report.errors if f.type not in ("uncoded-quotation", "uncoded-number")]
    assert errors == [], [f.message for f in errors]
    assert format_package(pkg.root, check=True) == []

    for sid, (_before, text, _after, table) in zip(SOURCES, cases):
        article, field = articles[sid], TABLES[table]
        rows = pkg.rows(table)
        got = next(
            dict(zip(rows[0], r))
            for r in rows[1:]
            if r[rows[0].index(field)] == text and r[rows[0].index("source_id")] == sid
        )
        start, end, prefix, suffix = int(got["start"]), int(got["end"]), got["prefix"], got["suffix"]
        assert article[start:end] == text
        assert article[start - len(prefix) : start] == prefix and article[end : end + len(suffix)] == suffix
        # As long as allowed: CONTEXT code points, or up to a line break or control character.
        assert len(prefix) == CONTEXT or article[start - len(prefix) - 1] in BREAKS
        assert len(suffix) == CONTEXT or end + len(suffix) == len(article) or article[end + len(suffix)] in BREAKS
