#!/usr/bin/env python3
"""``natodata validate`` with one fast path switched off, for the ablation rows of run.py.

    python benchmarks/driver.py PKG --no-read-ahead
    python benchmarks/driver.py PKG --workers 1      # tables checked in one process

Sets the process up as the CLI does (:func:`natodata.runtime.prepare`), then calls
:func:`natodata.checks.validate.validate` and prints the same last line as the CLI.
"""

import argparse

from natodata.runtime import prepare

ap = argparse.ArgumentParser()
ap.add_argument("package")
ap.add_argument("--no-read-ahead", action="store_true", help="read each piece in the checking thread")
ap.add_argument("--workers", type=int, default=1, help="processes that check tables (default: 1, as validate)")
args = ap.parse_args()
prepare()
from natodata.checks.validate import validate  # noqa: E402

report = validate(args.package, read_ahead_=not args.no_read_ahead, workers=args.workers)
e, w = len(report.errors), len(report.warnings)
print(f"{'valid' if not e else 'invalid'}: {e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}")
