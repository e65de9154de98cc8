"""``view``: each article with every coded span drawn on its text, as a static site.

The data flow, one module per step:

* :mod:`.layers`: which tables are drawn and how, from the schemas' ``x-anchor``,
  ``x-source``, ``x-asWritten``, ``x-covers`` and ``x-corpus``; each drawn row's details
  (its fields, the labels of the rows it refers to, an event's participants);
* :mod:`.spans`: one article's spans (anchored rows, as-written mentions, the quotations
  and numbers :mod:`natodata.checks.completeness` finds unaccounted for), nested into
  well-formed, escaped HTML;
* :mod:`.site`: the findings of ``validate --corpus`` placed on their articles and spans,
  the coverage of ``stats --corpus``, and the pages (Jinja2, autoescaped), written all or
  none with the stylesheet and script of ``static/``.
"""

from .site import build_site

__all__ = ["build_site"]
