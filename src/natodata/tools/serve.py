"""``serve``: build the SQLite database and its metadata, then run Datasette on them
(the ``serve`` extra: ``pip install 'natodata[serve]'``)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import UsageError
from .export import export_sqlite

DATABASE = "natodata"


def build(root: Path, directory: Path) -> tuple[Path, Path]:
    """Write ``natodata.db`` and ``metadata.json`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    db, meta = directory / f"{DATABASE}.db", directory / "metadata.json"
    export_sqlite(root, db, meta)
    return db, meta


def datasette_command(db: Path, meta: Path, host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(meta), "--host", host,
            "--port", str(port)]


def serve(root: Path, host: str, port: int, directory: Path | None, announce=print) -> int:
    """Build the database (in ``directory``, or a temporary one removed afterwards) and
    serve it with Datasette until it stops; return Datasette's exit code."""
    if importlib.util.find_spec("datasette") is None:
        raise UsageError("natodata serve needs Datasette: pip install 'natodata[serve]'")
    with tempfile.TemporaryDirectory(prefix="natodata-serve-") as tmp:
        db, meta = build(root, directory or Path(tmp))
        announce(f"serving {db} at http://{host}:{port}/{DATABASE} (Ctrl-C stops)")
        try:
            return subprocess.run(datasette_command(db, meta, host, port)).returncode
        except KeyboardInterrupt:  # Datasette got the same interrupt and stops too
            return 0
