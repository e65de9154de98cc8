"""A thin, read-only view of one Table Schema descriptor (the JSON in ``schemas/``).

The JSON files are the one definition of every field; this class only answers
questions about them (field order, vocabularies, keys) so no other module parses
descriptor dictionaries by hand.
"""

from __future__ import annotations

from functools import cached_property

#: A field whose pattern is exactly this is an ISO 8601 partial date (YYYY, YYYY-MM or YYYY-MM-DD).
PARTIAL_DATE_PATTERN = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"


class Field:
    def __init__(self, descriptor: dict):
        self.descriptor = descriptor
        self.name: str = descriptor.get("name", "")
        self.type: str = descriptor.get("type", "string") or "string"
        self.description: str = descriptor.get("description", "") or ""
        self.constraints: dict = descriptor.get("constraints", {}) or {}

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def unique(self) -> bool:
        return bool(self.constraints.get("unique"))

    @property
    def pattern(self) -> str | None:
        return self.constraints.get("pattern")

    @property
    def vocabulary(self) -> list[str] | None:
        """Allowed values from v2 ``categories`` or the ``enum`` constraint."""
        cats = self.descriptor.get("categories")
        if cats is not None:
            return [c["value"] if isinstance(c, dict) else c for c in cats]
        enum = self.constraints.get("enum")
        return list(enum) if enum is not None else None

    @property
    def labels(self) -> dict[str, str]:
        cats = self.descriptor.get("categories") or []
        return {c["value"]: c.get("label", "") for c in cats if isinstance(c, dict)}

    @property
    def preserve_whitespace(self) -> bool:
        return bool(self.descriptor.get("x-preserveWhitespace"))

    @property
    def is_partial_date(self) -> bool:
        return self.type == "string" and self.pattern == PARTIAL_DATE_PATTERN


class TableSchema:
    def __init__(self, descriptor: dict):
        self.descriptor = descriptor

    @cached_property
    def fields(self) -> list[Field]:
        return [Field(f) for f in self.descriptor.get("fields", []) if isinstance(f, dict)]

    @cached_property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def missing_values(self) -> list[str]:
        return list(self.descriptor.get("missingValues", [""]))

    @property
    def primary_key(self) -> list[str]:
        pk = self.descriptor.get("primaryKey") or []
        return [pk] if isinstance(pk, str) else list(pk)

    @property
    def unique_keys(self) -> list[list[str]]:
        return [list(k) for k in self.descriptor.get("uniqueKeys", [])]

    @property
    def foreign_keys(self) -> list[dict]:
        out = []
        for fk in self.descriptor.get("foreignKeys", []):
            fields = fk["fields"]
            ref = fk["reference"]
            rfields = ref["fields"]
            out.append({
                "fields": [fields] if isinstance(fields, str) else list(fields),
                "resource": ref.get("resource", ""),
                "reference_fields": [rfields] if isinstance(rfields, str) else list(rfields),
            })
        return out

    @property
    def anchor_field(self) -> str | None:
        """Name of the verbatim field anchored by start/end/prefix/suffix, if any."""
        return self.descriptor.get("x-anchor")
