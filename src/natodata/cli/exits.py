"""What each command's exit codes mean: the one definition of docs/cli.md's "Per command"
table, which ``natodata docs`` renders from it.

A command's outcomes are exceptions of :mod:`natodata.errors`, which sit in the column of
their own ``exit_code``, and plain outcomes with the :class:`~natodata.errors.ExitCode`
the command gives them (``--check`` found a stale file, say). A note says more.
"""

from __future__ import annotations

from ..errors import (
    AlreadyPublished,
    AnchorError,
    BumpTooSmall,
    ChangelogMissing,
    DiffError,
    ExitCode,
    ExportRefused,
    FormatRefused,
    InvalidPackage,
    NatodataError,
    NothingChanged,
    NothingToDraw,
    NotPublished,
    PackageInvalid,
    PublishedButNotTagged,
    PublishError,
    UnreadableInput,
    UnwritableOutput,
    UsageError,
    VersionError,
    VersionNotGreater,
)

#: An exception, an exception with a note, or a plain outcome with its exit code.
Outcome = type[NatodataError] | tuple[type[NatodataError], str] | tuple[ExitCode, str]

FAILED = ExitCode.FAILED

#: Each command (in ``--help``'s order): what exit 0 means, and its other outcomes.
EXITS: dict[str, tuple[str, list[Outcome]]] = {
    "validate": (
        "valid (warnings allowed)",
        [
            (FAILED, "invalid: the report lists the errors"),
            UnreadableInput,
            (UsageError, "every `--format` still writes a valid document: see [ci.md](ci.md)"),
        ],
    ),
    "fmt": (
        "every file canonical, or rewritten",
        [(FAILED, "`--check` found a file to rewrite"), FormatRefused, UnreadableInput, UnwritableOutput],
    ),
    "anchor": ("anchored, files written", [AnchorError, UnreadableInput, UnwritableOutput]),
    "add-source": (
        "the source registered",
        [
            (
                NatodataError,
                "already registered by the same sha256 or name, its id taken, not in the corpus, not UTF-8, "
                "sources unreadable",
            ),
            UnreadableInput,
            UnwritableOutput,
        ],
    ),
    "agree": (
        "the agreement printed",
        [(NatodataError, "a coding cannot be read, or lacks its sources table"), UsageError, UnreadableInput],
    ),
    "stats": (
        "the table printed",
        [(InvalidPackage, "a table with `x-source` unreadable, or none declared"), NotPublished, UnreadableInput],
    ),
    "claims": (
        "the claims printed",
        [
            (NatodataError, "the package has errors, or declares no `claim-disagreement` rule"),
            NotPublished,
            UsageError,
            UnreadableInput,
        ],
    ),
    "codebook": (
        "written, or `--check`: current",
        [
            (FAILED, "`--check`: missing or stale"),
            NotPublished,
            (UsageError, "`--release` without `--output`"),
            UnreadableInput,
            UnwritableOutput,
        ],
    ),
    "docs": (
        "written, or `--check`: current",
        [(FAILED, "`--check`: a document is stale"), UnreadableInput, UnwritableOutput],
    ),
    "export": (
        "every file written",
        [
            (InvalidPackage, "unless `--no-validate`; SQLite still refuses repeated keys and missing references"),
            (
                ExportRefused,
                "a table name Datasette cannot query, SQLite's own `sqlite_…`, not a plain file name, equal to "
                "another but for case, or that of a table, view or index natodata adds, such as `claims`",
            ),
            NotPublished,
            UsageError,
            UnreadableInput,
            UnwritableOutput,
        ],
    ),
    "serve": (
        "stopped by Ctrl-C, SIGTERM or SIGHUP (Datasette stopped, its temporary directory removed)",
        [
            (InvalidPackage, "unless `--no-validate`"),
            ExportRefused,
            NotPublished,
            (FAILED, "with `--corpus`, as `view`"),
            (UsageError, "Datasette not installed"),
            UnreadableInput,
            UnwritableOutput,
        ],
    ),
    "view": (
        "the site written (whatever the findings: they are on its pages)",
        [
            (NothingToDraw, "no readable table listing the articles, `x-corpus`"),
            NotPublished,
            (UnreadableInput, "no descriptor, no corpus directory"),
            (UnwritableOutput, "`-o` names a file, or cannot be written"),
        ],
    ),
    "timeline": ("drawn", [InvalidPackage, NothingToDraw, NotPublished, UsageError, UnreadableInput, UnwritableOutput]),
    "publish": (
        "published (`--dry-run`: publishable, nothing written)",
        [
            PackageInvalid,
            AlreadyPublished,
            VersionNotGreater,
            BumpTooSmall,
            NothingChanged,
            ChangelogMissing,
            (PublishError, "nothing written"),
            (
                PublishedButNotTagged,
                "`--tag`: the release exists; the message gives the git commands that finish the job",
            ),
            VersionError,
            UnreadableInput,
        ],
    ),
    "diff": ("no change", [(FAILED, "changes (the diff is printed)"), DiffError, UnreadableInput]),
}


def _code_and_text(outcome: Outcome) -> tuple[ExitCode, str, bool]:
    """Its exit code, its text in the table, and whether it is an exception."""
    what, note = outcome if isinstance(outcome, tuple) else (outcome, "")
    if isinstance(what, ExitCode):
        return what, note, False
    return ExitCode(what.exit_code), f"`{what.__name__}`" + (f" ({note})" if note else ""), True


def exit_table_markdown(exits: dict[str, tuple[str, list[Outcome]]] = EXITS) -> str:
    """docs/cli.md's "Per command" table: a column per exit code, exceptions in their own
    code's column (comma-separated; a plain outcome is set apart by a semicolon)."""
    codes = list(ExitCode)
    lines = ["| command | " + " | ".join(str(int(c)) for c in codes) + " |", "| --- |" + " --- |" * len(codes)]
    for command, (ok, outcomes) in exits.items():
        cells: dict[ExitCode, list[tuple[str, bool]]] = {c: [] for c in codes}
        for outcome in outcomes:
            code, text, exception = _code_and_text(outcome)
            cells[code].append((text, exception))
        row = [ok]
        for code in codes[1:]:
            out = ""
            for i, (text, exception) in enumerate(cells[code]):
                if i:
                    out += ", " if exception and cells[code][i - 1][1] else "; "
                out += text
            row.append(out)
        lines.append(f"| `{command}` | " + " | ".join(row) + " |")
    return "\n".join(lines)
