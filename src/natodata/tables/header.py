"""A table's header: its labels against the schema's fields, and the text's encoding
when the descriptor does not declare one.

Table Schema v2 ``fieldsMatch`` decides what the header must hold:

* ``exact`` (the default): exactly the schema's fields, in order;
* ``equal``: exactly the schema's fields, in any order;
* ``subset``: every schema field, and maybe more;
* ``superset``: only schema fields, maybe not all;
* ``partial``: at least one schema field.

Whatever it is, a blank label and a label that repeats are errors, as they are in a
table without a schema. Labels are compared with surrounding whitespace trimmed.
"""

from __future__ import annotations

from collections import Counter

#: How many bytes of a file decide its encoding when none is declared.
SAMPLE_BYTES = 1024 * 1024


def header_findings(
    header: list[str], expected: list[str] | None, fields_match: str = "exact"
) -> list[tuple[str, str, str | None]]:
    """``(finding type, message, field)`` for each fault of ``header``; ``expected`` is
    the schema's field names, None for a table without a schema."""
    out: list[tuple[str, str, str | None]] = []
    for i, h in enumerate(header, start=1):
        if h == "":
            out.append(("blank-label", f"column {i} has a blank label", None))
    counts = Counter(header)  # linear in the header's length: a header may have any number of columns
    for h in sorted(h for h, n in counts.items() if h != "" and n > 1):
        out.append(("duplicate-label", f"column {h!r} appears more than once in the header", h))
    if expected is None or header == expected:
        return out
    labels = [h for h in header if h != ""]
    wanted = set(expected)
    missing = [f for f in expected if f not in counts]
    extra = [h for h in labels if h not in wanted]
    what = f" (fieldsMatch {fields_match})" if fields_match != "exact" else ""
    if fields_match in ("exact", "equal", "subset"):
        out += [("missing-label", f"the header lacks the schema field {m!r}{what}", m) for m in missing]
    if fields_match in ("exact", "equal", "superset"):
        out += [("extra-label", f"the header has {e!r}, which is not a field of the schema{what}", e) for e in extra]
    if fields_match == "partial" and len(missing) == len(expected):
        out.append(("missing-label", "the header has none of the schema's fields (fieldsMatch partial)", None))
    if (
        fields_match == "exact"
        and not missing
        and not extra
        and not any(t == "duplicate-label" for t, _, _ in out)
        and labels == header
    ):
        out.append(
            ("header-order", f"header fields are out of order; the schema's order is: {','.join(expected)}", None)
        )
    return out


def join_header_rows(rows: list[list[str]], joiner: str) -> list[str]:
    """The labels of several header rows (Table Dialect ``headerRows``): each column's
    cells joined with ``headerJoin``; a cell that repeats the one above it (a merged
    cell, as spreadsheets export them) is not repeated."""
    labels: list[str] = []
    above: dict[int, str] = {}
    for row in rows:
        for i, cell in enumerate(row):
            if above.get(i) == cell:
                continue
            above[i] = cell
            if i >= len(labels):
                labels.append(cell)
            elif cell != "":
                labels[i] = joiner.join([labels[i], cell]) if labels[i] else cell
    return labels


def detect_encoding(fh, start: int) -> str | None:
    """The encoding charset-normalizer finds in the file's first :data:`SAMPLE_BYTES`
    from ``start`` (Python's name for it), or None if it finds none."""
    import codecs

    from charset_normalizer import from_bytes

    fh.seek(start)
    sample = fh.read(SAMPLE_BYTES)
    best = from_bytes(sample).best()
    if best is None:
        return None
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None
