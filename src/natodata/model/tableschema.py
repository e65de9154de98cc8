"""A thin, read-only view of one Table Schema descriptor (the JSON in ``schemas/``):
:class:`TableSchema`, its :class:`Field` s, and the :class:`Anchor` and :class:`Corpus`
its ``x-anchor`` and ``x-corpus`` declare.

The JSON files are the one definition of every field; these classes only answer
questions about them (field order, vocabularies, keys, and the ``x-`` properties that
switch natodata's own rules on). They assume a schema that passed the gate of
:mod:`natodata.model.schemacheck`, which checks the shapes they read. The ``x-``
properties are defined by ``extensions.schema.json`` (checked by
:mod:`natodata.model.extensions`) and documented in docs/validate.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from .extensions import anchor_spec


def _missing_texts(values: list) -> list[str]:
    return [v["value"] if isinstance(v, dict) else v for v in values]


class Field:
    def __init__(self, descriptor: dict):
        self.descriptor = descriptor
        self.name: str = descriptor.get("name", "")
        self.type: str = descriptor.get("type", "any")  # v2: a field without a type is "any"
        self.description: str = descriptor.get("description", "") or ""
        self.constraints: dict = descriptor.get("constraints", {}) or {}

    @property
    def missing_values(self) -> list[str] | None:
        """The field's own ``missingValues`` (v2), which replace the schema's; None if unset."""
        mv = self.descriptor.get("missingValues")
        return None if mv is None else _missing_texts(mv)

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
        """``x-preserveWhitespace``: surrounding whitespace is content, not a typo."""
        return bool(self.descriptor.get("x-preserveWhitespace"))

    @property
    def is_partial_date(self) -> bool:
        """``x-partialDate``: an ISO 8601 partial date (YYYY, YYYY-MM or YYYY-MM-DD) in a string field."""
        return self.type == "string" and bool(self.descriptor.get("x-partialDate"))

    @property
    def precision_field(self) -> str | None:
        """``x-precision``: the field stating this partial date's precision (year, month or day)."""
        return self.descriptor.get("x-precision")

    @property
    def code_list(self) -> str | None:
        """``x-codeList``: the code list every value must belong to (see :data:`natodata.checks.columns.CODE_LISTS`)."""
        return self.descriptor.get("x-codeList")

    @property
    def as_written(self) -> bool:
        """``x-asWritten``: the value is printed exactly so in the article of the row's source."""
        return bool(self.descriptor.get("x-asWritten"))


@dataclass(frozen=True)
class Anchor:
    """``x-anchor``: a verbatim field and the fields that locate it in its article."""

    text: str
    start: str
    end: str
    prefix: str
    suffix: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.text, self.start, self.end, self.prefix, self.suffix)


@dataclass(frozen=True)
class Corpus:
    """``x-corpus``: this table lists the articles; the primary key is the source id."""

    file: str
    sha256: str
    published: str | None = None


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
        """The texts that mean "no value" (v1 strings or v2 ``{"value", "label"}`` objects)."""
        return _missing_texts(self.descriptor.get("missingValues", [""]))

    @property
    def fields_match(self) -> str:
        """v2 ``fieldsMatch``: how the header must match the fields (see natodata.tables.header)."""
        return self.descriptor.get("fieldsMatch", "exact")

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
            out.append(
                {
                    "fields": [fields] if isinstance(fields, str) else list(fields),
                    "resource": ref.get("resource", ""),
                    "reference_fields": [rfields] if isinstance(rfields, str) else list(rfields),
                }
            )
        return out

    def reference(self, field: str) -> str | None:
        """The table a single-field foreign key on ``field`` points to ("" for this table)."""
        return next((fk["resource"] for fk in self.foreign_keys if fk["fields"] == [field]), None)

    @cached_property
    def anchor(self) -> Anchor | None:
        spec = self.descriptor.get("x-anchor")
        return Anchor(**anchor_spec(spec)) if spec is not None else None

    @cached_property
    def verbatim_fields(self) -> frozenset[str]:
        """Fields holding the article's own characters: the anchored text with its prefix
        and suffix, and fields marked ``x-asWritten``."""
        a = self.anchor
        anchored = {a.text, a.prefix, a.suffix} if a is not None else set()
        return frozenset(anchored | {f.name for f in self.fields if f.as_written})

    @property
    def source_field(self) -> str | None:
        """``x-source``: the field naming the article each row is taken from."""
        return self.descriptor.get("x-source")

    @cached_property
    def corpus(self) -> Corpus | None:
        spec = self.descriptor.get("x-corpus")
        return Corpus(**spec) if isinstance(spec, dict) else None

    @property
    def cell_checks(self) -> frozenset[str]:
        """``x-cellChecks``: the generic cell checks this table opts into, by finding type
        (surrounding-whitespace, control-character, formula-injection)."""
        return frozenset(self.descriptor.get("x-cellChecks", []))

    @property
    def checks(self) -> list[dict]:
        """``x-checks``: the domain rules this table opts into, each ``{"rule": type, ...parameters}``."""
        return [c for c in self.descriptor.get("x-checks", []) if isinstance(c, dict)]


def corpus_table(schemas: Mapping[str, TableSchema | None]) -> str | None:
    """The table that lists the articles: the first whose schema has ``x-corpus`` (None if
    none has). ``schemas`` maps table names to their schemas, None for a table without one."""
    return next((name for name, s in schemas.items() if s is not None and s.corpus is not None), None)
