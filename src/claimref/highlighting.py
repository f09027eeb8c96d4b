"""Sphinx's default highlight language given to code blocks without a visitor's walk.

Sphinx's ``HighlightLanguageTransform`` walks every node of every page with a
visitor, keeping a stack of the ``highlight`` directives' settings, to give each
literal block without a language the one in force (3 % of a build of claim
pages, whose only code blocks are those of the "Cite this" box). On a page with
no ``highlight`` directive and no included file (``start_of_file``: the single
HTML and LaTeX builders' assembled document) the setting in force is the default
everywhere, so :class:`DefaultHighlightLanguage` finds the literal blocks in one
plain walk and gives each what the visitor would; any other page is walked by
Sphinx's visitor. ``tests/test_highlighting.py`` compares both on pages with and
without ``highlight`` directives.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from sphinx.transforms.post_transforms.code import HighlightLanguageTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# The visitor dispatches on the class name: these are the nodes it acts on.
_VISITED = frozenset({"literal_block", "highlightlang", "start_of_file"})


class DefaultHighlightLanguage(HighlightLanguageTransform):
    """Sphinx's transform, without the visitor on a page where only the default applies."""

    def apply(self, **kwargs: Any) -> None:
        found = list(self.document.findall(lambda node: type(node).__name__ in _VISITED))
        if any(type(node).__name__ != "literal_block" for node in found):
            super().apply(**kwargs)
            return
        language = self.config.highlight_language
        for node in found:
            # As HighlightLanguageVisitor.visit_literal_block does with the default setting.
            if "language" not in node:
                node["language"] = language
                node["force"] = False
            if "linenos" not in node:
                node["linenos"] = node.astext().count("\n") >= sys.maxsize - 1


def setup_highlighting(app: Sphinx) -> None:
    transforms = app.registry.post_transforms
    if HighlightLanguageTransform in transforms:
        transforms[transforms.index(HighlightLanguageTransform)] = DefaultHighlightLanguage
