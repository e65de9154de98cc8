"""diff names a change to the package's own metadata as such."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from natodata.cli import app
from tests.test_cli_paths import tiny_package


def test_a_metadata_change_is_package_metadata(tmp_path):
    old, new = tiny_package(tmp_path / "old"), tiny_package(tmp_path / "new")
    d = json.loads((new / "datapackage.json").read_text())
    d["sources"] = [{"title": "an article"}]
    (new / "datapackage.json").write_text(json.dumps(d))
    result = CliRunner().invoke(app, ["diff", str(old), str(new)])
    assert (result.exit_code, result.stdout) == (
        1,
        f"""\
diff {old} → {new}
package metadata
  patch  metadata-changed: package metadata 'sources' added
0 of 1 table changed; required bump: patch
""",
    )
