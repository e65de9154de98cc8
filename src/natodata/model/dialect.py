"""A resource's Table Dialect (v1 CSV Dialect or v2 Table Dialect) and encoding, as its
descriptor declares them.

Every property of the v2 Table Dialect is read: the CSV ones (delimiter, quote and escape
characters, double quotes, initial spaces, the line terminator, ``nullSequence``), the
header ones (``header``, ``headerRows``, ``headerJoin``), comments (``commentChar``,
``commentRows``) and the JSON ones (``property``, ``itemType``, ``itemKeys``). The
spreadsheet and database ones (``sheetNumber``, ``sheetName``, ``table``) are accepted;
natodata refuses the formats they apply to (:mod:`natodata.tables.source`). A resource
whose ``format`` is ``tsv`` is read tab-separated unless its dialect says otherwise.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass

from .problem import Problem, pointer

#: v1 CSV Dialect properties that change nothing natodata reads (their values are
#: checked for shape only): the CSVDDF version, and header case (labels are compared
#: exactly, as frictionless does).
_ACCEPTED = {
    "csvddfVersion": ("number",),
    "caseSensitiveHeader": ("boolean",),
    "sheetNumber": ("integer",),
    "sheetName": ("string",),
    "table": ("string",),
}
_KNOWN = {
    "$schema",
    "title",
    "description",
    "delimiter",
    "quoteChar",
    "doubleQuote",
    "escapeChar",
    "lineTerminator",
    "skipInitialSpace",
    "header",
    "headerRows",
    "headerJoin",
    "commentChar",
    "commentRows",
    "nullSequence",
    "property",
    "itemType",
    "itemKeys",
    "skipBlankRows",
} | set(_ACCEPTED)


@dataclass(frozen=True)
class Dialect:
    delimiter: str = ","
    quote_char: str | None = '"'
    double_quote: bool = True
    escape_char: str | None = None
    line_terminator: str = "\n"  # what the writer uses; the reader accepts \n, \r\n and \r alike
    skip_initial_space: bool = False
    encoding: str = "utf-8"
    #: The descriptor names the encoding: otherwise a file that is not UTF-8 has its
    #: encoding detected (the spec: "SHOULD be detected").
    encoding_declared: bool = True
    header: bool = True
    header_rows: tuple[int, ...] = (1,)
    header_join: str = " "
    comment_rows: tuple[int, ...] = ()
    comment_char: str | None = None
    null_sequence: str | None = None
    json_property: str | None = None  # JSON (Table Dialect "property"): where the rows are
    item_type: str | None = None  # JSON: "array" or "object" rows
    item_keys: tuple[str, ...] | None = None  # JSON: the keys of object rows, in column order
    skip_blank_rows: bool = False  # frictionless's extension: blank rows are dropped, not errors

    @property
    def default(self) -> bool:
        """natodata's own form (comma, double quotes, LF, UTF-8, one header row, no
        comments): the fast path may read it."""
        plain = Dialect(line_terminator=self.line_terminator, encoding_declared=self.encoding_declared)
        return self == plain and self.line_terminator == "\n"

    @property
    def plain_rows(self) -> bool:
        """Every record is a row: one header row first, no comment rows."""
        return (
            self.header
            and self.header_rows == (1,)
            and not self.comment_rows
            and self.comment_char is None
            and not self.skip_blank_rows
        )

    def reader_options(self) -> dict:
        """:mod:`csv`'s options for reading this dialect's characters."""
        opts = {
            "delimiter": self.delimiter,
            "doublequote": self.double_quote,
            "skipinitialspace": self.skip_initial_space,
        }
        if self.quote_char is None:
            opts["quoting"] = csv.QUOTE_NONE
        else:
            opts["quotechar"] = self.quote_char
        if self.escape_char is not None:
            opts["escapechar"] = self.escape_char
        return opts

    def writer_options(self) -> dict:
        """``csv.writer``'s options for writing in this dialect: its characters, minimal
        quoting (none without a quote character), its line terminator."""
        return {"quoting": csv.QUOTE_MINIMAL, **self.reader_options(), "lineterminator": self.line_terminator}


#: natodata's canonical CSV (the form ``fmt``, ``publish`` and every CSV natodata writes
#: take): comma-separated, double quotes doubled, minimal quoting, LF line endings, UTF-8
#: without BOM, one header row.
CANONICAL = Dialect()
#: The properties that say how a dialect writes characters (not where its rows are).
CHARACTER_PROPERTIES = (
    "delimiter",
    "quote_char",
    "double_quote",
    "escape_char",
    "skip_initial_space",
    "line_terminator",
    "encoding",
    "encoding_declared",
)


def read_dialect(resource: dict, at: str) -> tuple[Dialect, list[Problem]]:
    """The dialect and encoding of ``resource`` (whose JSON pointer is ``at``), and the
    problems that make it unusable. An inline dialect object is read; a dialect given by
    path is refused."""
    problems: list[Problem] = []
    declared = "encoding" in resource
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
    tsv = str(resource.get("format", "")).lower() == "tsv" or (
        isinstance(resource.get("path"), str) and resource["path"].lower().endswith((".tsv", ".tab"))
    )
    base_delimiter = "\t" if tsv else ","
    spec = resource.get("dialect")
    if spec is None:
        return Dialect(delimiter=base_delimiter, encoding=encoding, encoding_declared=declared), problems
    base = at + "/dialect"
    if isinstance(spec, str):
        problems.append(Problem(base, "a dialect given by path is not supported; give it inline", True))
        return Dialect(encoding=encoding), problems
    if not isinstance(spec, dict):
        problems.append(Problem(base, f"dialect must be an object, not {type(spec).__name__}"))
        return Dialect(encoding=encoding), problems
    for key in spec:
        if key not in _KNOWN:
            problems.append(Problem(base + pointer(key), f"dialect has no property {key!r}"))

    def char(key: str, default, nullable: bool = False):
        v = spec.get(key, default)
        if (v is None and nullable) or (isinstance(v, str) and len(v) == 1 and v not in "\r\n"):
            return v
        if key == "delimiter" and isinstance(v, str) and len(v) > 1:  # the spec allows a sequence
            problems.append(
                Problem(base + pointer(key), f"a delimiter of several characters ({v!r}) is not supported", True)
            )
        else:
            problems.append(
                Problem(base + pointer(key), f"dialect {key} must be one character other than a line break")
            )
        return default

    def flag(key: str, default: bool) -> bool:
        v = spec.get(key, default)
        if isinstance(v, bool):
            return v
        problems.append(Problem(base + pointer(key), f"dialect {key} must be true or false"))
        return default

    def text(key: str, nullable: bool = True, default=None):
        v = spec.get(key, default)
        if (v is None and nullable) or isinstance(v, str):
            return v
        problems.append(Problem(base + pointer(key), f"dialect {key} must be a string"))
        return default

    def rows(key: str, default: tuple[int, ...]) -> tuple[int, ...]:
        v = spec.get(key, list(default))
        if isinstance(v, list) and all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in v):
            return tuple(sorted(set(v)))
        problems.append(Problem(base + pointer(key), f"dialect {key} must be an array of row numbers (1 or more)"))
        return default

    terminator = spec.get("lineTerminator", "\r\n")
    if not isinstance(terminator, str) or not terminator:
        problems.append(Problem(base + "/lineTerminator", "dialect lineTerminator must be a non-empty string"))
        terminator = "\n"
    elif terminator not in ("\n", "\r\n", "\r"):
        problems.append(
            Problem(
                base + "/lineTerminator",
                f"lineTerminator {terminator!r} is not supported (records end with \\n, \\r\\n or \\r)",
                True,
            )
        )
        terminator = "\n"
    for key, kinds in _ACCEPTED.items():
        v = spec.get(key)
        ok = {
            "number": isinstance(v, (int, float)),
            "boolean": isinstance(v, bool),
            "integer": isinstance(v, int),
            "string": isinstance(v, str),
        }
        if key in spec and not any(ok[k] for k in kinds):
            problems.append(
                Problem(
                    base + pointer(key), f"dialect {key} must be {'an' if kinds[0][0] in 'aei' else 'a'} {kinds[0]}"
                )
            )
    item_type = text("itemType")
    if item_type not in (None, "array", "object"):
        problems.append(Problem(base + "/itemType", f'dialect itemType must be "array" or "object", not {item_type!r}'))
        item_type = None
    keys = spec.get("itemKeys")
    if keys is not None and not (isinstance(keys, list) and all(isinstance(k, str) for k in keys)):
        problems.append(Problem(base + "/itemKeys", "dialect itemKeys must be an array of strings"))
        keys = None
    d = Dialect(
        delimiter=char("delimiter", base_delimiter),
        quote_char=char("quoteChar", '"', nullable=True),
        double_quote=flag("doubleQuote", True),
        escape_char=char("escapeChar", None, nullable=True),
        line_terminator=terminator if "lineTerminator" in spec else "\n",
        skip_initial_space=flag("skipInitialSpace", False),
        encoding=encoding,
        encoding_declared=declared,
        header=flag("header", True),
        header_rows=rows("headerRows", (1,)),
        header_join=text("headerJoin", False, " "),
        comment_rows=rows("commentRows", ()),
        comment_char=text("commentChar") or None,
        null_sequence=text("nullSequence"),
        json_property=text("property"),
        item_type=item_type,
        item_keys=tuple(keys) if keys is not None else None,
        skip_blank_rows=flag("skipBlankRows", False),
    )
    if not d.header_rows and d.header:
        problems.append(Problem(base + "/headerRows", "dialect headerRows must name at least one row"))
    if spec.get("commentChar") == "":
        problems.append(Problem(base + "/commentChar", "dialect commentChar must not be empty"))
    chars = [c for c in (d.delimiter, d.quote_char, d.escape_char) if c is not None]
    if len(set(chars)) != len(chars):
        problems.append(Problem(base, "dialect delimiter, quoteChar and escapeChar must differ from each other"))
    return d, problems
