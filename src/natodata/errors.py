"""Exception classes, and the command line's exit codes. The CLI turns each exception into
``Error: …`` and its exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The command line's exit codes, defined once: each exception's ``exit_code`` is one of
    them, and docs/cli.md's tables are generated from them (``natodata docs``)."""

    OK = 0  # the command succeeded
    FAILED = 1  # the data is invalid, or the command refused
    USAGE = 2  # a usage error, unreadable input, or an output that cannot be written


class NatodataError(Exception):
    """Base class for errors natodata reports to the user without a traceback."""

    exit_code = ExitCode.FAILED


class UnreadableInput(NatodataError):
    """The input cannot be read at all (missing descriptor, malformed JSON, missing directory)."""

    exit_code = ExitCode.USAGE


class UsageError(NatodataError):
    """A command was given arguments it cannot use (an unknown output format, say)."""

    exit_code = ExitCode.USAGE


class AnchorError(NatodataError):
    """Anchoring refused: a verbatim text is missing from, or ambiguous in, its article."""


class PublishError(NatodataError):
    """A release cannot be published."""


class VersionError(NatodataError):
    """A version or bump given on the command line is malformed."""

    exit_code = ExitCode.USAGE


class DiffError(NatodataError):
    """Two packages cannot be compared (exit 2: exit 1 means "they differ")."""

    exit_code = ExitCode.USAGE


class PackageInvalid(PublishError):
    """Publishing refused: the package does not validate."""


class PublishedButNotTagged(PublishError):
    """The release is published, but ``--tag`` could not commit and tag it; the message
    gives the commands that finish the job."""


class AlreadyPublished(PublishError):
    """Publishing refused: the version exists; releases are immutable."""


class VersionNotGreater(PublishError):
    """Publishing refused: the version is not greater than the latest release."""


class BumpTooSmall(PublishError):
    """Publishing refused: the changes need a bigger version step."""


class NothingChanged(PublishError):
    """Publishing refused: nothing changed since the latest release."""


class ChangelogMissing(PublishError):
    """Publishing refused: CHANGELOG.md has no entry for the version."""


class UnwritableOutput(NatodataError):
    """An output cannot be written (a directory, a read-only or full disk): nothing was written."""

    exit_code = ExitCode.USAGE


class NothingToDraw(NatodataError):
    """``timeline`` or ``view`` refused: the package has no events, or no table of articles, to draw; nothing written."""


class InvalidPackage(NatodataError):
    """``load()`` or ``export`` refused: the package does not validate. ``findings`` holds
    its errors."""

    def __init__(self, message: str, findings: list | None = None):
        super().__init__(message)
        self.findings = findings or []


class NotPublished(NatodataError):
    """A version asked for (``--version``, ``load(version=…)``) is not among the releases."""


class ExportRefused(NatodataError):
    """``export`` or ``serve`` refused: a name the output cannot hold (a table name
    Datasette cannot query, or that collides with a table natodata derives); nothing written."""


class FormatRefused(NatodataError):
    """``fmt`` refused: a file has problems rewriting cannot repair; nothing written."""
