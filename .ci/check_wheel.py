"""Run inside a fresh venv where only the built wheel is installed, from outside the
repository: natodata.load() must find the bundled package, read its latest release, and
the wheel's version must be that release's (one version story)."""

from importlib.metadata import version

import pandas as pd

import natodata
from natodata.layout import published_versions, shipped_package

root = shipped_package()
assert root.name == "_package", f"loaded from {root}, not from the wheel"
latest = str(published_versions(root)[-1])
assert natodata.__version__ == version("natodata") == latest, (natodata.__version__, version("natodata"), latest)
tables, release = natodata.load(), natodata.load(version=latest)
assert len(tables) == 9, sorted(tables)
for name in tables:
    pd.testing.assert_frame_equal(tables[name], release[name])
working = natodata.load(version="working")
ev = working["events"]
assert isinstance(ev["status"].dtype, pd.CategoricalDtype)
assert str(working["quotes"]["start"].dtype) == "Int64"
assert isinstance(working["actors"]["name"].dtype, pd.StringDtype)
print(f"wheel {natodata.__version__} OK: load() is release {latest}, {sum(map(len, tables.values()))} rows; "
      f"working copy {sum(map(len, working.values()))} rows, from {root}")
