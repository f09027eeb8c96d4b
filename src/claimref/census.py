"""What a page has, noted in one walk, so that the post-transforms with nothing to do skip it.

Sphinx, Furo and sphinx-design each run post-transforms that walk every node of
every page to find the nodes they change: images, tables and display maths,
C and C++ aliases, object signatures, code blocks, sphinx-design's components.
A claim page has code blocks (in its "Cite this" box) and one tab set, and none
of the rest, yet each walk cost it as much as a walk of a page that has them:
about 5 % of a build of claim pages in all.

:func:`census` walks a page once, the first time a post-transform asks, and
notes every class of node in it, its code blocks and tab sets in document
order, and sphinx-design's component names. It is first asked for at priority 9
(the C and C++ alias transforms) or later, after the post-transforms that fill in claimref's
placeholders (priority 5 and 6, which make tables and the like), and before any
that could make the nodes it is asked about: the transforms that run after it
(Sphinx's reference resolver, sphinx-design's, the image converters, the
highlight language, Furo's wrappers) make only references, text, containers
and form elements. ``tests/test_census.py`` builds pages with every kind of
node these transforms act on and checks, each time one is skipped, that a walk
of the page would have found nothing for it; and that the pages are the ones
the unguarded transforms write.

Each transform is replaced only with the release its search was read from
(:data:`GUARDED`); with another release it runs as it is.
"""

from __future__ import annotations

from collections import defaultdict
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.transforms.post_transforms import SphinxPostTransform

#: sphinx-design's marker of a card or button whose links open in a new tab.
NEW_TAB = "sd_new_tab"
_ATTRIBUTE = "_claimref_census"
#: The nodes the census lists, in document order.
LISTED: tuple[type[nodes.Element], ...] = (nodes.literal_block, nodes.doctest_block)


class Census:
    """Every class of node on a page; its :data:`LISTED` nodes and tab sets; its design components."""

    def __init__(self, document: nodes.document) -> None:
        classes: set[type[nodes.Node]] = set()
        listed: dict[type[nodes.Element] | str, list[nodes.Element]] = defaultdict(list)
        components: set[str] = set()
        bases: dict[type[nodes.Node], list[type[nodes.Element]]] = {}  # a class -> the LISTED it is one of
        stack: list[nodes.Node] = [document]
        text = nodes.Text
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is text:
                continue
            element: nodes.Element = node  # type: ignore[assignment]
            if kind not in classes:
                classes.add(kind)
                bases[kind] = [base for base in LISTED if issubclass(kind, base)]
            for base in bases[kind]:
                listed[base].append(element)
            attributes = element.attributes
            if "design_component" in attributes:
                component = attributes["design_component"]
                components.add(component)
                if component == "tab-set":
                    listed["tab-set"].append(element)
            if attributes.get(NEW_TAB):
                components.add(NEW_TAB)
            # Children reversed onto the stack: they come off it in document order.
            stack.extend(reversed(element.children))
        self.classes = frozenset(classes)
        self.design = frozenset(components)
        self._listed = listed
        self._has: dict[tuple[type[nodes.Node], ...], bool] = {}

    def has(self, *wanted: type[nodes.Node]) -> bool:
        """Does the page have a node that is an instance of one of *wanted*?"""
        found = self._has.get(wanted)
        if found is None:
            found = self._has[wanted] = any(issubclass(kind, wanted) for kind in self.classes)
        return found

    def listed(self, kind: type[nodes.Element] | str) -> list[nodes.Element]:
        """The page's nodes of a :data:`LISTED` class (or its tab sets, ``"tab-set"``), in document
        order, as the census found them: a transform may since have taken one out of the page (an
        ``only`` for another builder), so use this only where acting on a node out of the page
        changes nothing, or check with :meth:`still_in`."""
        return list(self._listed.get(kind, ()))

    def still_in(self, found: list[nodes.Element], document: nodes.document) -> list[nodes.Element] | None:
        """Those of *found* still in *document*, or None where that cannot be told from the nodes'
        parents: an assembled document (LaTeX, single HTML) sets a page's children without their
        parent, and so does sphinx-design's tab-set transform."""
        kept = []
        for node in found:
            place = _place(node, document)
            if place is None:
                return None
            if place:
                kept.append(node)
        return kept


def census(document: nodes.document) -> Census:
    """The page's census, taken the first time it is asked for (by a post-transform of priority 9
    or later: see the module's docstring)."""
    found: Census | None = getattr(document, _ATTRIBUTE, None)
    if found is None:
        found = Census(document)
        setattr(document, _ATTRIBUTE, found)
    return found


def _place(node: nodes.Node, document: nodes.document) -> bool | None:
    """Is *node* in *document*: True, False, or None (its parents do not say)? A node replaced or
    removed keeps its ``parent``, so each parent must still have it among its children."""
    while node.parent is not None:
        parent = node.parent
        if not any(child is node for child in parent.children):
            return False
        node = parent
    return True if node is document else None


# (distribution, the release read, the transform, the node classes it looks for), as "module:name".
GUARDED: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("sphinx", "9.0.4", "sphinx.domains.c:AliasTransform", ("sphinx.domains.c:AliasNode",)),
    ("sphinx", "9.0.4", "sphinx.domains.cpp:AliasTransform", ("sphinx.domains.cpp:AliasNode",)),
    ("sphinx", "9.0.4", "sphinx.transforms.post_transforms.images:ImageDownloader", ("docutils.nodes:image",)),
    ("sphinx", "9.0.4", "sphinx.transforms.post_transforms.images:DataURIExtractor", ("docutils.nodes:image",)),
    ("sphinx", "9.0.4", "sphinx.transforms.post_transforms:PropagateDescDomain", ("sphinx.addnodes:desc_signature",)),
    (
        "furo",
        "2025.12.19",
        "furo:WrapTableAndMathInAContainerTransform",
        ("docutils.nodes:table", "docutils.nodes:math_block"),
    ),
)


def _named(name: str) -> Any:
    module, _, attribute = name.partition(":")
    return getattr(import_module(module), attribute)


def skipped(transform: SphinxPostTransform, wanted: tuple[type[nodes.Node], ...]) -> bool:
    """Has the page nothing *transform* looks for? (The tests replace this to check each answer.)"""
    return not census(transform.document).has(*wanted)


def guarded(transform: type[Any], wanted: tuple[type[nodes.Node], ...]) -> type[Any]:
    """*transform*, skipped on a page that has no node of *wanted*."""
    method = "run" if "run" in vars(transform) else "apply"
    original = getattr(transform, method)

    def guard(self: SphinxPostTransform, **kwargs: Any) -> None:
        if not skipped(self, wanted):
            original(self, **kwargs)

    return type(transform.__name__, (transform,), {method: guard, "__doc__": transform.__doc__})


def _installed(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return ""


def guard_post_transforms(app: Sphinx) -> None:
    """At builder-inited (the theme's transforms are registered by then): each post-transform of
    :data:`GUARDED`, with the release its search was read from, is skipped where it has nothing."""
    transforms = app.registry.post_transforms
    for distribution, verified, name, looked_for in GUARDED:
        if _installed(distribution) != verified:
            continue
        transform = _named(name)
        if transform in transforms:
            transforms[transforms.index(transform)] = guarded(transform, tuple(_named(n) for n in looked_for))


def setup_census(app: Sphinx) -> None:
    app.connect("builder-inited", guard_post_transforms)
