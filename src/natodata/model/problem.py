"""What the gates of the descriptor, its dialects and its Table Schemas report: a
:class:`Problem` at a JSON pointer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    pointer: str  # JSON pointer into the schema descriptor, "" for the whole
    message: str
    unsupported: bool = False  # a valid feature natodata does not implement (not a malformed one)


def pointer(*parts) -> str:
    """The JSON pointer (RFC 6901) of ``parts``: ``pointer("fields", 0, "a/b")`` is ``/fields/0/a~1b``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def kind(value) -> str:
    """What a JSON value is, for messages: "a string", "an array", "null"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def an(word: str) -> str:
    """``word`` with its indefinite article: "an integer", "a string"."""
    return ("an " if word[:1] in ("a", "e", "i", "o", "u") else "a ") + word
