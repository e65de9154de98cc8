"""``CITATION.cff`` (Citation File Format 1.2.0) for a release, from the descriptor."""

from __future__ import annotations

import json

from .versioning import data_tag

CITATION = "CITATION.cff"


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def citation_cff(descriptor: dict, version: str, date: str) -> str:
    """The CFF text for ``version`` released on ``date`` (YYYY-MM-DD)."""
    title = descriptor.get("title") or descriptor.get("name") or "natodata"
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite this release as below."',
        "type: dataset",
        f"title: {_yaml(str(title))}",
        f"version: {_yaml(version)}",
        f"date-released: {_yaml(date)}",
        "authors:",
    ]
    people = [c for c in descriptor.get("contributors", []) if isinstance(c, dict)] or [
        {"title": "natodata maintainers"}
    ]
    for c in people:
        if c.get("givenName") or c.get("familyName"):
            lines.append(f"  - family-names: {_yaml(str(c.get('familyName', '')))}")
            lines.append(f"    given-names: {_yaml(str(c.get('givenName', '')))}")
        else:
            lines.append(f"  - name: {_yaml(str(c.get('title', 'natodata maintainers')))}")
    licences = [lic.get("name") for lic in descriptor.get("licenses", []) if isinstance(lic, dict) and lic.get("name")]
    if licences:
        lines.append(f"license: {_yaml(licences[0])}")
    if descriptor.get("description"):
        lines.append(f"abstract: {_yaml(str(descriptor['description']))}")
    return "\n".join(lines) + "\n"


def how_to_cite(descriptor: dict, version: str, date: str) -> str:
    """A sentence for RELEASE_NOTES.md."""
    title = descriptor.get("title") or descriptor.get("name") or "natodata"
    people = (
        ", ".join(
            str(c.get("title") or " ".join(filter(None, [c.get("givenName"), c.get("familyName")])))
            for c in descriptor.get("contributors", [])
            if isinstance(c, dict)
        )
        or "natodata maintainers"
    )
    return (
        f"{people} ({date[:4]}). *{title}*, version {version} (released {date}). "
        f"Cite the version you used; `{CITATION}` at the tag `{data_tag(version)}` holds the same in Citation File Format."
    )
