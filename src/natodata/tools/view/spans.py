"""One article's spans, nested into escaped HTML.

Spans come from three places: the anchored rows of each drawn table (a furniture row up
to its extent), the places an as-written value occurs (found as ``not-in-source`` finds
them, :func:`natodata.checks.provenance.occurrences`), and the quotations and numbers
that the completeness check (:mod:`natodata.checks.completeness`) reports unaccounted for.

Spans that overlap are nested: a span opens before the spans it holds and closes after
them; one that crosses another's end is split into fragments, the first of which carries
its id and takes the keyboard focus. Each span is underlined below the spans it holds
(``h<n>``: how many levels of spans it holds), so nesting stays visible. Every piece of
text is escaped with markupsafe; the text is the article's own, line breaks and all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Nesting deeper than this is drawn at this depth (the CSS has classes h0..h6).
MAX_HEIGHT = 6

ROW, MENTION, UNCOVERED = "row", "mention", "uncovered"


@dataclass(eq=False)
class Span:
    start: int
    end: int
    kind: str  # ROW, MENTION or UNCOVERED
    target: str  # the HTML id of the details it shows: a row, or a finding
    classes: str = ""  # the layer's CSS classes (t<index>, mention)
    tag: str = ""  # the short label drawn at its start
    id: str | None = None  # the HTML id of its first fragment
    href: str | None = None  # where a click goes (Datasette), if anywhere
    order: int = 0


class _Node:
    __slots__ = ("span", "children", "first", "height")

    def __init__(self, span: Span | None, first: bool = True):
        self.span, self.first, self.children, self.height = span, first, [], 0


def valid(start, end, length: int) -> bool:
    """Offsets that draw a span: integers, 0 <= start < end <= length."""
    return type(start) is int and type(end) is int and 0 <= start < end <= length


def nest(spans: list[Span], length: int) -> _Node:
    """The tree of fragments: text ranges ``(a, b)`` and nodes, in article order."""
    starts, ends = defaultdict(list), defaultdict(list)
    for s in spans:
        starts[s.start].append(s)
        ends[s.end].append(s)
    root = _Node(None)
    stack, opened, pos = [root], set(), 0
    for b in sorted({0, length, *starts, *ends}):
        if b > pos:
            stack[-1].children.append((pos, b))
            pos = b
        reopen = []
        if b in ends:
            ending = set(ends[b])
            low = next(i for i, n in enumerate(stack) if n.span in ending)
            reopen = [n.span for n in stack[low:] if n.span not in ending]
            del stack[low:]
        for s in sorted(reopen + starts.get(b, []), key=lambda s: (-s.end, s.order)):
            node = _Node(s, first=s not in opened)
            opened.add(s)
            stack[-1].children.append(node)
            stack.append(node)
    _heights(root)
    return root


def _heights(root: _Node) -> None:
    """Each node's height: 0 if it holds no span, else one more than its tallest child."""
    order, todo = [], [root]
    while todo:
        n = todo.pop()
        order.append(n)
        todo.extend(c for c in n.children if isinstance(c, _Node))
    for n in reversed(order):
        n.height = max((c.height + 1 for c in n.children if isinstance(c, _Node)), default=0)


def _open(node: _Node) -> Markup:
    s, first = node.span, node.first
    h = min(node.height, MAX_HEIGHT)
    if s.kind == MENTION:
        return Markup('<span class="{} h{}" data-row="{}">').format(s.classes, h, s.target)
    classes = f"{'span ' + s.classes if s.kind == ROW else 'uncovered'} h{h}" + ("" if first else " cont")
    attrs = Markup(' class="{}" data-row="{}"').format(classes, s.target)
    if s.href:
        attrs += Markup(' data-href="{}"').format(s.href)
    if first:
        if s.id:
            attrs += Markup(' id="{}"').format(s.id)
        # focusable; a link to its row in Datasette when served, else a button that keeps the row in the panel
        attrs += Markup(' tabindex="0" role="{}" aria-describedby="{}"').format(
            "link" if s.href else "button", s.target
        )
        tag = Markup('<span class="tag" aria-hidden="true">{}</span>').format(s.tag) if s.tag else Markup("")
        return Markup("<mark{}>{}").format(attrs, tag)
    return Markup("<mark{}>").format(attrs)


def _close(node: _Node) -> Markup:
    return Markup("</span>" if node.span.kind == MENTION else "</mark>")


def render(article: str, spans: list[Span]) -> Markup:
    """The article as HTML, every span drawn (spans outside the text are left out)."""
    root = nest([s for s in spans if valid(s.start, s.end, len(article))], len(article))
    out: list[str] = []
    todo: list = [iter(root.children)]
    closing: list[_Node] = []
    while todo:
        child = next(todo[-1], None)
        if child is None:
            todo.pop()
            if closing:
                out.append(_close(closing.pop()))
        elif isinstance(child, tuple):
            out.append(escape(article[child[0] : child[1]]))
        else:
            out.append(_open(child))
            closing.append(child)
            todo.append(iter(child.children))
    return Markup("".join(out))
