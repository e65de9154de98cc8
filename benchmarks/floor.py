#!/usr/bin/env python3
"""The floor: pyarrow reading every CSV of a package into memory, and nothing else.

    python benchmarks/floor.py PKG

``pyarrow.csv.read_csv`` with its defaults (type inference, all CPUs), each file kept in
memory until the end, as a validator that reads everything first would. run.py times it
as a subprocess, like the validators, so start-up (Python, pyarrow) is included.
"""

import sys
from pathlib import Path

import pyarrow.csv as pacsv

tables = [pacsv.read_csv(p) for p in sorted((Path(sys.argv[1]) / "data").glob("*.csv"))]
print(f"read {len(tables)} files, {sum(t.num_rows for t in tables)} rows")
