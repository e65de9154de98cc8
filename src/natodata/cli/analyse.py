"""The commands that analyse the data: ``agree``, ``stats`` and ``claims``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..formats import ClaimsFormat, TableFormat
from .app import app
from .edge import DebugOpt, OldReleaseOpt, PackageArg, ReleaseOpt, data_root, emit, guarded


@app.command()
def agree(
    coding_a: Annotated[Path, typer.Argument(help="One coding: datapackage.json or its directory.")],
    coding_b: Annotated[Path, typer.Argument(help="The other coding of the same articles.")],
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.TEXT,
    debug: DebugOpt = False,
):
    """Krippendorff's alpha per table and field between two codings of the same articles
    (anchored rows matched by their spans; actors, events and participants through the rows
    that refer to them), per field and per table, and the units only one coding has."""
    with guarded(debug):
        from ..tools.agree import agree as run, render_json, render_text

        result = run(coding_a, coding_b)
    emit(render_text(result) if format == TableFormat.TEXT else render_json(result), format)


@app.command()
def stats(
    package: PackageArg = None,
    corpus: Annotated[
        Optional[Path],
        typer.Option(
            "--corpus",
            help="Directory holding the articles; adds completeness: "
            "quotations and numbers in content, and those not accounted for.",
        ),
    ] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.TEXT,
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    debug: DebugOpt = False,
):
    """Coverage per source: the rows of each table with x-source coded from each article (a
    link table counts the distinct rows it links), and distinct statements and claims; with
    --corpus, how many of its quotations and numbers are accounted for."""
    with guarded(debug):
        from ..tools.stats import coverage, render_json, render_text

        table = coverage(data_root(package, release, version), corpus)
    emit(render_text(table) if format == TableFormat.TEXT else render_json(table), format)


@app.command()
def claims(
    package: PackageArg = None,
    format: Annotated[ClaimsFormat, typer.Option("--format", "-f", help="Output format.")] = ClaimsFormat.TEXT,
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    debug: DebugOpt = False,
):
    """Each claim (a quantity reported across sources) with its reports: source, wording,
    low/best/high values and owner, and whether the reports disagree. Exit 0, 1 if the
    package has errors or declares no claim-disagreement rule."""
    with guarded(debug):
        from ..tools.claims import RENDERERS, claims as read_claims

        found = read_claims(data_root(package, release, version))
        output = RENDERERS[format](found)
    emit(output, format)
