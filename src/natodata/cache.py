"""An on-disk cache for verdicts that depend on an input text alone.

frictionless's metadata validation of a descriptor depends on its JSON text and on the
frictionless version, nothing else; so does its cost, about a fifth of a second per
process with the import. Each verdict is kept in a small file named by the SHA-256 of
the namespace and the text, under ``$NATODATA_CACHE_DIR``.

The cache is the command line's: ``natodata`` (:func:`natodata.cli.main`) points
``NATODATA_CACHE_DIR`` at :func:`default_dir` (``$XDG_CACHE_HOME/natodata``, else
``~/.cache/natodata``) for its own process unless it is set already. A library call
(``natodata.load()``, ``validate()``) writes nothing outside its outputs: it uses a cache
only where ``NATODATA_CACHE_DIR`` names one, which is the caller's opt-in. Set
``NATODATA_NO_CACHE=1`` to neither read nor write it. A cache that cannot be read or
written is simply not used: the verdict is computed again, never guessed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable


#: The variable naming the cache directory; unset, nothing is cached.
DIR_VAR = "NATODATA_CACHE_DIR"


def cache_dir() -> Path | None:
    """The cache directory in use: ``$NATODATA_CACHE_DIR``, or None (no cache)."""
    if os.environ.get("NATODATA_NO_CACHE", "") not in ("", "0"):
        return None
    if os.environ.get(DIR_VAR):
        return Path(os.environ[DIR_VAR])
    return None


def default_dir() -> Path:
    """Where the command line keeps its cache: ``$XDG_CACHE_HOME/natodata``, else
    ``~/.cache/natodata``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "natodata"


def cached_strings(namespace: str, text: str, compute: Callable[[], list[str]]) -> list[str]:
    """``compute()`` (a list of strings), kept under ``namespace`` and ``text``."""
    root = cache_dir()
    if root is None:
        return compute()
    digest = hashlib.sha256(f"{namespace}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    path = root / digest[:2] / f"{digest}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry.get("namespace") == namespace and isinstance(entry.get("value"), list) \
                and all(isinstance(v, str) for v in entry["value"]):
            return entry["value"]
    except (OSError, ValueError, AttributeError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"namespace": namespace, "value": value}, fh)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
    return value
