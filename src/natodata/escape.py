"""Output that data cannot forge: the one escaping of control characters every renderer uses.

A package's values, field names and paths reach reports, CI logs and terminals. A line
break in a cell could start a line of its own (``::error::…`` or ``::add-mask::…`` in a
GitHub Actions log, a fake finding in a text report), ESC could drive the terminal, and
bidi controls could reorder what a reader sees (Trojan Source). So:

* :func:`printable` writes every character of :data:`CONTROL_RE` as an escape
  (``\\n``, ``\\x1b``, ``\\u202e``) in one line of text;
* :func:`printable_lines` does the same to a message of several lines, keeping its own
  line breaks, and no line of it can start a CI workflow command (``::``);
* :func:`json_safe` escapes, in JSON text, the characters JSON allows raw (DEL, C1,
  bidi and other invisible characters) as ``\\uXXXX``: the document means the same.
"""

from __future__ import annotations

import re

#: Control characters, line breaks and invisible format characters: C0, DEL and C1
#: (ESC, CSI and NEL among them), zero-width spaces and joiners, bidi embeddings,
#: overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C), the
#: soft hyphen, the BOM, line and paragraph separators, interlinear annotations and
#: Unicode tag characters. No cell may hold them (the ``no_control_characters`` check)
#: and no renderer prints them raw. Written literally, not as regex escapes, so that
#: pandas can run the search in pyarrow's RE2.
CONTROL_RE = (
    "[\\x00-\\x1f\\x7f-\\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
    "\ufff9-\ufffb\U000e0000-\U000e007f]"
)

_CONTROL = re.compile(CONTROL_RE)
#: What JSON may hold raw although it is in CONTROL_RE (JSON escapes C0 itself).
_JSON_RAW = re.compile(CONTROL_RE.replace("\\x00-\\x1f", ""))
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: A line that starts (after blanks) with "::" is a workflow command to GitHub Actions.
_COMMAND = re.compile(r"^([ \t]*)::")


def _escape(m: re.Match) -> str:
    c = m.group()
    if c in _NAMED:
        return _NAMED[c]
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def printable(text: object) -> str:
    """``text`` as one line with every control or invisible character escaped:
    ``'a\\x1bb'`` prints as ``a\\x1bb``; ``None`` is ``""``."""
    if text is None:
        return ""
    text = str(text)
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def guard_line(line: str) -> str:
    """A line that would start with ``::`` (a workflow command), its first colon escaped."""
    return _COMMAND.sub(lambda m: m.group(1) + "\\x3a:", line, count=1) if "::" in line else line


def printable_lines(text: str) -> str:
    """A message of several lines made safe: each line :func:`printable` and guarded
    (:func:`guard_line`), the line breaks between them kept."""
    return "\n".join(guard_line(printable(line)) for line in text.split("\n"))


def json_safe(text: str) -> str:
    """JSON text with the characters of :data:`CONTROL_RE` that JSON leaves raw written
    as ``\\uXXXX`` escapes (outside strings JSON holds none of them)."""
    if not _JSON_RAW.search(text):
        return text
    return _JSON_RAW.sub(lambda m: "".join(f"\\u{u:04x}" for u in _utf16(m.group())), text)


def _utf16(c: str) -> list[int]:
    n = ord(c)
    if n < 0x10000:
        return [n]
    n -= 0x10000
    return [0xD800 + (n >> 10), 0xDC00 + (n & 0x3FF)]
