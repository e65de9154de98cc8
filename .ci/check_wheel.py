"""Run inside a fresh venv where only the built wheel is installed, from outside the
repository: natodata.load() must find the bundled package and type every table."""

import pandas as pd

import natodata
from natodata.layout import shipped_package

root = shipped_package()
assert root.name == "_package", f"loaded from {root}, not from the wheel"
tables = natodata.load()
assert len(tables) == 9, sorted(tables)
ev = tables["events"]
assert isinstance(ev["status"].dtype, pd.CategoricalDtype)
assert ev["date_earliest"].dtype.kind == "M"
assert str(tables["quotes"]["start"].dtype) == "Int64"
assert isinstance(tables["actors"]["name"].dtype, pd.StringDtype)
release = natodata.load(version="1.0.0")
assert len(release) == 9 and len(release["quotes"]) > 0, {k: len(v) for k, v in release.items()}
print(f"release 1.0.0 OK: {sum(map(len, release.values()))} rows")
print(f"wheel OK: {len(tables)} tables, {sum(map(len, tables.values()))} rows from {root}")
