"""The command line's edge: library errors become ``Error: …`` and an exit code, output
is escaped, and the options several commands share are defined once.

Heavy imports happen inside the functions that need them, so ``natodata --help`` stays
instant."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperCommand

from ..errors import ExitCode, NatodataError
from ..escape import json_safe, printable_lines
from ..formats import ReportFormat

PackageArg = Annotated[
    Optional[Path],
    typer.Argument(help="datapackage.json or its directory [default: current directory]", show_default=False),
]
CorpusOpt = Annotated[
    Optional[Path], typer.Option("--corpus", help="Directory holding the articles; enables provenance checks.")
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback on unexpected errors.")]
#: The one choice of data of every command that reads it (docs/cli.md, "Which data a command reads").
ReleaseOpt = Annotated[
    Optional[str],
    typer.Option(
        "--release",
        metavar="X.Y.Z|latest|working",
        show_default=False,
        help="Read one of the package's published releases (releases/X.Y.Z), or "
        "'latest', instead of its working copy [default: working].",
    ),
]
#: ``--version``, the old name of ``--release`` on these commands: kept, hidden, with a warning.
OldReleaseOpt = Annotated[Optional[str], typer.Option("--version", hidden=True, help="Deprecated: use --release.")]


def release_choice(release: str | None, old: str | None) -> str | None:
    """The data release a command was given: ``--release``, or its deprecated name
    ``--version`` (with a warning on stderr); both, if they differ, is a usage error."""
    from ..errors import UsageError

    if old is not None:
        if release is not None and release != old:
            raise UsageError("give --release only: --version is its deprecated name")
        typer.echo("warning: --version is deprecated here; use --release", err=True)
        release = old
    return release


def data_root(package: Path | None, release: str | None, old: str | None) -> Path:
    """The directory a data command reads: the package named (default: the current
    directory) as it stands, or the release of *that* package that --release names."""
    from ..layout import package_dir

    return package_dir(release_choice(release, old), package if package is not None else Path.cwd())


@contextmanager
def guarded(debug: bool, on_error=None):
    """Turn library errors into ``Error: …`` and an exit code; keep tracebacks for --debug.
    ``on_error(message, exit_code)``, if given, reports the error on stdout too."""
    try:
        yield
    except NatodataError as exc:
        if debug:
            raise
        fail(str(exc), exc.exit_code, on_error)
    except (KeyboardInterrupt, typer.Exit):
        raise
    except Exception as exc:  # noqa: BLE001 - the CLI edge: no traceback without --debug
        if debug:
            raise
        fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)", ExitCode.USAGE, on_error)


def say(text: str, err: bool = False) -> None:
    """Print a line that may hold data (a path, a name): control characters escaped."""
    typer.echo(printable_lines(text), err=err)


def emit(text: str, fmt: str = "text") -> None:
    """Write a command's output: JSON with the characters a reader could be fooled by
    escaped as ``\\uXXXX``, anything else with every control character escaped and no
    line able to start a CI workflow command (see :mod:`natodata.escape`)."""
    sys.stdout.write(json_safe(text) if fmt == "json" else printable_lines(text))


def fail(message: str, exit_code: int, on_error=None):
    if on_error is not None:
        on_error(message, exit_code)
    typer.echo(f"Error: {printable_lines(message)}", err=True)
    raise typer.Exit(exit_code) from None


def error_document(fmt: ReportFormat, output_file: Path | None = None):
    """``on_error`` for a report command: the format's document of a run that could not
    check the package (see :func:`natodata.report.render_error`), on stdout or in
    ``output_file``, so CI always finds a valid report."""

    def write(message: str, exit_code: int) -> None:
        from ..report import render_error

        text = render_error(fmt, message, exit_code)
        if output_file is None:
            sys.stdout.write(text)
            return
        if not text:  # text: its error line, so the file CI keeps says why
            text = f"Error: {printable_lines(message)}\n"
        try:
            from ..atomic import write_files

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
                found = arg[len(name) :]
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
            if fmt in set(ReportFormat) and exc.exit_code == ExitCode.USAGE:
                error_document(ReportFormat(fmt), None if output_file is None else Path(output_file))(
                    exc.format_message(), ExitCode.USAGE
                )
            raise


def write_or_check(out: Path, text: str, check: bool, command: str, home: Path | None = None) -> None:
    """Write a generated document, or with ``check`` exit 1 if the file differs."""
    from ..atomic import write_files

    if check:
        if not out.is_file() or out.read_bytes() != text.encode("utf-8"):
            say(f"{out} is stale; run natodata {command}", err=True)
            raise typer.Exit(ExitCode.FAILED)
        say(f"{out} is current")
        return
    write_files({out: text.encode("utf-8")}, home=home)
    say(f"wrote {out}")
