"""``add-source``: register an article of the corpus as a new row of the sources table.

The row gets the id (``src-NNN`` from the file name's three-digit prefix, else the next
free number), the file name and its sha256, and what the article's head prints: the
headline, the byline and the date (``published_basis`` = ``stated``). Everything else
(publisher, an inferred date, the translation note) is left for the coder (docs/CODING.md,
section 4).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import NatodataError, UnreadableInput
from ..atomic import recover, write_files
from ..model.location import locate
from ..model.descriptor import descriptor_bytes
from ..tables.canonical import canonical_text
from ..tables.read import read_tables
from ..checks.provenance import read_article

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_TIME = r"(?:\s+\d{1,2}:\d{2}(?:\s*[AaPp][Mm])?)?"
#: A line that is nothing but a printed date (and maybe a time): "February 12, 2020 04:57 PM",
#: "12 February, 2020", "2020-02-12".
DATE_LINES = [
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){_TIME}"),
    re.compile(rf"(?P<day>\d{{1,2}})\s+{_MONTH},?\s+(?P<year>\d{{4}}){_TIME}"),
    re.compile(rf"(?P<year>\d{{4}})-(?P<month>\d{{2}})-(?P<day>\d{{2}}){_TIME}"),
]
BYLINE = re.compile(r"By\s+(?P<names>\S.*)")
#: The head of an article ends at its first paragraph of body text (this many words or more).
BODY_WORDS = 25
HEAD_LINES = 15
#: A headline has at least this many words; a shorter line (a name above the text) is a caption.
HEADLINE_WORDS = 5


@dataclass
class Head:
    """What an article's head prints, with the line (1-based) each was read from."""

    headline: str | None = None
    byline: str | None = None
    published: str | None = None
    lines: dict[str, int] = field(default_factory=dict)


def _date(line: str) -> str | None:
    for pattern in DATE_LINES:
        m = pattern.fullmatch(line)
        if not m:
            continue
        month = m["month"]
        month = (
            int(month)
            if month.isdigit()
            else MONTHS.get(month.lower())
            or next((n for name, n in MONTHS.items() if name.startswith(month.lower()) and len(month) >= 3), None)
        )
        if month is None:
            continue
        try:
            return pd.Timestamp(int(m["year"]), month, int(m["day"])).strftime("%Y-%m-%d")
        except ValueError:
            return None
    return None


def read_head(text: str) -> Head:
    """The headline, byline and printed date of an article, from the lines above its first
    paragraph of body text. A line is a headline if it has at least HEADLINE_WORDS words and
    does not end like a sentence or a cut caption (``.``, ``…``)."""
    head = Head()
    for number, raw in enumerate(text.split("\n")[:HEAD_LINES], start=1):
        line = raw.strip()
        if not line:
            continue
        if len(line.split()) >= BODY_WORDS:
            break
        if head.published is None and (date := _date(line)):
            head.published, head.lines["published"] = date, number
        elif head.byline is None and (m := BYLINE.fullmatch(line)):
            head.byline, head.lines["byline"] = m["names"].strip(), number
        elif (
            head.headline is None
            and head.byline is None
            and len(line.split()) >= HEADLINE_WORDS
            and not line.endswith((".", "…", "]", ")"))
        ):
            head.headline, head.lines["headline"] = line, number
    return head


@dataclass
class Added:
    id: str
    corpus_file: str
    sha256: str
    head: Head
    path: str  # the sources file written


def _locate(file: Path, corpus: Path) -> Path:
    if not corpus.is_dir():
        raise UnreadableInput(f"corpus directory not found: {corpus}")
    if not file.is_file() and (corpus / file).is_file():
        file = corpus / file
    if not file.is_file():
        raise UnreadableInput(f"article file not found: {file}")
    if file.resolve().parent != corpus.resolve():
        raise NatodataError(
            f"{file} is not in the corpus directory {corpus}: copy it there first "
            "(the package records the file's name in the corpus, not a path)"
        )
    return file


def add_source(package: Path | str | None, file: Path | str, corpus: Path | str, language: str = "en") -> Added:
    """Append the article ``file`` (in ``corpus``) to the sources table; refuse, writing
    nothing, an article already registered (same sha256 or file name) or a taken id."""
    file = _locate(Path(file), Path(corpus))
    data, problem = read_article(file.parent, file.name)  # what validate --corpus would read, within its bounds
    if problem is not None:
        raise NatodataError(f"article file {file.name!r} {problem[1]}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NatodataError(f"{file.name} is not UTF-8; the corpus holds UTF-8 text files") from None
    digest = hashlib.sha256(data).hexdigest()
    recover(locate(package).parent)  # a write a killed run left half done: finished first
    loaded = read_tables(package)
    t = loaded.sources
    if t is None or not t.complete or loaded.blocking(t):
        raise NatodataError("sources table cannot be read; run natodata validate for details")
    spec, key = t.schema.corpus, t.schema.primary_key[0]
    for line, row in t.raw.iterrows():
        if row[spec.sha256] == digest:
            raise NatodataError(
                f"{file.name} is already registered: {t.path}:{line} ({row[key]}, {row[spec.file]}) "
                f"has the same sha256 {digest}"
            )
        if row[spec.file] == file.name:
            raise NatodataError(
                f"{file.name} is already registered as {row[key]} ({t.path}:{line}), with another sha256: "
                "if the article changed, update that row's sha256 and re-check its rows"
            )
    taken = set(t.raw[key])
    m = re.match(r"(\d{3})_", file.name)
    if m:
        new_id = f"src-{m[1]}"
        if new_id in taken:
            raise NatodataError(
                f"{file.name} would be {new_id} (its prefix {m[1]}), but {new_id} is already used; "
                "give the file the next free prefix"
            )
    else:
        numbers = [int(s[4:]) for s in taken if re.fullmatch(r"src-\d{3}", s)]
        new_id = f"src-{max(numbers, default=-1) + 1:03d}"
    head = read_head(text)
    row = dict.fromkeys(t.schema.field_names, "")
    row.update(
        {
            key: new_id,
            spec.file: file.name,
            spec.sha256: digest,
            "language": language,
            "headline": head.headline or "",
            "byline": head.byline or "",
        }
    )
    if head.published:
        row.update({spec.published: head.published, "published_precision": "day", "published_basis": "stated"})
    line = int(t.raw.index.max()) + 1 if len(t.raw) else 2
    raw = pd.concat([t.raw, pd.DataFrame([row], index=[line])])
    typed = pd.concat([t.typed[[key]], pd.DataFrame({key: [new_id]}, index=[line])])
    files = {loaded.package.root / t.path: canonical_text(raw, typed, t.schema).encode("utf-8")}
    descriptor = _listed_in_descriptor(loaded.package, file.name, digest)
    if descriptor is not None:
        files[loaded.package.descriptor_path] = descriptor
    write_files(files, home=loaded.package.root)  # the table and the descriptor, both or neither
    return Added(new_id, file.name, digest, head, t.path)


def _listed_in_descriptor(package, name: str, digest: str) -> bytes | None:
    """The descriptor with the article added to its ``sources`` list, as the shipped
    entries are written (title, path under corpus/, sha256 in the description), when it
    has such a list that lacks the article; otherwise None."""
    desc = json.loads(package.descriptor_path.read_text(encoding="utf-8"))  # as written, not as read
    listed = desc.get("sources")
    if not isinstance(listed, list) or any(isinstance(s, dict) and s.get("title") == name for s in listed):
        return None
    listed.append({"title": name, "path": f"corpus/{name}", "description": f"sha256:{digest}"})
    return descriptor_bytes(desc)


def describe(added: Added) -> str:
    """What was registered, and what is left for the coder."""
    h = added.head
    lines = [f"registered {added.id}: {added.corpus_file} (sha256 {added.sha256}) in {added.path}"]
    for name, value in (("headline", h.headline), ("byline", h.byline)):
        lines.append(f"  {name}: {value!r} (line {h.lines[name]})" if value else f"  {name}: none printed (left blank)")
    if h.published:
        lines.append(f"  published: {h.published}, day, stated (line {h.lines['published']})")
    else:
        lines.append(
            "  published: no printed date; infer it from the text and fill published, "
            "published_precision and published_basis = inferred (docs/CODING.md, section 4)"
        )
    lines.append("  left for the coder: check the above; publisher and translation_note (docs/CODING.md, section 4)")
    return "\n".join(lines) + "\n"
