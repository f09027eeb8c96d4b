"""Sphinx's default highlight language given to code blocks without a visitor's walk.

Sphinx's ``HighlightLanguageTransform`` walks every node of every page with a
visitor, keeping a stack of the ``highlight`` directives' settings, to give each
literal block without a language the one in force (3 % of a build of claim
pages, whose only code blocks are those of the "Cite this" box). On a page with
no ``highlight`` directive and no included file (``start_of_file``: the single
HTML and LaTeX builders' assembled document) the setting in force is the default
everywhere, so :class:`DefaultHighlightLanguage` gives each literal block of the
page's census (:mod:`.census`) what the visitor would; any other page is walked
by Sphinx's visitor. Sphinx's ``TrimDoctestFlagsTransform`` walks each page twice
for its code blocks; :class:`ListedTrimDoctestFlags` takes them from the census.
``tests/test_highlighting.py`` compares both with Sphinx's own on pages with and
without ``highlight`` directives and doctest blocks.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.transforms.post_transforms.code import HighlightLanguageTransform, TrimDoctestFlagsTransform

from .census import census

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# The visitor dispatches on the class name: on a page with either of these, it runs.
_SETTINGS = frozenset({"highlightlang", "start_of_file"})


class DefaultHighlightLanguage(HighlightLanguageTransform):
    """Sphinx's transform, without the visitor on a page where only the default applies."""

    def apply(self, **kwargs: Any) -> None:
        page = census(self.document)
        if any(kind.__name__ in _SETTINGS for kind in page.classes):
            super().apply(**kwargs)
            return
        language = self.config.highlight_language
        # A block since taken out of the page (an ``only`` for another builder) is given one too,
        # and nobody sees it.
        for node in page.listed(nodes.literal_block):
            if type(node).__name__ != "literal_block":
                continue  # the visitor dispatches on the class name: a subclass is not visited
            # As HighlightLanguageVisitor.visit_literal_block does with the default setting.
            if "language" not in node:
                node["language"] = language
                node["force"] = False
            if "linenos" not in node:
                node["linenos"] = node.astext().count("\n") >= sys.maxsize - 1


class ListedTrimDoctestFlags(TrimDoctestFlagsTransform):
    """Sphinx's transform, on the code blocks of the page's census instead of two walks of it."""

    def apply(self, **kwargs: Any) -> None:
        page = census(self.document)
        # As TrimDoctestFlagsTransform.apply does, in the same order (and on blocks since taken out
        # of the page, which nobody sees).
        for lbnode in page.listed(nodes.literal_block):
            if self.is_pyconsole(cast(nodes.literal_block, lbnode)):
                self.strip_doctest_flags(lbnode)
        for dbnode in page.listed(nodes.doctest_block):
            self.strip_doctest_flags(dbnode)


def setup_highlighting(app: Sphinx) -> None:
    transforms = app.registry.post_transforms
    for stock, ours in (
        (HighlightLanguageTransform, DefaultHighlightLanguage),
        (TrimDoctestFlagsTransform, ListedTrimDoctestFlags),
    ):
        if stock in transforms:
            transforms[transforms.index(stock)] = ours
