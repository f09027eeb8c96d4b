"""What only the web pages need: toctree captions that assistive technology can place.

Sphinx writes each toctree caption (the sidebar's and the page's) as
``<p class="caption" role="heading">`` with no ``aria-level``, which WCAG's
ARIA rules require of a heading role (axe-core: aria-required-attr, critical).
The translator adds the level: the captions head sections of a page whose
title is the level-1 heading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CAPTION_LEVEL = "2"


class ClaimrefHTMLTranslator(HTML5Translator):
    """Sphinx's HTML5 translator, with ``aria-level`` on toctree captions."""

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            attributes = {"CLASS": "caption", "ROLE": "heading", "aria-level": CAPTION_LEVEL}
            self.body.append(self.starttag(node, "p", "", **attributes))
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
            return
        super().visit_title(node)


def setup_htmlwriter(app: Sphinx) -> None:
    for builder in ("html", "dirhtml", "singlehtml"):
        app.set_translator(builder, ClaimrefHTMLTranslator, override=True)
