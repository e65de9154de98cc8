"""Exception classes. The CLI turns each into ``Error: …`` and an exit code."""

from __future__ import annotations


class NatodataError(Exception):
    """Base class for errors natodata reports to the user without a traceback."""

    exit_code = 1


class UnreadableInput(NatodataError):
    """The input cannot be read at all (missing descriptor, malformed JSON, missing directory)."""

    exit_code = 2


class AnchorError(NatodataError):
    """Anchoring refused: a verbatim text is missing from, or ambiguous in, its article."""


class PublishError(NatodataError):
    """A release cannot be published."""


class VersionError(NatodataError):
    """A version or bump given on the command line is malformed."""

    exit_code = 2


class DiffError(NatodataError):
    """Two packages cannot be compared (exit 2: exit 1 means "they differ")."""

    exit_code = 2
