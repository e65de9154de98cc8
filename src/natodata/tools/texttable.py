"""The text tables of the commands' text output (``stats``, ``agree``, ``claims``), laid out
by tabulate: columns two spaces apart, each as wide as its widest cell."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..escape import printable


def text_table(head: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int] = ()) -> list[str]:
    """``head`` and then ``rows`` as lines of aligned columns: left-aligned, except the
    columns numbered in ``right``; the head is a row like the others (no rule under it),
    so a column is as wide as its widest cell, the head's included. Each cell is one line
    (:func:`natodata.escape.printable`: a line break in a value cannot break a row), its
    blanks kept; no line ends in a blank."""
    from tabulate import tabulate

    right = set(right)
    cells = [[printable(c) for c in row] for row in [head, *rows]]
    align = ["right" if i in right else "left" for i in range(len(head))]
    text = tabulate(cells, tablefmt="plain", colalign=align, disable_numparse=True, preserve_whitespace=True)
    return [line.rstrip() for line in text.split("\n")]
