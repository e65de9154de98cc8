"""``natodata validate``: check a package and report its findings."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import ExitCode, NatodataError
from ..formats import ReportFormat
from .app import app
from .edge import DebugOpt, PackageArg, ReportCommand, error_document, guarded, say

CodesOpt = (
    "Finding types, groups or prefixes (comma-separated or repeated); replaces [tool.natodata] {key} in pyproject.toml."
)


@app.command(cls=ReportCommand)
def validate(
    package: PackageArg = None,
    corpus: Annotated[
        Optional[Path],
        typer.Option(
            "--corpus",
            help="Directory holding the articles; enables provenance checks "
            "[default: [tool.natodata] corpus, relative to its file].",
            show_default=False,
        ),
    ] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.TEXT,
    output_file: Annotated[
        Optional[Path],
        typer.Option(
            "--output-file",
            "-o",
            metavar="FILE",
            help="Write the report to FILE (whole, on every exit code) instead of stdout.",
            show_default=False,
        ),
    ] = None,
    select: Annotated[
        Optional[list[str]],
        typer.Option(
            "--select",
            metavar="CODES",
            help="Report only these findings. " + CodesOpt.format(key="select"),
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        Optional[list[str]],
        typer.Option(
            "--ignore",
            metavar="CODES",
            help="Leave these findings out. " + CodesOpt.format(key="ignore"),
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        Optional[bool],
        typer.Option(
            "--strict/--no-strict",
            help="Warnings fail too (exit 1) [default: [tool.natodata] strict, else no].",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Optional[Path],
        typer.Option(
            "--config",
            metavar="FILE",
            help="Read [tool.natodata] from FILE instead of "
            "the nearest pyproject.toml (current directory up to the repository root).",
            show_default=False,
        ),
    ] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore every configuration file.")] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            metavar="N",
            help="Check tables in up to N processes at once (at most one per CPU; one under "
            "64 MiB of CSV). The report is the same.",
        ),
    ] = 1,
    debug: DebugOpt = False,
):
    """Check the package: descriptor, CSV structure, schema constraints, keys, domain rules
    and, with --corpus, provenance. Exit 0 valid, 1 invalid, 2 usage error or unreadable input.
    Every report names the configuration file it used and each finding type that file switched off."""
    with guarded(debug, error_document(format, output_file)):
        from ..runtime import prepare

        prepare()
        from ..checks.validate import validate as run
        from ..model.location import locate
        from ..report import passed, write_report
        from ..selection import any_selected, resolve

        selection = resolve(Path.cwd(), select, ignore, strict, config=config, isolated=isolated)  # usage first
        descriptor = locate(package)
        if corpus is None:
            corpus = selection.corpus
        full = run(package, corpus, workers=workers)
        chosen = selection.apply(full)
        if corpus is None and any_selected(selection, "provenance") and _declares_provenance(descriptor):
            say("note: provenance checks skipped: give --corpus DIR to check rows against their articles", err=True)
        for note in full.notes:
            say(f"note: {note}", err=True)
        with _report_output(output_file) as out:
            write_report(
                chosen.report,
                format,
                out,
                strict=chosen.strict,
                ignored=chosen.ignored,
                descriptor=descriptor,
                settings=chosen,
            )
    raise typer.Exit(ExitCode.OK if passed(chosen.report, chosen.strict) else ExitCode.FAILED)


def _declares_provenance(descriptor: Path) -> bool:
    from ..checks.provenance import declares_provenance
    from ..model.descriptor import load_package

    try:
        return declares_provenance(load_package(descriptor))
    except NatodataError:  # read once already; the report says what is wrong
        return False


@contextmanager
def _report_output(output_file: Path | None):
    """stdout, or a temporary file beside ``output_file`` moved into place once the
    report is whole."""
    if output_file is None:
        yield sys.stdout
        return
    from ..atomic import Staged

    with Staged() as staged:
        with open(staged.path(output_file), "w", encoding="utf-8", newline="") as out:
            yield out
        staged.commit()
