"""Primary keys, unique keys and foreign keys, checked with vectorised pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..findings import Finding, display_value
from ..model.tableschema import TableSchema
from ..tables.canonical import comparable
from .frames import fast_isin
from .hints import MAX_HINTS, MAX_KEYS, did_you_mean


def _show(frame: pd.DataFrame, fields: list[str], line: int) -> str:
    return ",".join("" if pd.isna(v) else str(v) for v in frame.loc[line, fields])


def _duplicated(sub: pd.DataFrame) -> np.ndarray:
    """``sub.duplicated(keep="first")``. When the rows are already sorted by these fields, as
    in a canonical file, a row can only repeat the one just before it: no hashing needed."""
    if len(sub) > 1 and not sub.isna().to_numpy().any():
        try:
            sorted_, same = None, None  # row i <= row i + 1; row i == row i + 1
            for c in reversed(sub.columns):
                a = comparable(sub[c])
                lt, eq = np.asarray(a[:-1] < a[1:], dtype=bool), np.asarray(a[:-1] == a[1:], dtype=bool)
                sorted_ = (lt | eq) if sorted_ is None else (lt | (eq & sorted_))
                same = eq if same is None else (same & eq)
            if sorted_.all():
                return np.concatenate(([False], same))
        except TypeError:  # values that do not compare; hash them below
            pass
    return sub.duplicated(keep="first").to_numpy()


def key_findings(frame: pd.DataFrame, schema: TableSchema, table: str, path: str) -> list[Finding]:
    out: list[Finding] = []
    keys = []
    if schema.primary_key:
        keys.append(("primary-key", schema.primary_key))
    keys += [("unique-key", k) for k in schema.unique_keys]
    for kind, fields in keys:
        if not all(f in frame.columns for f in fields):
            continue
        sub = frame[fields]
        if kind == "unique-key":
            sub = sub[sub.notna().all(axis=1)]  # v2: rows with a blank key field are exempt
        dup = _duplicated(sub)
        for line in sub.index[dup]:
            value = _show(frame, fields, line)
            out.append(
                Finding(
                    kind,
                    f"{'primary key' if kind == 'primary-key' else 'unique key'} ({', '.join(fields)}) = ({value}) is already used on an earlier row",
                    table=table,
                    path=path,
                    line=int(line),
                    field=",".join(fields),
                    value=value,
                )
            )
    return out


def foreign_key_findings(
    tables: dict[str, pd.DataFrame],
    schemas: dict[str, TableSchema],
    paths: dict[str, str],
    resources: set[str] | None = None,
) -> list[Finding]:
    """Every reference without a matching row. ``resources``, the package's resource names:
    a reference to a resource not among them is a schema-error, reported by the
    descriptor checks, not here."""
    out: list[Finding] = []
    for table, schema in schemas.items():
        child = tables.get(table)
        if child is None:
            continue
        for fk in schema.foreign_keys:
            fields, parent_name, rfields = fk["fields"], fk["resource"] or table, fk["reference_fields"]
            parent = tables.get(parent_name)
            if not all(f in child.columns for f in fields):
                continue
            if (resources is not None and parent_name not in resources) or (
                parent_name in schemas and not all(f in schemas[parent_name].field_names for f in rfields)
            ):
                continue  # a reference to a resource or field the package lacks: a schema-error
            if parent is None or not all(f in parent.columns for f in rfields):
                out.append(
                    Finding(
                        "foreign-key",
                        f"foreign key ({', '.join(fields)}) refers to {parent_name}({', '.join(rfields)}), which could not be read",
                        table=table,
                        path=paths[table],
                        field=",".join(fields),
                        depends_on=parent_name,
                    )
                )
                continue
            sub = child[fields]
            sub = sub[sub.notna().all(axis=1)]
            if parent_name not in schemas:  # a table without a schema: its values are text
                sub = sub.apply(lambda col: col.map(display_value)).astype("str")
            if len(fields) == 1:
                ok = fast_isin(sub[fields[0]], parent[rfields[0]].dropna())
            else:
                target = pd.MultiIndex.from_frame(parent[rfields])
                ok = pd.Series(pd.MultiIndex.from_frame(sub).isin(target), index=sub.index)
            missing = sub.index[~ok.to_numpy()]
            keys = (
                parent[rfields[0]].dropna().astype(str).unique().tolist() if len(fields) == 1 and len(missing) else []
            )
            for n, line in enumerate(missing):
                value = _show(child, fields, line)
                hint = did_you_mean(value, keys) if keys and len(keys) <= MAX_KEYS and n < MAX_HINTS else ""
                out.append(
                    Finding(
                        "foreign-key",
                        f"({', '.join(fields)}) = ({value}) has no match in {parent_name}({', '.join(rfields)}){hint}",
                        table=table,
                        path=paths[table],
                        line=int(line),
                        field=",".join(fields),
                        value=value,
                    )
                )
    return out
