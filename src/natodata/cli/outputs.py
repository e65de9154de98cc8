"""The commands that turn the data into other things: ``export``, ``serve``, ``view`` and
``timeline``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import ExitCode
from .app import app
from .edge import DebugOpt, OldReleaseOpt, PackageArg, ReleaseOpt, data_root, guarded, say


@app.command()
def export(
    package: PackageArg = None,
    sqlite: Annotated[
        Optional[Path],
        typer.Option(
            "--sqlite",
            help="Write a SQLite database (primary and foreign keys declared) to this file; an existing file is replaced.",
        ),
    ] = None,
    parquet: Annotated[
        Optional[Path], typer.Option("--parquet", help="Write one typed Parquet file per table into this directory.")
    ] = None,
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    validate: Annotated[
        bool, typer.Option("--validate/--no-validate", help="Refuse a package that does not validate (exit 1).")
    ] = True,
    metadata: Annotated[
        Optional[Path],
        typer.Option(
            "--metadata",
            help="With --sqlite: also write Datasette's metadata.json (titles, licence, descriptions, labels, facets) to this file.",
        ),
    ] = None,
    debug: DebugOpt = False,
):
    """Export the tables to SQLite (ready for Datasette) and/or Parquet: every file or none."""
    if sqlite is None and parquet is None:
        say("Error: give --sqlite FILE and/or --parquet DIR", err=True)
        raise typer.Exit(ExitCode.USAGE)
    if metadata is not None and sqlite is None:
        say("Error: --metadata needs --sqlite FILE", err=True)
        raise typer.Exit(ExitCode.USAGE)
    with guarded(debug):
        from ..tools.export import export as run

        root = data_root(package, release, version)
        written = run(root, sqlite, parquet, validate=validate, metadata=metadata)
    if sqlite is not None:
        counts = written["sqlite"]
        say(f"wrote {sqlite}: {len(counts)} tables, {sum(counts.values())} rows")
        if metadata is not None:
            say(f"wrote {metadata}")
    if parquet is not None:
        counts = written["parquet"]
        say(f"wrote {parquet}/: {len(counts)} Parquet files, {sum(counts.values())} rows")


@app.command()
def serve(
    package: PackageArg = None,
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 8001,
    directory: Annotated[
        Optional[Path],
        typer.Option("--dir", help="Keep natodata.db and metadata.json in this directory [default: a temporary one]."),
    ] = None,
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    corpus: Annotated[
        Optional[Path],
        typer.Option(
            "--corpus",
            help="Directory holding the articles: also serve the articles with their coded spans (natodata view) at /view/, each span linked to its row.",
        ),
    ] = None,
    validate: Annotated[
        bool, typer.Option("--validate/--no-validate", help="Refuse a package that does not validate (exit 1).")
    ] = True,
    debug: DebugOpt = False,
):
    """Build the SQLite database and its metadata and browse them in Datasette (needs the
    serve extra: pip install 'natodata[serve]'). Runs until Ctrl-C, SIGTERM or SIGHUP, which
    stop Datasette and remove the temporary directory."""
    with guarded(debug):
        from ..tools.serve import serve as run

        code = run(data_root(package, release, version), host, port, directory, say, corpus=corpus, validate=validate)
    raise typer.Exit(code)


#: natodata view's options, defined once.
ViewCorpusOpt = Annotated[Path, typer.Option("--corpus", help="Directory holding the articles.")]


@app.command()
def view(
    package: PackageArg = None,
    corpus: ViewCorpusOpt = ...,
    output: Annotated[Path, typer.Option("--output", "-o", help="The directory to write the site into.")] = Path(
        "site"
    ),
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    debug: DebugOpt = False,
):
    """Write a static site: an index of the articles and one page per article with every
    coded row drawn on its text, and the findings of validate --corpus. Open index.html
    in a browser; nothing is fetched."""
    with guarded(debug):
        from ..tools.view import build_site

        written = build_site(data_root(package, release, version), corpus, output)
    pages = sum(p.suffix == ".html" for p in written) - 1
    say(f"wrote {output / 'index.html'} and {pages} article page{'s' * (pages != 1)}")


@app.command()
def timeline(
    package: PackageArg = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="An .svg or .png file.")] = Path("docs/timeline.svg"),
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    debug: DebugOpt = False,
):
    """Draw the events as a timeline: spans for imprecise dates, planned events apart."""
    with guarded(debug):
        from ..tools.load import load
        from ..tools.timeline import draw, status_labels

        root = data_root(package, release, version)
        tables = load(path=root)
        draw(tables["events"], output, labels=status_labels(root))
    say(f"wrote {output}: {len(tables['events'])} events")
