"""``serve``: build the SQLite database and its metadata, then run Datasette on them
(the ``serve`` extra: ``pip install 'natodata[serve]'``).

Datasette runs as a child process. Ctrl-C (SIGINT, which the terminal sends to both),
SIGTERM and SIGHUP stop it and remove the temporary directory the database was built
in; SIGKILL cannot be caught, so on Linux the child is asked to stop when its parent dies.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import UsageError
from .export import export_sqlite

DATABASE = "natodata"
#: The signals that stop ``serve`` as Ctrl-C does.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
#: How long Datasette gets to stop before it is killed, in seconds.
GRACE = 10


def build(root: Path, directory: Path, validate: bool = True) -> tuple[Path, Path]:
    """Write ``natodata.db`` and ``metadata.json`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    db, meta = directory / f"{DATABASE}.db", directory / "metadata.json"
    export_sqlite(root, db, meta, validate=validate, override="give --no-validate")
    return db, meta


#: Where the article view (natodata view) is served, beside the database.
VIEW = "view"


def datasette_command(db: Path, meta: Path, host: str, port: int, site: Path | None = None) -> list[str]:
    static = ["--static", f"{VIEW}:{site}"] if site is not None else []
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(db),
        "--metadata",
        str(meta),
        "--host",
        host,
        "--port",
        str(port),
        *static,
    ]


class _Stop(Exception):
    """A stop signal arrived."""


def _raise_stop(signum, frame):
    raise _Stop(signum)


def _die_with_parent() -> None:
    """In the child, before Datasette starts: SIGTERM when natodata dies (Linux)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=GRACE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def serve(
    root: Path,
    host: str,
    port: int,
    directory: Path | None,
    announce=print,
    corpus: Path | None = None,
    validate: bool = True,
) -> int:
    """Build the database (in ``directory``, or a temporary one removed afterwards) and
    serve it with Datasette until it stops, or until Ctrl-C, SIGTERM or SIGHUP stops it
    (then 0); return Datasette's exit code. With ``corpus``, also build the article view
    into ``view/`` beside it, its spans linked to their rows in the database, and serve
    it at ``/view/``."""
    if importlib.util.find_spec("datasette") is None:
        raise UsageError("natodata serve needs Datasette: pip install 'natodata[serve]'")
    previous = {sig: signal.signal(sig, _raise_stop) for sig in STOP_SIGNALS}
    try:
        with tempfile.TemporaryDirectory(prefix="natodata-serve-") as tmp:
            db, meta = build(root, directory or Path(tmp), validate)
            site = None
            if corpus is not None:
                from .view import build_site

                site = db.parent / VIEW
                build_site(root, corpus, site, datasette=f"../{DATABASE}")
            announce(f"serving {db} at http://{host}:{port}/{DATABASE} (Ctrl-C stops)")
            if site is not None:
                announce(f"the articles at http://{host}:{port}/{VIEW}/index.html")
            proc = subprocess.Popen(
                datasette_command(db, meta, host, port, site),
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
            try:
                return proc.wait()
            except (KeyboardInterrupt, _Stop):  # on Ctrl-C Datasette got the same interrupt and stops too
                return 0
            finally:
                _stop(proc)
    except _Stop:  # while the database was being built: the staged files are gone already
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
