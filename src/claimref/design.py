"""sphinx-design's HTML transforms, run only on the pages that have what they transform.

sphinx-design turns its dropdowns, asides and tab sets into their HTML form in
three post-transforms, and marks the links of cards and buttons that open in a
new tab in a ``doctree-resolved`` listener. Each of the four walks every node of
every page, though a claim page has one tab set and nothing else of theirs: 4 %
of a build of claim pages. Here the page's census (:mod:`.census`, one walk)
says what it has (the components by name, and whether anything asks for a new
tab), and each of the four runs, unchanged, only on a page that has something
for it. The tab-set transform's own walk, for the tab sets, is given the census's
list of them.

The components are made by sphinx-design's directives while a page is read, so
the census, taken before the first of the four runs, sees all of them. This relies on
how sphinx-design 0.8.0 marks its nodes (``design_component``, ``sd_new_tab``):
with another release nothing is replaced, and ``tests/test_design.py`` fails so
that the new release is checked again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from .census import NEW_TAB, census

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.transforms.post_transforms import SphinxPostTransform

VERIFIED_SPHINX_DESIGN_VERSION = "0.8.0"


def design_contents(document: nodes.document) -> frozenset[str]:
    """The names of the sphinx-design components in *document*, and ``sd_new_tab`` if it has links
    to open in a new tab (from the page's :func:`.census.census`)."""
    return census(document).design


class _TabSetsOnly:
    """The document as sphinx-design's tab-set transform walks it: its one walk, for the tab sets,
    finds those the census listed that are still in the page (in document order), or walks the
    page where the census cannot tell; all else is the document's own."""

    def __init__(self, document: nodes.document) -> None:
        self._document = document

    def findall(self, condition: Any = None, **kwargs: Any) -> Iterator[nodes.Element]:
        page = census(self._document)
        found = page.still_in(page.listed("tab-set"), self._document)
        return iter(found) if found is not None else self._document.findall(condition, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._document, name)


def guarded(transform: type[SphinxPostTransform], component: str) -> type[SphinxPostTransform]:
    """*transform*, run only on a document that has *component*; the tab-set transform's walk for
    tab sets is the census's list of them."""

    def run(self: SphinxPostTransform, **kwargs: Any) -> None:
        if component not in design_contents(self.document):
            return
        if component != "tab-set":
            transform.run(self, **kwargs)
            return
        document = self.document
        self.document = _TabSetsOnly(document)  # type: ignore[assignment]
        try:
            transform.run(self, **kwargs)
        finally:
            self.document = document

    return type(transform.__name__, (transform,), {"run": run, "__doc__": transform.__doc__})


def setup_design(app: Sphinx) -> None:
    import sphinx_design
    from sphinx_design.aside import AsideHtmlTransform
    from sphinx_design.dropdown import DropdownHtmlTransform
    from sphinx_design.extension import _resolve_new_tab_refs
    from sphinx_design.tabs import TabSetHtmlTransform

    if sphinx_design.__version__ != VERIFIED_SPHINX_DESIGN_VERSION:
        return
    transforms = app.registry.post_transforms
    for transform, component in (
        (DropdownHtmlTransform, "dropdown"),
        (AsideHtmlTransform, "aside"),
        (TabSetHtmlTransform, "tab-set"),
    ):
        if transform in transforms:
            transforms[transforms.index(transform)] = guarded(transform, component)
    for listener in list(app.events.listeners.get("doctree-resolved", [])):
        if listener.handler is _resolve_new_tab_refs:
            app.disconnect(listener.id)

            def resolve_new_tab_refs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
                if NEW_TAB in design_contents(doctree):
                    _resolve_new_tab_refs(app, doctree, docname)

            app.connect("doctree-resolved", resolve_new_tab_refs, priority=listener.priority)
