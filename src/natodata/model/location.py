"""Where a package's descriptor is: ``datapackage.json`` in the package directory.

The lowest piece of the layout (:mod:`natodata.layout` adds the published releases beside
it), here because reading the descriptor (:mod:`natodata.model.descriptor`) needs it. No
heavy imports: ``natodata --version`` reads it.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UnreadableInput

DESCRIPTOR = "datapackage.json"


def locate(path: Path | str | None) -> Path:
    """Accept a package directory or a descriptor file; return the descriptor path.
    Raises UnreadableInput if ``path`` does not exist, or is a directory without a
    descriptor: a mistyped path never falls back to a parent directory."""
    p = Path(path) if path is not None else Path.cwd()
    if p.is_dir():
        p = p / DESCRIPTOR
        # Anything there (a device, a FIFO, a dangling link) is found; reading it says
        # what is wrong with it (natodata.safeio).
        if not os.path.lexists(p):
            raise UnreadableInput(f"data package descriptor not found: {p}")
    elif not os.path.lexists(p):
        raise UnreadableInput(f"data package descriptor not found: {p}")
    return p
