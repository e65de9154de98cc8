"""The ``natodata`` application: its options, and the console-script entry point.

The commands register themselves on :data:`app` (see :mod:`natodata.cli`)."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from ..errors import ExitCode

app = typer.Typer(
    name="natodata",
    help="Validate, format, anchor and publish the natodata dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help and usage errors: CI logs and pipes get no boxes
)


def _version(value: bool) -> None:
    if value:
        from .._version import __version__
        from ..layout import published_versions, shipped_package

        # Two versions (docs/releasing.md): the toolkit's, and the latest data release bundled with it.
        versions = published_versions(shipped_package())
        typer.echo(f"natodata {__version__}\ndata release {versions[-1] if versions else 'none (working copy only)'}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the toolkit's version and the latest data release, and exit.",
            is_eager=True,
            callback=_version,
        ),
    ] = False,
):
    """Validate, format, anchor and publish the natodata dataset."""


def main() -> None:  # console-script entry point
    """Run the CLI, then leave the process at once, as mypy does: once the output is
    flushed, tearing down pandas, pyarrow and every module would only cost time (about
    0.1 s). Tests call ``app`` itself, which returns normally."""
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
