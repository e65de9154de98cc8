"""Every kind of change between two packages, defined once: its stable kebab-case name,
the bump it requires and what it means.

:mod:`natodata.release.diff` says *what* changed, one ``Change`` per change with a
:class:`ChangeKind`; the bump rules follow the `Data Package Version
<https://datapackage.org/recipes/data-package-version/>`_ recipe with one deliberate
departure the project chose: an *optional* field added is a minor change (the recipe calls
every added field major). ``natodata docs`` renders the table of kinds in docs/cli.md from
this enum.
"""

from __future__ import annotations

from enum import StrEnum

from .versioning import Bump


class ChangeKind(StrEnum):
    """A kind of change; each member carries the bump it requires and a description."""

    bump: Bump
    description: str

    def __new__(cls, value: str, bump: Bump, description: str) -> ChangeKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.bump = bump
        member.description = description
        return member

    # the package
    PACKAGE_RENAMED = "package-renamed", Bump.MAJOR, "the package's `name` changed"
    LICENSE_CHANGED = "license-changed", Bump.MAJOR, "the package's `licenses` changed"
    METADATA_CHANGED = "metadata-changed", Bump.PATCH, "another property of the package metadata changed"
    # resources
    RESOURCE_ADDED = "resource-added", Bump.MINOR, "a table was added"
    RESOURCE_REMOVED = "resource-removed", Bump.MAJOR, "a table was removed"
    RESOURCE_FORMAT_CHANGED = (
        "resource-format-changed",
        Bump.MAJOR,
        "how a table's file is read changed (type, scheme, format, mediatype, encoding, dialect)",
    )
    RESOURCE_MOVED = "resource-moved", Bump.PATCH, "a table's `path` changed"
    RESOURCE_METADATA_CHANGED = "resource-metadata-changed", Bump.PATCH, "another property of a resource changed"
    # schemas
    FIELD_ADDED = "field-added", Bump.MINOR, "an optional field was added"
    REQUIRED_FIELD_ADDED = "required-field-added", Bump.MAJOR, "a required field was added"
    FIELD_REMOVED = "field-removed", Bump.MAJOR, "a field was removed"
    FIELD_RENAMED = (
        "field-renamed",
        Bump.MAJOR,
        "a field was renamed (removed and added at the same position, same type)",
    )
    FIELD_RETYPED = (
        "field-retyped",
        Bump.MAJOR,
        "a field's type, or a property that changes how its text is read (format, missingValues…), changed",
    )
    FIELDS_REORDERED = "fields-reordered", Bump.MAJOR, "the fields kept on both sides are in another order"
    CONSTRAINT_TIGHTENED = (
        "constraint-tightened",
        Bump.MAJOR,
        "a constraint, vocabulary, unique key or foreign key can now reject a value that was valid",
    )
    CONSTRAINT_RELAXED = (
        "constraint-relaxed",
        Bump.MINOR,
        "a constraint, vocabulary, unique key or foreign key now accepts more values",
    )
    PRIMARY_KEY_CHANGED = "primary-key-changed", Bump.MAJOR, "the primary key changed"
    REFERENCE_UPDATED = "reference-updated", Bump.MINOR, "a foreign key now refers to another table or fields"
    MISSING_VALUES_CHANGED = "missing-values-changed", Bump.MAJOR, "the schema's `missingValues` changed"
    FIELD_METADATA_CHANGED = (
        "field-metadata-changed",
        Bump.PATCH,
        "a field's description, title or other metadata changed",
    )
    SCHEMA_METADATA_CHANGED = "schema-metadata-changed", Bump.PATCH, "another property of a Table Schema changed"
    # rows, by primary key. Removing or re-keying rows changes the data, not its shape: the
    # recipe counts corrections of existing data as backwards compatible. An erratum that
    # drops a row is minor, not major; the release notes list every row removed or re-keyed.
    ROWS_ADDED = "rows-added", Bump.MINOR, "rows were added"
    ROWS_REMOVED = "rows-removed", Bump.MINOR, "rows were removed (an erratum; the release notes list each)"
    ROWS_REKEYED = "rows-rekeyed", Bump.MINOR, "rows kept their values under a new primary key"
    VALUES_CHANGED = "values-changed", Bump.PATCH, "values of existing rows changed"


def change_kinds_markdown() -> str:
    """The table of change kinds for docs/cli.md."""
    lines = ["| kind | bump | meaning |", "| --- | --- | --- |"]
    lines += [f"| `{k}` | {k.bump} | {k.description} |" for k in ChangeKind]
    return "\n".join(lines)
