"""The commands that edit the package: ``fmt``, ``anchor`` and ``add-source``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import ExitCode
from .app import app
from .edge import DebugOpt, PackageArg, emit, guarded, say


@app.command()
def fmt(
    package: PackageArg = None,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if any file is not canonical.")
    ] = False,
    debug: DebugOpt = False,
):
    """Rewrite the CSVs canonically: schema column order, rows sorted by primary key, LF, minimal quoting."""
    with guarded(debug):
        from ..tools.fmt import format_package

        changed = format_package(package, check=check)
    verb = "would reformat" if check else "reformatted"
    for path in changed:
        say(f"{verb} {path}")
    say(f"{len(changed)} file{'s' * (len(changed) != 1)} {verb}" if changed else "all files canonical")
    raise typer.Exit(ExitCode.FAILED if check and changed else ExitCode.OK)


@app.command()
def anchor(
    package: PackageArg = None,
    corpus: Annotated[Path, typer.Option("--corpus", help="Directory holding the articles.")] = ...,
    debug: DebugOpt = False,
):
    """Fill or refresh start, end, prefix and suffix of every quote, figure and excerpt from its verbatim text."""
    with guarded(debug):
        from ..tools.anchor import anchor_package

        result = anchor_package(package, corpus)
    say(f"anchored {result.rows} rows; {result.changed_rows} changed; {len(result.changed_files)} files written")
    for path in result.changed_files:
        say(f"wrote {path}")


@app.command("add-source")
def add_source(
    file: Annotated[
        Path, typer.Argument(help="The article: a UTF-8 text file in the corpus directory (or its name there).")
    ],
    package: Annotated[
        Optional[Path],
        typer.Option(
            "--package", help="datapackage.json or its directory [default: current directory]", show_default=False
        ),
    ] = None,
    corpus: Annotated[Path, typer.Option("--corpus", help="Directory holding the articles.")] = ...,
    language: Annotated[str, typer.Option("--language", help="BCP 47 tag of the text as held.")] = "en",
    debug: DebugOpt = False,
):
    """Register an article as a new source: id, file name, sha256, and the headline, byline
    and date its head prints. Exit 1 if it is already registered."""
    with guarded(debug):
        from ..tools.add_source import add_source as run, describe

        added = run(package, file, corpus, language)
    emit(describe(added))
