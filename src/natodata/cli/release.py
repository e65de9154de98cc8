"""The commands of data releases: ``publish`` and ``diff``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import ExitCode
from ..formats import TableFormat
from .app import app
from .edge import CorpusOpt, DebugOpt, OldReleaseOpt, PackageArg, emit, guarded, release_choice, say


class BumpChoice(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    PATCH = "patch"


@app.command()
def publish(
    package: PackageArg = None,
    release: Annotated[
        Optional[str],
        typer.Option("--release", metavar="X.Y.Z", show_default=False, help="The data release to publish: X.Y.Z."),
    ] = None,
    bump: Annotated[
        Optional[BumpChoice], typer.Option("--bump", help="Publish the next version after the latest release.")
    ] = None,
    corpus: CorpusOpt = None,
    tag: Annotated[
        bool,
        typer.Option(
            "--tag", help="Commit the release, CITATION.cff and the new version, and tag the commit data-vX.Y.Z."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Run every check and print what would be written; write nothing.")
    ] = False,
    debug: DebugOpt = False,
    old_version: OldReleaseOpt = None,
):
    """Publish an immutable release in releases/X.Y.Z and an archive in dist/, after validating
    everything, provenance included (--corpus is required), from a clean git checkout.
    The release, its archive, CITATION.cff, the descriptor's version and the codebook change
    together or not at all. Exit 0 published (or, with --dry-run, publishable), 1 refused
    (nothing written), 2 usage error or unreadable input."""
    with guarded(debug):
        from ..release.publish import publish as run
        from ..tools.docs import release_documents

        rel = run(
            package,
            version=release_choice(release, old_version),
            bump=None if bump is None else str(bump),
            corpus=corpus,
            tag=tag,
            dry_run=dry_run,
            documents=release_documents(),
        )
    how = (
        "first release"
        if rel.previous is None
        else f"{rel.step} step from {rel.previous}; the changes require {rel.required}"
    )
    if dry_run:
        say(f"would publish {rel.path} ({how}): {len(rel.files)} files, created {rel.created}")
        for name, size in rel.sizes.items():
            say(f"  {rel.path / name}: {size} bytes")
        say(f"would write {rel.archive}: {rel.archive_bytes} bytes, sha256 {rel.archive_sha256}")
        say(f"would update {', '.join(rel.updates)}")
        if tag:
            say(f"would commit and tag v{rel.version}")
        say("nothing written (--dry-run)")
        return
    say(f"published {rel.path} ({how}): {len(rel.files)} files, created {rel.created}")
    say(f"archive {rel.archive}: {rel.archive_bytes} bytes, sha256 {rel.archive_sha256}")
    if tag:
        from ..release.versioning import data_tag

        say(f"committed and tagged {data_tag(rel.version)}")


@app.command()
def diff(
    old: Annotated[
        str, typer.Argument(help="A published version (X.Y.Z, in releases/) or a package path.", show_default=False)
    ],
    new: Annotated[str, typer.Argument(help="A published version or a package path.", show_default=False)],
    package: Annotated[
        Optional[Path],
        typer.Option(
            "--package",
            "-p",
            help="The package whose releases/ a version names [default: current directory].",
            show_default=False,
        ),
    ] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.TEXT,
    debug: DebugOpt = False,
):
    """Compare two packages: rows added, removed and changed by primary key, schema changes,
    and the version bump they require. Exit 0 no change, 1 changes, 2 usage error or unreadable input."""
    with guarded(debug):
        from ..release.diff import diff_packages, resolve_side
        from ..release.diff_report import render_diff

        result = diff_packages(resolve_side(old, package), resolve_side(new, package), old, new)
    emit(render_diff(result, format), format)
    raise typer.Exit(ExitCode.FAILED if result.has_changes else ExitCode.OK)
