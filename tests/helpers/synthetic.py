"""A test corpus generator: synthetic articles and a package coding them, with the shipped
descriptor and schemas, anchored by ``natodata anchor`` and formatted by ``natodata fmt``.

Nothing here comes from the real corpus: the articles are made up. :data:`ARTICLE` and
:data:`ROWS` code one article the way docs/CODING.md says, with every kind of span the
view draws (quotes, figures, event evidence with a figure nested inside, furniture, an
uncoded scare quote, aliases and a title) and one number deliberately left uncoded, so
``validate --corpus`` reports it. The README's screenshot of ``natodata view`` is of it:

    python -m tests.helpers.synthetic OUTDIR    # writes OUTDIR/pkg and OUTDIR/corpus
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SOURCE, FILE = "syn-001", "syn-001.txt"

ARTICLE = """Allies agree to widen training mission in Iraq

By Ann Example
March 3, 2020

BRUSSELS - NATO defence ministers agreed on Tuesday to send about 40 more trainers to the alliance's mission in Iraq, Secretary General Jens Stoltenberg said.

"We will do what is needed, and we will stay as long as we are welcome," Stoltenberg told reporters after the meeting.

The mission, which has about 500 personnel, trains Iraqi officers at two bases near Baghdad. Officials called the step a "first move" rather than a new mission.

Training was paused in January after a strike near Baghdad airport, and resumed weeks later.

Related Stories
Another story from 2019, with 12 photos
"""

_EVENT = "nato-ministers-agree-trainers-2020-03"
_PAUSE = "nato-training-paused-2020-01"

ROWS: dict[str, list[dict]] = {
    "sources": [
        {
            "id": SOURCE,
            "headline": "Allies agree to widen training mission in Iraq",
            "byline": "Ann Example",
            "published": "2020-03-03",
            "published_precision": "day",
            "published_basis": "stated",
            "language": "en",
            "corpus_file": FILE,
        }
    ],
    "actors": [
        {
            "id": "nato",
            "name": "NATO",
            "kind": "organisation",
            "description": "The North Atlantic Treaty Organization.",
        },
        {
            "id": "jens-stoltenberg",
            "name": "Jens Stoltenberg",
            "kind": "person",
            "description": "NATO's Secretary General.",
        },
    ],
    "actor_aliases": [
        {"actor_id": "nato", "alias": "NATO", "source_id": SOURCE},
        {"actor_id": "jens-stoltenberg", "alias": "Jens Stoltenberg", "source_id": SOURCE},
        {"actor_id": "jens-stoltenberg", "alias": "Stoltenberg", "source_id": SOURCE},
    ],
    "actor_titles": [
        {"actor_id": "jens-stoltenberg", "title": "Secretary General", "source_id": SOURCE, "as_of": "2020-03-03"}
    ],
    "events": [
        {
            "id": _EVENT,
            "type": "decision",
            "status": "occurred",
            "date": "2020-03-03",
            "date_precision": "day",
            "date_earliest": "2020-03-03",
            "date_latest": "2020-03-03",
            "label": "Ministers agree to send more trainers",
            "summary": "NATO defence ministers agreed to send more trainers to the mission in Iraq.",
        },
        {
            "id": _PAUSE,
            "type": "suspension",
            "status": "occurred",
            "date": "2020-01",
            "date_precision": "month",
            "date_earliest": "2020-01-01",
            "date_latest": "2020-01-31",
            "label": "Training paused",
            "summary": "The mission paused its training after a strike near Baghdad airport.",
        },
    ],
    "event_participants": [
        {"event_id": _EVENT, "actor_id": "nato", "role": "decision-maker"},
        {"event_id": _PAUSE, "actor_id": "nato", "role": "agent"},
    ],
    "event_evidence": [
        {
            "event_id": _EVENT,
            "source_id": SOURCE,
            "excerpt": "NATO defence ministers agreed on Tuesday to send about 40 more trainers",
        },
        {"event_id": _PAUSE, "source_id": SOURCE, "excerpt": "Training was paused in January"},
    ],
    "quotes": [
        {
            "id": "q-s01-stoltenberg-what-is-needed",
            "statement_id": "st-stoltenberg-what-is-needed",
            "source_id": SOURCE,
            "speaker_id": "jens-stoltenberg",
            "form": "full",
            "occasion_id": _EVENT,
            "text": "We will do what is needed, and we will stay as long as we are welcome,",
        }
    ],
    "figures": [
        {
            "id": "f-s01-extra-trainers",
            "claim_id": "nato-extra-trainers-2020-03",
            "source_id": SOURCE,
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
        {
            "id": "f-s01-mission-size",
            "claim_id": "nato-mission-size-2020-03",
            "source_id": SOURCE,
            "wording": "about 500",
            "value_low": "450",
            "value_best": "500",
            "value_high": "550",
            "qualifier": "approximate",
            "unit": "person",
            "counted": "Personnel of the mission",
            "owner_id": "nato",
            "as_of": "2020-03-03",
        },
    ],
    "furniture": [
        {
            "id": "fu-s01-printed-date",
            "source_id": SOURCE,
            "category": "metadata",
            "opening": "March 3, 2020",
            "extent": "excerpt",
            "what": "The printed date line.",
        },
        {
            "id": "fu-s01-related-stories",
            "source_id": SOURCE,
            "category": "navigation",
            "opening": "Related Stories",
            "extent": "rest",
            "what": "Links to other stories.",
        },
    ],
    "uncoded": [
        {
            "id": "u-s01-first-move",
            "source_id": SOURCE,
            "reason": "scare-quote",
            "words": "first move",
            "note": "Marks around a label for the step.",
        }
    ],
}


def _csv(header: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([[r.get(h, "") for h in header] for r in rows])
    return buf.getvalue()


def write_package(
    dest: Path, articles: dict[str, str] | None = None, rows: dict[str, list[dict]] | None = None, anchor: bool = True
) -> tuple[Path, Path]:
    """Write ``dest/corpus`` (the articles, by file name) and ``dest/pkg`` (the shipped
    descriptor and schemas, every table holding only ``rows``; each source's sha256 is
    filled from its article). With ``anchor``, ``natodata anchor`` fills the offsets and
    contexts and ``natodata fmt`` makes the files canonical. Returns (package, corpus)."""
    articles = {FILE: ARTICLE} if articles is None else articles
    rows = ROWS if rows is None else rows
    pkg, corpus = dest / "pkg", dest / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (corpus / name).write_bytes(text.encode("utf-8"))
    shutil.copytree(ROOT / "schemas", pkg / "schemas")
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["title"] = "natodata, on a synthetic article (tests/helpers/synthetic.py)"
    descriptor["sources"] = [
        {"title": name, "path": f"corpus/{name}", "description": "sha256:" + hashlib.sha256(text.encode()).hexdigest()}
        for name, text in articles.items()
    ]
    (pkg / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (pkg / "data").mkdir()
    for res in descriptor["resources"]:
        schema = json.loads((pkg / res["schema"]).read_text(encoding="utf-8"))
        table = [dict(r) for r in rows.get(res["name"], [])]
        for r in table:
            if "corpus_file" in r and "sha256" not in r and r["corpus_file"] in articles:
                r["sha256"] = hashlib.sha256(articles[r["corpus_file"]].encode()).hexdigest()
        (pkg / res["path"]).write_text(_csv([f["name"] for f in schema["fields"]], table), encoding="utf-8")
    if anchor:
        from natodata.tools.anchor import anchor_package
        from natodata.tools.fmt import format_package

        anchor_package(pkg, corpus)
        format_package(pkg)
    return pkg, corpus


def screenshot(page: Path, png: Path, focus_table: str | None = "quotes") -> bytes:
    """Open ``page`` in headless chromium (tests/helpers/browser.py), press Tab until the first span
    of ``focus_table`` has the focus (if given), and save the window as ``png``."""
    from .browser import chromium, tab_to

    with chromium() as browser:
        browser.get(page.resolve().as_uri())
        if focus_table is not None:
            index = browser.execute_script(
                "return [...document.querySelectorAll('.legend .span')].findIndex(e => e.textContent.endsWith(arguments[0]))",
                _title(focus_table),
            )
            tab_to(browser, f"mark.span.t{index}")
        browser.save_screenshot(str(png))
    return png.read_bytes()


def _title(table: str) -> str:
    res = next(
        r
        for r in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]
        if r["name"] == table
    )
    return res.get("title", table)


if __name__ == "__main__":
    # python -m tests.helpers.synthetic OUTDIR [--screenshot PNG]: the package and, with
    # --screenshot, its view with the quote focused (docs/view.png is made so).
    out = Path(sys.argv[1])
    pkg, corpus = write_package(out)
    print(pkg, corpus, sep="\n")
    if "--screenshot" in sys.argv:
        from natodata.tools.view import build_site

        build_site(pkg, corpus, out / "site")
        png = Path(sys.argv[sys.argv.index("--screenshot") + 1])
        screenshot(out / "site" / f"{SOURCE}.html", png)
        print(png)
