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


#: Where the article view (natodata view) is served, beside the database.
VIEW = "view"


def datasette_command(db: Path, meta: Path, host: str, port: int, site: Path | None = None) -> list[str]:
    static = ["--static", f"{VIEW}:{site}"] if site is not None else []
    return [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(meta), "--host", host,
            "--port", str(port), *static]


def serve(root: Path, host: str, port: int, directory: Path | None, announce=print, corpus: Path | None = None) -> int:
    """Build the database (in ``directory``, or a temporary one removed afterwards) and
    serve it with Datasette until it stops; return Datasette's exit code. With ``corpus``,
    also build the article view into ``view/`` beside it, its spans linked to their rows
    in the database, and serve it at ``/view/``."""
    if importlib.util.find_spec("datasette") is None:
        raise UsageError("natodata serve needs Datasette: pip install 'natodata[serve]'")
    with tempfile.TemporaryDirectory(prefix="natodata-serve-") as tmp:
        db, meta = build(root, directory or Path(tmp))
        site = None
        if corpus is not None:
            from .view import build_site

            site = db.parent / VIEW
            build_site(root, corpus, site, datasette=f"../{DATABASE}")
        announce(f"serving {db} at http://{host}:{port}/{DATABASE} (Ctrl-C stops)")
        if site is not None:
            announce(f"the articles at http://{host}:{port}/{VIEW}/index.html")
        try:
            return subprocess.run(datasette_command(db, meta, host, port, site)).returncode
        except KeyboardInterrupt:  # Datasette got the same interrupt and stops too
            return 0
