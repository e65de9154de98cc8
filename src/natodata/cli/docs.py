"""The commands that generate documents: ``codebook`` and ``docs``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import ExitCode
from .app import app
from .edge import DebugOpt, OldReleaseOpt, PackageArg, ReleaseOpt, data_root, guarded, say, write_or_check


@app.command()
def codebook(
    package: PackageArg = None,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            help="Where to write [default: docs/CODEBOOK.md in the package directory; with --release X.Y.Z, required].",
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the file is missing or stale.")
    ] = False,
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    debug: DebugOpt = False,
):
    """Generate the codebook (every table and field, vocabularies and examples) from the schemas."""
    with guarded(debug):
        from ..atomic import recover
        from ..errors import UsageError
        from ..model.location import locate
        from ..tools.codebook import codebook_text
        from ..tools.docs import CODEBOOK_DOC

        root = data_root(package, release, version)
        here = locate(package).parent
        if output is None and root != here:  # a release's codebook never overwrites the working copy's
            raise UsageError(
                f"give --output FILE for the codebook of {root}: the default, docs/CODEBOOK.md, is the working copy's"
            )
        if not check:
            recover(here)  # a write a killed run left half done: finished first
        text = codebook_text(root)
        write_or_check(output or root / CODEBOOK_DOC, text, check, "codebook", here)


@app.command()
def docs(
    package: PackageArg = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a generated document is stale.")
    ] = False,
    debug: DebugOpt = False,
):
    """Regenerate every generated document: docs/CODEBOOK.md, the finding-type and x- property tables in docs/validate.md
    and the exception table in docs/cli.md."""
    with guarded(debug):
        from ..atomic import recover, write_files
        from ..model.location import locate
        from ..tools.codebook import codebook_text
        from ..tools.docs import CLI_DOC, CODEBOOK_DOC, VALIDATE_DOC, cli_doc, validate_doc
        from .exits import exit_table_markdown

        root = locate(package).parent
        if not check:
            recover(root)  # a write a killed run left half done: finished first
        documents = {
            root / CODEBOOK_DOC: codebook_text(root),
            root / VALIDATE_DOC: validate_doc(root / VALIDATE_DOC),
            root / CLI_DOC: cli_doc(root / CLI_DOC, exit_table_markdown()),
        }
        if not check:  # all or none
            for out in write_files({out: text.encode("utf-8") for out, text in documents.items()}, home=root):
                say(f"wrote {out}")
            return
        stale = 0
        for out, text in documents.items():
            try:
                write_or_check(out, text, check, "docs")
            except typer.Exit:
                stale += 1
        if stale:
            raise typer.Exit(ExitCode.FAILED)
