"""sphinx-design's HTML transforms, run only on the pages that have what they transform.

sphinx-design turns its dropdowns, asides and tab sets into their HTML form in
three post-transforms, and marks the links of cards and buttons that open in a
new tab in a ``doctree-resolved`` listener. Each of the four walks every node of
every page, though a claim page has one tab set and nothing else of theirs: 4 %
of a build of claim pages. Here one walk notes what a page has (the components
by name, and whether anything asks for a new tab), and each of the four runs,
unchanged, only on a page that has something for it.

The components are made by sphinx-design's directives while a page is read, so
the walk, made when the first of the four runs, sees all of them. This relies on
how sphinx-design 0.8.0 marks its nodes (``design_component``, ``sd_new_tab``):
with another release nothing is replaced, and ``tests/test_design.py`` fails so
that the new release is checked again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.transforms.post_transforms import SphinxPostTransform

VERIFIED_SPHINX_DESIGN_VERSION = "0.8.0"
NEW_TAB = "sd_new_tab"  # the marker of a card or button whose links open in a new tab


def design_contents(document: nodes.document) -> frozenset[str]:
    """The names of the sphinx-design components in *document*, and ``sd_new_tab`` if it has links
    to open in a new tab: found in one walk, the first time it is asked for."""
    found: frozenset[str] | None = getattr(document, "_claimref_design", None)
    if found is None:
        names: set[str] = set()
        for node in document.findall(nodes.Element):
            attributes = node.attributes
            if "design_component" in attributes:
                names.add(attributes["design_component"])
            if attributes.get(NEW_TAB):
                names.add(NEW_TAB)
        found = frozenset(names)
        document._claimref_design = found  # type: ignore[attr-defined]
    return found


def guarded(transform: type[SphinxPostTransform], component: str) -> type[SphinxPostTransform]:
    """*transform*, run only on a document that has *component*."""

    def run(self: SphinxPostTransform, **kwargs: Any) -> None:
        if component in design_contents(self.document):
            transform.run(self, **kwargs)

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
