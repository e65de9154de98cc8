"""A synthetic corpus for the shipped package, so that no test needs the real articles
(``../shared/corpus``, which CI's ``validate --corpus`` step still checks).

Each article is laid out from the package itself: every anchored row's prefix, text and
suffix at its offsets (curly quotes, non-breaking spaces and page furniture included, as
the rows hold them, and some page furniture after a row that says the rest of its article is
furniture), a line break wherever a row's context stops short of 20 code points
(the context stops at a line break), the head that ``sources`` records, and a filler that
is neither a word, a number nor a quotation mark everywhere else. The package's copy
records the synthetic articles' sha256, so ``validate --corpus`` finds what it finds with
the real corpus: every anchor, name as written, quotation and number accounted for.

Nothing here reads the real corpus; the articles' text is the package's excerpts only.
"""

from __future__ import annotations

import atexit
import csv
import hashlib
import io
import json
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import ROOT, copy_package

#: Code points of context a row keeps on each side, unless a line break comes first: the
#: schemas' maxLength of prefix and suffix.
CONTEXT = 20
#: Page furniture after a row that marks the rest of its article as furniture
#: (``x-covers`` extent ``rest``): numbers and a quotation that count only once that row
#: is gone.
TRAILER = (
    "Related stories\nFive things to know about the mission · 29 Jan 2020\n"
    "“Allies weigh next steps” · 02/04/2020 04:57 PM\nThree comments\n"
)
#: What stands between the excerpts: not a word character (so no excerpt is mentioned
#: twice or runs on into it), not a digit, a quotation mark or white space.
FILLER = "~"


def read_table(root: Path, name: str) -> list[dict[str, str]]:
    text = (root / "data" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def schemas(root: Path) -> dict[str, dict]:
    desc = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: json.loads((root / r["schema"]).read_text(encoding="utf-8")) for r in desc["resources"]}


class Layout:
    """One article being laid out: characters at fixed offsets, the rest open."""

    def __init__(self) -> None:
        self.chars: dict[int, str] = {}

    def put(self, at: int, text: str, what: str) -> None:
        for i, c in enumerate(text, start=at):
            old = self.chars.setdefault(i, c)
            if old != c:
                raise ValueError(f"{what}: {c!r} at {i} clashes with {old!r} laid out there before")

    def text(self) -> str:
        end = max(self.chars, default=-1) + 1
        return "".join(self.chars.get(i, FILLER) for i in range(end)) + "\n"


def articles(root: Path = ROOT) -> dict[str, str]:
    """The synthetic article of each source of the package at ``root``, by file name."""
    sch = schemas(root)
    src_table = next(name for name, s in sch.items() if "x-corpus" in s)
    spec = sch[src_table]["x-corpus"]
    sources = read_table(root, src_table)
    layouts = {row["id"]: Layout() for row in sources}
    rest: set[str] = set()  # sources whose articles end in furniture
    for name, s in sch.items():
        anchor, source = s.get("x-anchor"), s.get("x-source")
        if not anchor or not source:
            continue
        for line, row in enumerate(read_table(root, name), start=2):
            if not row[anchor["start"]]:
                continue
            start, end = int(row[anchor["start"]]), int(row[anchor["end"]])
            prefix, suffix = row[anchor["prefix"]], row[anchor["suffix"]]
            layout, what = layouts[row[source]], f"{name}:{line}"
            covers = s.get("x-covers", {})
            if covers.get("content") is False and row.get(covers.get("extent", "")) == "rest":
                rest.add(row[source])
            layout.put(start - len(prefix), prefix + row[anchor["text"]] + suffix, what)
            if len(prefix) < CONTEXT and start - len(prefix) > 0:
                layout.put(start - len(prefix) - 1, "\n", what)
            if len(suffix) < CONTEXT:
                layout.put(end + len(suffix), "\n", what)
    out = {}
    for row in sources:
        layout = layouts[row["id"]]
        _head(layout, row)
        _mention_names(sch, root, row["id"], layout, layout.text())
        text = layout.text()
        out[row[spec["file"]]] = text + TRAILER if row["id"] in rest else text
    return out


def _head(layout: Layout, row: dict[str, str]) -> None:
    """Lay out the head lines ``sources`` records (headline, byline, printed date) that the
    rows do not: each on a line of its own, in the first gap that holds it, in the order
    an article prints them. The head read back must be the recorded one."""
    from natodata.tools.add_source import read_head

    wanted = {
        "headline": row["headline"] or None,
        "byline": row["byline"] or None,
        "published": row["published"] if row["published_basis"] == "stated" else None,
    }
    for key, line in (
        ("headline", wanted["headline"]),
        ("byline", wanted["byline"] and f"By {wanted['byline']}"),
        ("published", wanted["published"]),
    ):
        if line and getattr(read_head(layout.text()), key) != wanted[key]:
            _put_line(layout, line)
    head = read_head(layout.text())
    got = {"headline": head.headline, "byline": head.byline, "published": head.published}
    if got != wanted:
        raise ValueError(f"{row['id']}: the synthetic article's head reads {got}, not {wanted}")


def _put_line(layout: Layout, line: str) -> None:
    """``line`` on a line of its own in the first run of open positions that holds it."""
    at, end = 0, max(layout.chars, default=-1) + 1
    while at <= end:
        if at in layout.chars:
            at += 1
            continue
        gap = at
        while gap < end and gap not in layout.chars:
            gap += 1
        lead = "" if at == 0 or layout.chars.get(at - 1) == "\n" else "\n"
        tail = "" if gap - at == len(lead + line) and layout.chars.get(gap) == "\n" else "\n"
        if gap >= end or gap - at >= len(lead + line + tail):
            layout.put(at, lead + line + tail, "head")
            return
        at = gap
    raise AssertionError("unreachable: the end of the article is open")


def _mention_names(sch: dict, root: Path, sid: str, layout: Layout, text: str) -> None:
    """Names as written (``x-asWritten``) that no excerpt holds go after the last excerpt,
    each on a line of its own."""
    from natodata.checks.provenance import mentioned

    at = len(text)
    for name, s in sch.items():
        source = s.get("x-source")
        for f in s.get("fields", []):
            if not f.get("x-asWritten") or not source:
                continue
            for row in read_table(root, name):
                value = row[f["name"]]
                if row[source] == sid and value and not mentioned(value, text):
                    layout.put(at, value + "\n", f"{name}.{f['name']}")
                    at += len(value) + 1
                    text += value + "\n"


@dataclass(frozen=True)
class Synthetic:
    package: Path  # a copy of the shipped package that records the synthetic articles' hashes
    corpus: Path  # the synthetic articles


def write(base: Path, root: Path = ROOT) -> Synthetic:
    """Write the synthetic corpus of the package at ``root`` to ``base/corpus``, and a copy
    of the package recording its articles' sha256 to ``base/package``."""
    corpus, package = base / "corpus", copy_package(base / "package", root)
    corpus.mkdir(parents=True)
    digests = {}
    for file, text in articles(root).items():
        data = text.encode("utf-8")
        (corpus / file).write_bytes(data)
        digests[file] = hashlib.sha256(data).hexdigest()
    _record(package, digests)
    return Synthetic(package, corpus)


def _record(package: Path, digests: dict[str, str]) -> None:
    """Put the articles' sha256 where the package records them: the sources table and the
    descriptor's ``sources`` (and, in a release's descriptor, the table's bytes and hash)."""
    sch = schemas(package)
    src_table = next(name for name, s in sch.items() if "x-corpus" in s)
    spec = sch[src_table]["x-corpus"]
    path = package / "data" / f"{src_table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    file_at, sha_at = rows[0].index(spec["file"]), rows[0].index(spec["sha256"])
    for r in rows[1:]:
        r[sha_at] = digests[r[file_at]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    data = buf.getvalue().encode("utf-8")
    path.write_bytes(data)
    desc_path = package / "datapackage.json"
    desc = json.loads(desc_path.read_text(encoding="utf-8"))
    for r in desc["resources"]:
        if r["name"] == src_table and "bytes" in r:
            r["bytes"] = len(data)
        if r["name"] == src_table and "hash" in r:
            algorithm, _, _ = r["hash"].rpartition(":")
            r["hash"] = f"{algorithm}:" * bool(algorithm) + hashlib.new(algorithm or "md5", data).hexdigest()
    for s in desc.get("sources", []):
        if s.get("title") in digests:
            s["description"] = f"sha256:{digests[s['title']]}"
    desc_path.write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@cache
def synthetic() -> Synthetic:
    """The synthetic corpus of the shipped package and its matching package, written once
    per process to a directory removed at exit. Tests copy them before changing them."""
    base = Path(tempfile.mkdtemp(prefix="natodata-synthetic-"))
    atexit.register(shutil.rmtree, base, True)
    return write(base)
