"""Run inside a fresh venv where only the built wheel is installed, from outside the
repository: natodata.load() must find the bundled package and read its latest data
release; the wheel carries the toolkit's own version (src/natodata/_version.py), which is
not the data's, and both licences (PEP 639)."""

import json
import subprocess
import sys
from importlib.metadata import distribution, version
from importlib.resources import files
from pathlib import Path

import pandas as pd

import natodata
from natodata.layout import published_versions, shipped_package

root = shipped_package()
assert root.name == "_package", f"loaded from {root}, not from the wheel"
latest = str(published_versions(root)[-1])
assert natodata.__version__ == version("natodata"), (natodata.__version__, version("natodata"))
meta = distribution("natodata").metadata
assert meta["License-Expression"] == "MIT AND CC-BY-4.0", meta["License-Expression"]
assert sorted(meta.get_all("License-File")) == ["LICENSE", "LICENSE-DATA"], meta.get_all("License-File")
# Package data: the JSON Schema of the x- properties, which every schema read is checked against.
assert files("natodata.model").joinpath("extensions.schema.json").is_file(), "the wheel lacks extensions.schema.json"
# and the Data Package profiles every descriptor is checked against, offline.
for profile in ("1.0/datapackage.json", "2.0/datapackage.json", "2.0/tableschema.json"):
    assert files("natodata.model").joinpath("profiles", profile).is_file(), f"the wheel lacks profiles/{profile}"
cli = Path(sys.executable).with_name("natodata")
shown = subprocess.run([cli, "--version"], capture_output=True, text=True, check=True).stdout
assert shown == f"natodata {natodata.__version__}\ndata release {latest}\n", shown
# load(version="latest") is the latest release, table for table, as named explicitly.
tables, release = natodata.load(version="latest"), natodata.load(version=latest)
declared = json.loads((root / "releases" / latest / "datapackage.json").read_text(encoding="utf-8"))["resources"]
assert sorted(tables) == sorted(r["name"] for r in declared), sorted(tables)
for name in tables:
    pd.testing.assert_frame_equal(tables[name], release[name])
working = natodata.load(version="working")
ev = working["events"]
assert isinstance(ev["status"].dtype, pd.CategoricalDtype)
assert str(working["quotes"]["start"].dtype) == "Int64"
assert isinstance(working["actors"]["name"].dtype, pd.StringDtype)
print(
    f'wheel {natodata.__version__} OK: load(version="latest") is data release {latest}, {sum(map(len, tables.values()))} rows; '
    f"working copy {sum(map(len, working.values()))} rows, from {root}"
)
