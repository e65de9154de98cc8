"""The codebook's guide for analysts: how the coding answers questions (dates, vague
numbers, claims) and how to cite a release, in that order (:func:`guide`).

Its facts come from where they live: the partial-date fields from the schemas
(``x-partialDate``, ``x-precision``), the derived columns' names from
:mod:`natodata.tools.load`, counts and claims from the data, the wording of vague numbers
and of relative dates from docs/CODING.md, and the latest release from ``releases/``. The
prose around them is written for natodata's own package: it names its tables and fields
(``quotes.occasion_id``, ``events.date_earliest``) and the SQLite export's views
(``who_said_what``, ``claim_reports``); a part whose table is missing is left out."""

from __future__ import annotations

import re
from pathlib import Path

from ..layout import NOTES, RELEASES, published_versions, release_dir
from ..release.citation import CITATION as CITATION_FILE, how_to_cite
from ..release.versioning import data_tag
from ..tables.read import Loaded
from ..errors import UnreadableInput
from ..model.descriptor import read_json
from .load import FIRST_DAY, LAST_DAY, PRECISION

CODING = "docs/CODING.md"
VAGUE_SECTION = "7.3"  # Values and qualifier
DATES_SECTION = "8.4"


def coding_section(root: Path, number: str) -> tuple[str, str] | None:
    """The title and body of section ``number`` of docs/CODING.md (None if absent)."""
    path = root / CODING
    if not path.is_file():
        return None
    m = re.search(
        rf"^### {re.escape(number)} ([^\n]*)\n(.*?)(?=^#{{2,3}} |\Z)", path.read_text(encoding="utf-8"), re.M | re.S
    )
    return (m.group(1).strip(), m.group(2).strip()) if m else None


def _anchor(number: str, title: str) -> str:
    """GitHub's anchor for a heading ``### 7.3 Values and qualifier``."""
    return re.sub(r"[^a-z0-9 -]", "", f"{number} {title}".lower()).replace(" ", "-")


def _coding_link(root: Path, number: str) -> str:
    section = coding_section(root, number)
    title = section[0] if section else ""
    return (
        f"[CODING.md section {number}](CODING.md#{_anchor(number, title)})"
        if section
        else f"CODING.md section {number}"
    )


def dates_part(loaded: Loaded, root: Path) -> list[str]:
    fields = [(t.name, f) for t in loaded.tables.values() for f in t.schema.fields if f.is_partial_date]
    lines = [
        "## Dates",
        "",
        "Every date the sources give is an ISO 8601 partial date, never more precise than the evidence: "
        "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`. It names a period (`2016` is 1 January to 31 December 2016). "
        "The partial-date fields:",
        "",
    ]
    for table, f in fields:
        precision = f"its precision in `{f.precision_field}`" if f.precision_field else "its precision by its length"
        lines.append(f"- `{table}.{f.name}`, {precision}")
    lines += [
        "",
        "`natodata.load()` keeps each as written (a string) and adds, after it and its precision, the "
        f"typed first and last day of the period it names: `<field>{FIRST_DAY}` and `<field>{LAST_DAY}` "
        f"(and `<field>{PRECISION}` where the schema has no precision field). A year never becomes "
        "1 January. Date fields (`type: date`) such as `events.date_earliest` and `events.date_latest` are "
        "full days: the first and last day the evidence allows, inside the period `events.date` names.",
        "",
    ]
    quotes = loaded.tables.get("quotes")
    if quotes is not None and "occasion_id" in quotes.raw:
        n, blank = len(quotes.raw), int((quotes.raw["occasion_id"] == "").sum())
        lines += [
            f"**When was a quotation said?** On its occasion (`quotes.occasion_id`, an event): the "
            f"occasion's `date`. A quotation without an occasion ({blank} of {n}) is dated by its source: "
            "the source's `published` date, at `published_precision` (the article reports the words as "
            "said by then). The SQLite export's view `who_said_what` gives each quotation this best date, "
            "and `date_from` says which rule gave it.",
            "",
        ]
    lines += [
        f"Relative expressions (`last year`, `said Wednesday`) are resolved as {_coding_link(root, DATES_SECTION)} "
        "says.",
        "",
    ]
    return lines


def vague_numbers_part(root: Path) -> list[str]:
    section = coding_section(root, VAGUE_SECTION)
    lines = ["## Numbers: low, best and high values", ""]
    if section is None:
        return lines + [f"How wordings become values is in {CODING} section {VAGUE_SECTION}.", ""]
    title, body = section
    return lines + [
        f"How a number's wording becomes `value_low`, `value_best`, `value_high` and `qualifier` "
        f"(copied from {_coding_link(root, VAGUE_SECTION)}, {title}):",
        "",
        body,
        "",
    ]


def claims_part(loaded: Loaded) -> list[str]:
    from .claims import claims_of

    if loaded.report.errors:
        return []
    found = claims_of(loaded)
    if found is None:
        return []
    disagree = found.disagreeing()
    listed = ", ".join(f"`{c}`" for c in disagree[disagree].index) or "none"
    return [
        "## Claims and disagreements",
        "",
        f"Every report of the same quantity, across sources, shares `{found.table}.{found.claim}`. Reports "
        "that differ in a value or in the owner are kept as each source printed them (the "
        f"`claim-disagreement` warning of `natodata validate` names each such claim once). {len(disagree)} claims; "
        f"{int(disagree.sum())} with disagreeing reports: {listed}. `natodata claims` lists every claim with "
        "its reports (text, JSON or CSV); the SQLite export has them in the `claims` table and the "
        "`claim_reports` view.",
        "",
    ]


def citing_part(loaded: Loaded, root: Path) -> list[str]:
    lines = ["## Citing a release", ""]
    versions = published_versions(root)
    if not versions:
        return lines + ["No release is published yet; cite the commit you used.", ""]
    latest = str(versions[-1])
    rel = release_dir(root, latest)
    try:
        created = str(read_json(rel / "datapackage.json", "release descriptor").get("created", ""))[:10]
    except UnreadableInput:
        created = ""
    lines += [
        f"Cite the release you used, by version. The latest is {latest}: `{RELEASES}/{latest}/` holds its "
        f"files, which never change, and its `{NOTES}` ends with a citation; `{CITATION_FILE}` (at the tag "
        f'`{data_tag(latest)}`) gives it in Citation File Format. `natodata.load(version="{latest}")` (or '
        f'`--release {latest}`) pins this one; `version="latest"` reads whichever release is the newest, and '
        "`natodata.load()` the working copy.",
        "",
    ]
    if created:
        lines += [f"> {how_to_cite(loaded.package.descriptor, latest, created)}", ""]
    return lines


def guide(loaded: Loaded, root: Path) -> list[str]:
    """The guide's sections, in order."""
    root = Path(root)
    return dates_part(loaded, root) + vague_numbers_part(root) + claims_part(loaded) + citing_part(loaded, root)
