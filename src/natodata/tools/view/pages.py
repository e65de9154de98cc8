"""The pages, rendered by Jinja2 with autoescaping from ``templates/``: every value from the
package or an article is escaped, and the article's own text is escaped by
:func:`.spans.render` before it reaches a template."""

from __future__ import annotations

from functools import lru_cache

from ...findings import Finding
from .layers import MENTION, UNCOVERED, Layer
from .spans import render

#: How the coverage columns of ``stats --corpus`` are headed.
COLUMN_TITLES = {"covered_pct": "covered %"}


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("natodata.tools.view", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["where"] = where
    env.filters["cell"] = cell
    return env


def where(f: Finding) -> str:
    """``data/quotes.csv:5 [text]``: the file, line and field a finding names, as the text
    report writes them."""
    from ...report import location

    return location(f) + (f" [{f.field}]" if f.field else "")


def cell(value) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def legend(drawn: list[Layer], counts: dict[str, int] | None = None) -> list[dict]:
    """The legend's entries: each layer's label, title and style, and how the view marks
    mentions and what is not accounted for."""
    out = []
    for layer in drawn:
        kind = "mention" if layer.mentions else "span"
        entry = {
            "class": f"mention m{layer.index}" if layer.mentions else f"span t{layer.index}",
            "tag": layer.tag,
            "title": layer.title,
            "kind": kind,
            "table": layer.table,
            "pattern": "dotted underline" if layer.mentions else layer.style.describe,
        }
        if counts is not None:
            entry["n"] = counts.get(layer.table, 0)
        out.append(entry)
    return out


def render_pages(
    package, drawn: list[Layer], articles: list, package_findings: list, columns: list[str], datasette: str | None
) -> dict[str, str]:
    """``{file name: HTML}`` for the index and each article; ``datasette``: the database's
    URL when the pages are served beside it."""
    env = _environment()
    desc = package.descriptor
    title = desc.get("title") if isinstance(desc.get("title"), str) else None
    name = desc.get("name") if isinstance(desc.get("name"), str) else "data package"
    version = desc.get("version") if isinstance(desc.get("version"), str) else ""
    common = {
        "package_title": title or name,
        "version": version,
        "datasette": datasette,
        "uncovered": UNCOVERED,
        "mention": MENTION,
        "columns": columns,
        "column_titles": COLUMN_TITLES,
    }
    anchored = [layer for layer in drawn if layer.anchored]
    pages = {
        "index.html": env.get_template("index.html").render(
            **common, articles=articles, layers=anchored, legend=legend(drawn), package_findings=package_findings
        )
    }
    article = env.get_template("article.html")
    for a in articles:
        counts = {t: len(rows) for t, rows in a.rows.items()}
        body = render(a.text, a.spans) if a.text is not None else None
        groups = [(layer, a.rows.get(layer.table, [])) for layer in drawn if a.rows.get(layer.table)]
        pages[a.page] = article.render(
            **common,
            a=a,
            body=body,
            legend=legend(drawn, counts),
            groups=groups,
            total=sum(counts.values()),
            uncovered_count=sum(s.kind == "uncovered" for s in a.spans),
        )
    return pages
