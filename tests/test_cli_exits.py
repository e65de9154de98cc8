"""docs/cli.md's exit codes per command: generated from natodata.errors and natodata.cli.exits."""

from __future__ import annotations

import typer.main

from natodata.cli import app
from natodata.cli.exits import EXITS, exit_table_markdown
from natodata.errors import AnchorError, ExitCode, NothingToDraw, UnreadableInput, UsageError
from natodata.tools.docs import CLI_DOC, cli_doc
from tests.helpers import ROOT


def test_every_command_has_its_exit_codes_in_the_order_help_lists_them():
    assert list(EXITS) == list(typer.main.get_group(app).commands)


def test_docs_cli_md_is_current():
    path = ROOT / CLI_DOC
    assert path.read_text(encoding="utf-8") == cli_doc(path, exit_table_markdown()), (
        "docs/cli.md is stale: run natodata docs"
    )


def test_an_exception_sits_in_the_column_of_its_own_exit_code():
    exits = {
        "x": (
            "done",
            [
                UsageError,
                (ExitCode.FAILED, "`--check`: stale"),
                AnchorError,
                (NothingToDraw, "no events"),
                (UnreadableInput, "no descriptor"),
            ],
        )
    }
    assert exit_table_markdown(exits) == (
        "| command | 0 | 1 | 2 |\n"
        "| --- | --- | --- | --- |\n"
        "| `x` | done | `--check`: stale; `AnchorError`, `NothingToDraw` (no events) | "
        "`UsageError`, `UnreadableInput` (no descriptor) |"
    )


def test_the_exit_codes_are_the_documented_three():
    assert [(c.name, int(c)) for c in ExitCode] == [("OK", 0), ("FAILED", 1), ("USAGE", 2)]
    assert (UsageError.exit_code, AnchorError.exit_code) == (ExitCode.USAGE, ExitCode.FAILED)
