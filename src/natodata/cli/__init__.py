"""The ``natodata`` command line: a thin layer over the library.

Heavy imports (pandas, pandera, frictionless) happen inside the commands, so
``natodata --help`` stays instant. Library errors become ``Error: …`` and an exit code at
one edge, :mod:`natodata.cli.edge`: 0 ok, 1 invalid or refused, 2 usage error or
unreadable input.

The application and its entry point are :mod:`natodata.cli.app`; the commands, by
concern, in the order ``--help`` lists them: :mod:`~natodata.cli.validate`,
:mod:`~natodata.cli.edit` (fmt, anchor, add-source), :mod:`~natodata.cli.analyse` (agree,
stats, claims), :mod:`~natodata.cli.docs` (codebook, docs), :mod:`~natodata.cli.outputs`
(export, serve, view, timeline) and :mod:`~natodata.cli.release` (publish, diff).
"""

from __future__ import annotations

from .app import app, main

# Each module registers its commands on ``app``; --help lists them in this order.
# isort: off
from . import validate  # noqa: F401, E402
from . import edit  # noqa: F401, E402
from . import analyse  # noqa: F401, E402
from . import docs  # noqa: F401, E402
from . import outputs  # noqa: F401, E402
from . import release  # noqa: F401, E402
# isort: on

__all__ = ["app", "main"]
