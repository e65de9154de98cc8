"""A resource's CSV dialect and encoding, as its descriptor declares them.

natodata honours what Python's :mod:`csv` reader can honour (delimiter, quote and escape
characters, double quotes, initial spaces, the line terminator) and any text encoding
Python knows. What it cannot honour (no header row, comment rows, several header rows,
…) is refused with an ``unsupported-feature`` finding rather than ignored.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .schemacheck import Problem, pointer

#: Dialect properties that must keep their default, with the default.
_UNSUPPORTED = {"header": True, "headerRows": [1], "headerJoin": " ", "commentChar": None, "commentRows": [],
                "nullSequence": None, "caseSensitiveHeader": False, "csvddfVersion": None, "skipBlankRows": None,
                "property": None, "itemType": None, "itemKeys": None, "sheetNumber": None, "sheetName": None,
                "table": None}
_KNOWN = {"$schema", "title", "description", "delimiter", "quoteChar", "doubleQuote", "escapeChar", "lineTerminator",
          "skipInitialSpace"} | set(_UNSUPPORTED)


@dataclass(frozen=True)
class Dialect:
    delimiter: str = ","
    quote_char: str | None = '"'
    double_quote: bool = True
    escape_char: str | None = None
    line_terminator: str = "\n"  # what the writer uses; the reader accepts \n and \r\n alike
    skip_initial_space: bool = False
    encoding: str = "utf-8"

    @property
    def default(self) -> bool:
        """natodata's own form (comma, double quotes, LF, UTF-8): the fast path may read it."""
        return self == Dialect(line_terminator=self.line_terminator) and self.line_terminator == "\n"

    def reader_options(self) -> dict:
        opts = {"delimiter": self.delimiter, "doublequote": self.double_quote, "skipinitialspace": self.skip_initial_space}
        if self.quote_char is None:
            import csv

            opts["quoting"] = csv.QUOTE_NONE
        else:
            opts["quotechar"] = self.quote_char
        if self.escape_char is not None:
            opts["escapechar"] = self.escape_char
        return opts


def read_dialect(resource: dict, at: str) -> tuple[Dialect, list[Problem]]:
    """The dialect and encoding of ``resource`` (whose JSON pointer is ``at``), and the
    problems that make it unusable. An inline dialect object is read; a dialect given by
    path is refused."""
    problems: list[Problem] = []
    encoding = resource.get("encoding", "utf-8")
    if not isinstance(encoding, str):
        problems.append(Problem(at + "/encoding", f"encoding must be a string, not {type(encoding).__name__}"))
        encoding = "utf-8"
    else:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            problems.append(Problem(at + "/encoding", f"encoding {encoding!r} is not one Python knows", True))
            encoding = "utf-8"
    spec = resource.get("dialect")
    if spec is None:
        return Dialect(encoding=encoding), problems
    base = at + "/dialect"
    if isinstance(spec, str):
        problems.append(Problem(base, "a dialect given by path is not supported; give it inline", True))
        return Dialect(encoding=encoding), problems
    if not isinstance(spec, dict):
        problems.append(Problem(base, f"dialect must be an object, not {type(spec).__name__}"))
        return Dialect(encoding=encoding), problems
    for key, default in _UNSUPPORTED.items():
        if key in spec and spec[key] != default:
            problems.append(Problem(base + pointer(key), f"dialect {key} {spec[key]!r} is not supported", True))
    for key in spec:
        if key not in _KNOWN:
            problems.append(Problem(base + pointer(key), f"dialect has no property {key!r}"))

    def char(key: str, default, nullable: bool = False):
        v = spec.get(key, default)
        if (v is None and nullable) or (isinstance(v, str) and len(v) == 1):
            return v
        problems.append(Problem(base + pointer(key), f"dialect {key} must be one character"))
        return default

    def flag(key: str, default: bool) -> bool:
        v = spec.get(key, default)
        if isinstance(v, bool):
            return v
        problems.append(Problem(base + pointer(key), f"dialect {key} must be true or false"))
        return default

    terminator = spec.get("lineTerminator", "\r\n")
    if terminator not in ("\n", "\r\n"):
        problems.append(Problem(base + "/lineTerminator", f"lineTerminator {terminator!r} is not supported "
                                                          "(only \\n and \\r\\n)", True))
        terminator = "\n"
    d = Dialect(delimiter=char("delimiter", ","), quote_char=char("quoteChar", '"'),
                double_quote=flag("doubleQuote", True), escape_char=char("escapeChar", None, nullable=True),
                line_terminator=terminator if "lineTerminator" in spec else "\n",
                skip_initial_space=flag("skipInitialSpace", False), encoding=encoding)
    return d, problems
