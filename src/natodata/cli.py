"""The ``natodata`` command line: a thin layer over the library.

Heavy imports (pandas, pandera, frictionless) happen inside the commands, so
``natodata --help`` stays instant. Library errors become ``Error: …`` and an exit code:
0 ok, 1 invalid or refused, 2 usage error or unreadable input.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperCommand

from .errors import NatodataError
from .escape import json_safe, printable_lines
from .formats import ClaimsFormat, ReportFormat, TableFormat

app = typer.Typer(
    name="natodata",
    help="Validate, format, anchor and publish the natodata dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help and usage errors: CI logs and pipes get no boxes
)


class BumpChoice(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    PATCH = "patch"


PackageArg = Annotated[Optional[Path], typer.Argument(help="datapackage.json or its directory [default: current directory]", show_default=False)]
CorpusOpt = Annotated[Optional[Path], typer.Option("--corpus", help="Directory holding the articles; enables provenance checks.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback on unexpected errors.")]
#: The one choice of data of every command that reads it (docs/cli.md, "Which data a command reads").
ReleaseOpt = Annotated[Optional[str], typer.Option("--release", metavar="X.Y.Z|latest|working", show_default=False,
                                                   help="Read one of the package's published releases (releases/X.Y.Z), or "
                                                        "'latest', instead of its working copy [default: working].")]
#: ``--version``, the old name of ``--release`` on these commands: kept, hidden, with a warning.
OldReleaseOpt = Annotated[Optional[str], typer.Option("--version", hidden=True, help="Deprecated: use --release.")]


def _data_root(package: Path | None, release: str | None, old: str | None) -> Path:
    """The directory a data command reads: the package named (default: the current
    directory) as it stands, or the release of *that* package that --release names."""
    from .errors import UsageError
    from .layout import resolve

    if old is not None:
        if release is not None and release != old:
            raise UsageError("give --release only: --version is its deprecated name")
        typer.echo("warning: --version is deprecated here; use --release", err=True)
        release = old
    return resolve(release, package if package is not None else Path.cwd())


@contextmanager
def guarded(debug: bool, on_error=None):
    """Turn library errors into ``Error: …`` and an exit code; keep tracebacks for --debug.
    ``on_error(message, exit_code)``, if given, reports the error on stdout too."""
    try:
        yield
    except NatodataError as exc:
        if debug:
            raise
        _fail(str(exc), exc.exit_code, on_error)
    except (KeyboardInterrupt, typer.Exit):
        raise
    except Exception as exc:  # noqa: BLE001 - the CLI edge: no traceback without --debug
        if debug:
            raise
        _fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)", 2, on_error)


def _say(text: str, err: bool = False) -> None:
    """Print a line that may hold data (a path, a name): control characters escaped."""
    typer.echo(printable_lines(text), err=err)


def _emit(text: str, fmt: str = "text") -> None:
    """Write a command's output: JSON with the characters a reader could be fooled by
    escaped as ``\\uXXXX``, anything else with every control character escaped and no
    line able to start a CI workflow command (see :mod:`natodata.escape`)."""
    sys.stdout.write(json_safe(text) if fmt == "json" else printable_lines(text))


def _fail(message: str, exit_code: int, on_error=None):
    if on_error is not None:
        on_error(message, exit_code)
    typer.echo(f"Error: {printable_lines(message)}", err=True)
    raise typer.Exit(exit_code) from None


def _error_document(fmt: ReportFormat, output_file: Path | None = None):
    """``on_error`` for a report command: the format's document of a run that could not
    check the package (see :func:`natodata.report.render_error`), on stdout or in
    ``output_file``, so CI always finds a valid report."""

    def write(message: str, exit_code: int) -> None:
        from .report import render_error

        text = render_error(fmt, message, exit_code)
        if output_file is None:
            sys.stdout.write(text)
            return
        if not text:  # text: its error line, so the file CI keeps says why
            text = f"Error: {printable_lines(message)}\n"
        try:
            from .atomic import write_files

            write_files({Path(output_file): text.encode("utf-8")})
        except NatodataError as exc:
            typer.echo(f"Error: {printable_lines(str(exc))}", err=True)

    return write


def _option_value(args: list[str], names: tuple[str, ...]) -> str | None:
    """The value of the last of ``names`` on a command line (read before it is parsed)."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        for name in names:
            if arg == name and i + 1 < len(args):
                found = args[i + 1]
            elif name.startswith("--") and arg.startswith(name + "="):
                found = arg.split("=", 1)[1]
            elif not name.startswith("--") and arg.startswith(name) and len(arg) > len(name):
                found = arg[len(name):]
    return found


class ReportCommand(TyperCommand):
    """A command whose ``--format`` promises one document of that format (on stdout, or
    in ``--output-file``): a usage error found while parsing its command line is
    reported there too."""

    def parse_args(self, ctx, args):
        fmt = _option_value(list(args), ("--format", "-f"))
        output_file = _option_value(list(args), ("--output-file", "-o"))
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:  # a usage error; typer prints it and exits 2
            if fmt in set(ReportFormat) and exc.exit_code == 2:
                _error_document(ReportFormat(fmt), None if output_file is None else Path(output_file))(exc.format_message(), 2)
            raise


def _version(value: bool) -> None:
    if value:
        from . import __version__
        from .layout import published_versions, shipped_package

        # Two versions (docs/releasing.md): the toolkit's, and the latest data release bundled with it.
        versions = published_versions(shipped_package())
        typer.echo(f"natodata {__version__}\ndata release {versions[-1] if versions else 'none (working copy only)'}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", help="Show the toolkit's version and the latest data release, and exit.", is_eager=True,
                                          callback=_version)] = False,
):
    """Validate, format, anchor and publish the natodata dataset."""


CodesOpt = "Finding types, groups or prefixes (comma-separated or repeated); replaces [tool.natodata] {key} in pyproject.toml."


@app.command(cls=ReportCommand)
def validate(
    package: PackageArg = None,
    corpus: Annotated[Optional[Path], typer.Option("--corpus", help="Directory holding the articles; enables provenance checks "
                                                   "[default: [tool.natodata] corpus, relative to its file].",
                                                   show_default=False)] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.TEXT,
    output_file: Annotated[Optional[Path], typer.Option("--output-file", "-o", metavar="FILE",
                                                        help="Write the report to FILE (whole, on every exit code) instead of stdout.",
                                                        show_default=False)] = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", metavar="CODES", help="Report only these findings. " + CodesOpt.format(key="select"),
                                                        show_default=False)] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", metavar="CODES", help="Leave these findings out. " + CodesOpt.format(key="ignore"),
                                                        show_default=False)] = None,
    strict: Annotated[Optional[bool], typer.Option("--strict/--no-strict", help="Warnings fail too (exit 1) [default: [tool.natodata] strict, else no].",
                                                   show_default=False)] = None,
    config: Annotated[Optional[Path], typer.Option("--config", metavar="FILE", help="Read [tool.natodata] from FILE instead of "
                                                   "the nearest pyproject.toml (current directory up to the repository root).",
                                                   show_default=False)] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore every configuration file.")] = False,
    debug: DebugOpt = False,
):
    """Check the package: descriptor, CSV structure, schema constraints, keys, domain rules
    and, with --corpus, provenance. Exit 0 valid, 1 invalid, 2 usage error or unreadable input.
    Every report names the configuration file it used and each finding type that file switched off."""
    with guarded(debug, _error_document(format, output_file)):
        from .runtime import prepare

        prepare()
        from .checks.validate import validate as run
        from .layout import locate
        from .report import passed, write_report
        from .selection import any_selected, resolve

        selection = resolve(Path.cwd(), select, ignore, strict, config=config, isolated=isolated)  # usage first
        descriptor = locate(package)
        if corpus is None:
            corpus = selection.corpus
        full = run(package, corpus)
        chosen = selection.apply(full)
        if corpus is None and any_selected(selection, "provenance") and _declares_provenance(descriptor):
            _say("note: provenance checks skipped: give --corpus DIR to check rows against their articles", err=True)
        for note in full.notes:
            _say(f"note: {note}", err=True)
        with _report_output(output_file) as out:
            write_report(chosen.report, format, out, strict=chosen.strict, ignored=chosen.ignored, descriptor=descriptor,
                         settings=chosen)
    raise typer.Exit(0 if passed(chosen.report, chosen.strict) else 1)


def _declares_provenance(descriptor: Path) -> bool:
    from .checks.provenance import declares_provenance
    from .model.descriptor import load_package

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
    from .atomic import Staged

    with Staged() as staged:
        with open(staged.path(output_file), "w", encoding="utf-8", newline="") as out:
            yield out
        staged.commit()


@app.command()
def fmt(
    package: PackageArg = None,
    check: Annotated[bool, typer.Option("--check", help="Change nothing; exit 1 if any file is not canonical.")] = False,
    debug: DebugOpt = False,
):
    """Rewrite the CSVs canonically: schema column order, rows sorted by primary key, LF, minimal quoting."""
    with guarded(debug):
        from .tools.fmt import format_package

        changed = format_package(package, check=check)
    verb = "would reformat" if check else "reformatted"
    for path in changed:
        _say(f"{verb} {path}")
    _say(f"{len(changed)} file{'s' * (len(changed) != 1)} {verb}" if changed else "all files canonical")
    raise typer.Exit(1 if check and changed else 0)


@app.command()
def anchor(
    package: PackageArg = None,
    corpus: Annotated[Path, typer.Option("--corpus", help="Directory holding the articles.")] = ...,
    debug: DebugOpt = False,
):
    """Fill or refresh start, end, prefix and suffix of every quote, figure and excerpt from its verbatim text."""
    with guarded(debug):
        from .tools.anchor import anchor_package

        result = anchor_package(package, corpus)
    _say(f"anchored {result.rows} rows; {result.changed_rows} changed; {len(result.changed_files)} files written")
    for path in result.changed_files:
        _say(f"wrote {path}")


@app.command("add-source")
def add_source(
    file: Annotated[Path, typer.Argument(help="The article: a UTF-8 text file in the corpus directory (or its name there).")],
    package: Annotated[Optional[Path], typer.Option("--package", help="datapackage.json or its directory [default: current directory]",
                                                    show_default=False)] = None,
    corpus: Annotated[Path, typer.Option("--corpus", help="Directory holding the articles.")] = ...,
    language: Annotated[str, typer.Option("--language", help="BCP 47 tag of the text as held.")] = "en",
    debug: DebugOpt = False,
):
    """Register an article as a new source: id, file name, sha256, and the headline, byline
    and date its head prints. Exit 1 if it is already registered."""
    with guarded(debug):
        from .tools.add_source import add_source as run, describe

        added = run(package, file, corpus, language)
    _emit(describe(added))


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
        from .tools.agree import agree as run, render_json, render_text

        result = run(coding_a, coding_b)
    _emit(render_text(result) if format == TableFormat.TEXT else render_json(result), format)


@app.command()
def stats(
    package: PackageArg = None,
    corpus: Annotated[Optional[Path], typer.Option("--corpus", help="Directory holding the articles; adds completeness: "
                                                   "quotations and numbers in content, and those not accounted for.")] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.TEXT,
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    debug: DebugOpt = False,
):
    """Coverage per source: the rows of each table with x-source coded from each article (a
    link table counts the distinct rows it links), and distinct statements and claims; with
    --corpus, how many of its quotations and numbers are accounted for."""
    with guarded(debug):
        from .tools.stats import coverage, render_json, render_text

        table = coverage(_data_root(package, release, version), corpus)
    _emit(render_text(table) if format == TableFormat.TEXT else render_json(table), format)


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
        from .tools.claims import RENDERERS, claims as read_claims

        found = read_claims(_data_root(package, release, version))
        output = RENDERERS[format](found)
    _emit(output, format)


def _write_or_check(out: Path, text: str, check: bool, command: str, home: Path | None = None) -> None:
    """Write a generated document, or with ``check`` exit 1 if the file differs."""
    from .atomic import write_files

    if check:
        if not out.is_file() or out.read_bytes() != text.encode("utf-8"):
            _say(f"{out} is stale; run natodata {command}", err=True)
            raise typer.Exit(1)
        _say(f"{out} is current")
        return
    write_files({out: text.encode("utf-8")}, home=home)
    _say(f"wrote {out}")


@app.command()
def codebook(
    package: PackageArg = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Where to write [default: docs/CODEBOOK.md in the package directory; with --release X.Y.Z, required].")] = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if the file is missing or stale.")] = False,
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    debug: DebugOpt = False,
):
    """Generate the codebook (every table and field, vocabularies and examples) from the schemas."""
    with guarded(debug):
        from .errors import UsageError
        from .layout import locate
        from .tools.codebook import codebook_text

        from .atomic import recover

        root = _data_root(package, release, version)
        here = locate(package).parent
        if output is None and root != here:  # a release's codebook never overwrites the working copy's
            raise UsageError(f"give --output FILE for the codebook of {root}: the default, docs/CODEBOOK.md, is the working copy's")
        if not check:
            recover(here)  # a write a killed run left half done: finished first
        text = codebook_text(root)
        _write_or_check(output or root / "docs" / "CODEBOOK.md", text, check, "codebook", here)


@app.command()
def docs(
    package: PackageArg = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if a generated document is stale.")] = False,
    debug: DebugOpt = False,
):
    """Regenerate every generated document: docs/CODEBOOK.md, the finding-type tables in docs/validate.md
    and the exception table in docs/cli.md."""
    with guarded(debug):
        from .layout import locate
        from .tools.codebook import codebook_text
        from .tools.docs import cli_doc, validate_doc

        from .atomic import recover, write_files

        root = locate(package).parent
        if not check:
            recover(root)  # a write a killed run left half done: finished first
        documents = {root / "docs" / "CODEBOOK.md": codebook_text(root),
                     root / "docs" / "validate.md": validate_doc(root / "docs" / "validate.md"),
                     root / "docs" / "cli.md": cli_doc(root / "docs" / "cli.md")}
        if not check:  # all or none
            for out in write_files({out: text.encode("utf-8") for out, text in documents.items()}, home=root):
                _say(f"wrote {out}")
            return
        stale = 0
        for out, text in documents.items():
            try:
                _write_or_check(out, text, check, "docs")
            except typer.Exit:
                stale += 1
        if stale:
            raise typer.Exit(1)


@app.command()
def export(
    package: PackageArg = None,
    sqlite: Annotated[Optional[Path], typer.Option("--sqlite", help="Write a SQLite database (primary and foreign keys declared) to this file; an existing file is replaced.")] = None,
    parquet: Annotated[Optional[Path], typer.Option("--parquet", help="Write one typed Parquet file per table into this directory.")] = None,
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    validate: Annotated[bool, typer.Option("--validate/--no-validate", help="Refuse a package that does not validate (exit 1).")] = True,
    metadata: Annotated[Optional[Path], typer.Option("--metadata", help="With --sqlite: also write Datasette's metadata.json (titles, licence, descriptions, labels, facets) to this file.")] = None,
    debug: DebugOpt = False,
):
    """Export the tables to SQLite (ready for Datasette) and/or Parquet: every file or none."""
    if sqlite is None and parquet is None:
        _say("Error: give --sqlite FILE and/or --parquet DIR", err=True)
        raise typer.Exit(2)
    if metadata is not None and sqlite is None:
        _say("Error: --metadata needs --sqlite FILE", err=True)
        raise typer.Exit(2)
    with guarded(debug):
        from .tools.export import export as run

        root = _data_root(package, release, version)
        written = run(root, sqlite, parquet, validate=validate, metadata=metadata)
    if sqlite is not None:
        counts = written["sqlite"]
        _say(f"wrote {sqlite}: {len(counts)} tables, {sum(counts.values())} rows")
        if metadata is not None:
            _say(f"wrote {metadata}")
    if parquet is not None:
        counts = written["parquet"]
        _say(f"wrote {parquet}/: {len(counts)} Parquet files, {sum(counts.values())} rows")


@app.command()
def serve(
    package: PackageArg = None,
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 8001,
    directory: Annotated[Optional[Path], typer.Option("--dir", help="Keep natodata.db and metadata.json in this directory [default: a temporary one].")] = None,
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    corpus: Annotated[Optional[Path], typer.Option("--corpus", help="Directory holding the articles: also serve the articles with their coded spans (natodata view) at /view/, each span linked to its row.")] = None,
    validate: Annotated[bool, typer.Option("--validate/--no-validate", help="Refuse a package that does not validate (exit 1).")] = True,
    debug: DebugOpt = False,
):
    """Build the SQLite database and its metadata and browse them in Datasette (needs the
    serve extra: pip install 'natodata[serve]'). Runs until Ctrl-C, SIGTERM or SIGHUP, which
    stop Datasette and remove the temporary directory."""
    with guarded(debug):
        from .tools.serve import serve as run

        code = run(_data_root(package, release, version), host, port, directory, _say, corpus=corpus, validate=validate)
    raise typer.Exit(code)


#: natodata view's options, defined once.
ViewCorpusOpt = Annotated[Path, typer.Option("--corpus", help="Directory holding the articles.")]


@app.command()
def view(
    package: PackageArg = None,
    corpus: ViewCorpusOpt = ...,
    output: Annotated[Path, typer.Option("--output", "-o", help="The directory to write the site into.")] = Path("site"),
    release: ReleaseOpt = None,
    version: OldReleaseOpt = None,
    debug: DebugOpt = False,
):
    """Write a static site: an index of the articles and one page per article with every
    coded row drawn on its text, and the findings of validate --corpus. Open index.html
    in a browser; nothing is fetched."""
    with guarded(debug):
        from .tools.view import build_site

        written = build_site(_data_root(package, release, version), corpus, output)
    pages = sum(p.suffix == ".html" for p in written) - 1
    _say(f"wrote {output / 'index.html'} and {pages} article page{'s' * (pages != 1)}")


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
        from .tools.load import load
        from .tools.timeline import draw, status_labels

        root = _data_root(package, release, version)
        tables = load(path=root)
        draw(tables["events"], output, labels=status_labels(root))
    _say(f"wrote {output}: {len(tables['events'])} events")


@app.command()
def publish(
    package: PackageArg = None,
    version: Annotated[Optional[str], typer.Option("--version", help="The version to publish: X.Y.Z.")] = None,
    bump: Annotated[Optional[BumpChoice], typer.Option("--bump", help="Publish the next version after the latest release.")] = None,
    corpus: CorpusOpt = None,
    tag: Annotated[bool, typer.Option("--tag", help="Commit the release, CITATION.cff and the new version, and tag the commit vX.Y.Z.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Run every check and print what would be written; write nothing.")] = False,
    debug: DebugOpt = False,
):
    """Publish an immutable release in releases/X.Y.Z and an archive in dist/, after validating
    everything, provenance included (--corpus is required), from a clean git checkout.
    The release, its archive, CITATION.cff, the descriptor's version and the codebook change
    together or not at all. Exit 0 published (or, with --dry-run, publishable), 1 refused
    (nothing written), 2 usage error or unreadable input."""
    with guarded(debug):
        from .release.publish import publish as run

        rel = run(package, version=version, bump=None if bump is None else str(bump), corpus=corpus, tag=tag,
                  dry_run=dry_run)
    how = "first release" if rel.previous is None else f"{rel.step} step from {rel.previous}; the changes require {rel.required}"
    if dry_run:
        _say(f"would publish {rel.path} ({how}): {len(rel.files)} files, created {rel.created}")
        for name, size in rel.sizes.items():
            _say(f"  {rel.path / name}: {size} bytes")
        _say(f"would write {rel.archive}: {rel.archive_bytes} bytes, sha256 {rel.archive_sha256}")
        _say(f"would update {', '.join(rel.updates)}")
        if tag:
            _say(f"would commit and tag v{rel.version}")
        _say("nothing written (--dry-run)")
        return
    _say(f"published {rel.path} ({how}): {len(rel.files)} files, created {rel.created}")
    _say(f"archive {rel.archive}: {rel.archive_bytes} bytes, sha256 {rel.archive_sha256}")
    if tag:
        from .release.versioning import data_tag

        _say(f"committed and tagged {data_tag(rel.version)}")


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="A published version (X.Y.Z, in releases/) or a package path.", show_default=False)],
    new: Annotated[str, typer.Argument(help="A published version or a package path.", show_default=False)],
    package: Annotated[Optional[Path], typer.Option("--package", "-p", help="The package whose releases/ a version names [default: current directory].", show_default=False)] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.TEXT,
    debug: DebugOpt = False,
):
    """Compare two packages: rows added, removed and changed by primary key, schema changes,
    and the version bump they require. Exit 0 no change, 1 changes, 2 usage error or unreadable input."""
    with guarded(debug):
        from .release.diff import diff_packages, resolve_side
        from .release.diff_report import render_diff

        result = diff_packages(resolve_side(old, package), resolve_side(new, package), old, new)
    _emit(render_diff(result, format), format)
    raise typer.Exit(1 if result.has_changes else 0)


def main() -> None:  # console-script entry point
    """Run the CLI, then leave the process at once, as mypy does: once the output is
    flushed, tearing down pandas, pyarrow and every module would only cost time (about
    0.1 s). Tests call ``app`` itself, which returns normally.

    The verdict cache (natodata.cache) is the command line's: this process uses the
    default one unless ``NATODATA_CACHE_DIR`` names another; the library alone caches
    nothing."""
    from .cache import DIR_VAR, default_dir

    if not os.environ.get(DIR_VAR):
        os.environ[DIR_VAR] = str(default_dir())
    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: there is nothing left to say
        code = code or 1
    os._exit(code)
