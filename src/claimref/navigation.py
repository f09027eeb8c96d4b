"""Furo's navigation sidebar, computed once per build and rendered for each page from it.

Furo asks Sphinx for the whole global table of contents on every page
(``_compute_navigation_tree``): Sphinx resolves and deep-copies every toctree
entry of the site for that page, renders it, and Furo parses the result again
with BeautifulSoup to add its collapse checkboxes. Each page's copy is as long
as the site, so a build costs O(N²) in N pages; at 235 claim pages it was half
the build.

The tree differs from page to page in three things only: the relative links
(which depend on the page's directory), the ``current`` classes on the branch
that leads to the page (and Furo's ``checked`` boxes and ``current-page`` on
it), and the page's own link (``#``). So it is resolved, rendered and passed
through Furo's own ``get_navigation_tree`` once per builder, with a marker
class on every element that can become current and a placeholder in every
link; each page's copy is then a join of the pieces with its own branch filled
in. The output is byte for byte Furo's (``tests/test_navigation.py`` compares
every page of a build against Furo's own).

Hooks: two ``html-page-context`` listeners around Furo's (priority 500). The
first takes ``toctree`` out of the context, so that Furo finds no toctree and
computes nothing; the second puts it back and sets ``furo_navigation_tree``.
This depends on how Furo builds its tree, so it runs only with the Furo
version it was verified against (:data:`VERIFIED_FURO_VERSION`); any other
version builds its navigation itself, and the test fails until the comparison
is re-run and the constant updated.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: The Furo release whose navigation this module reproduces (see the module docstring).
VERIFIED_FURO_VERSION = "2025.12.19"

#: Furo's own call (``furo._compute_navigation_tree``).
FURO_TOCTREE_ARGS: dict[str, Any] = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}

# A docname no page has: the tree is resolved "for" it, so nothing is marked current.
_NOBODY = "\x00claimref-navigation"
_MARK = "claimref-nav-"
_HREF = "claimref-nav-href-"
_CLASS_RE = re.compile(r' class="([^"]*\b' + _MARK + r'(\d+)\b[^"]*)"')
_HREF_RE = re.compile(r'href="' + _HREF + r'(\d+)-([^"]*)"')
_INPUT_RE = re.compile(r"<input\b[^>]*>")
_ATTRIBUTE_RE = re.compile(r' ([\w-]+)="[^"]*"')


class _LinkRecorder:
    """Stands in for the builder while Sphinx resolves the tree: every link becomes a numbered placeholder."""

    def __init__(self) -> None:
        self.targets: list[str] = []

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        self.targets.append(to)
        return f"{_HREF}{len(self.targets) - 1}-"


@dataclass
class _ClassSlot:
    before: list[str]
    after: list[str]
    is_item: bool  # an <li>: may get Furo's "current-page"


@dataclass
class _Template:
    """The rendered tree cut into pieces: text, and the slots a page fills in."""

    pieces: list[str]
    class_slots: dict[int, tuple[int, _ClassSlot]]  # marker -> (piece index, slot)
    checkbox_slots: dict[int, int]  # marker of an <li> -> piece index where its checkbox's "checked" goes
    href_slots: list[tuple[int, str, str]]  # (piece index, target docname, anchor)
    branches: dict[str, list[list[int]]]  # docname -> for each entry of it, the markers of its branch
    by_directory: dict[str, list[str]] = field(default_factory=dict)


def _markable(node: nodes.Node) -> bool:
    # Sphinx marks the whole branch current, but only these elements are rendered with a class
    # (compact_paragraph renders nothing).
    return isinstance(node, (nodes.list_item, nodes.bullet_list, nodes.reference))


def _resolve(env: BuildEnvironment, builder: Builder) -> tuple[nodes.Element | None, list[str]]:
    recorder = _LinkRecorder()
    tree = global_toctree_for_doc(env, _NOBODY, recorder, tags=builder.tags, **FURO_TOCTREE_ARGS)  # type: ignore[arg-type]
    return tree, recorder.targets


def _mark(tree: nodes.Element, targets: list[str]) -> dict[str, list[list[int]]]:
    """Give every markable element a marker class; return each document's branches (its entries' ancestors)."""
    markers: dict[int, int] = {}
    for node in tree.findall(nodes.Element):
        if _markable(node):
            markers[id(node)] = len(markers)
            node["classes"].append(f"{_MARK}{markers[id(node)]}")
    branches: dict[str, list[list[int]]] = {}
    for reference in tree.findall(nodes.reference):
        match = re.fullmatch(_HREF + r"(\d+)-", reference["refuri"])
        # Only an entry for the document itself (no anchor) marks its branch, as in Sphinx.
        if match is None or reference.get("anchorname"):
            continue
        branch: list[int] = []
        element: nodes.Element | None = reference
        while element is not None:
            if id(element) in markers:
                branch.append(markers[id(element)])
            element = element.parent
        branches.setdefault(targets[int(match.group(1))], []).append(branch)
    return branches


def _cut(furo_html: str, targets: list[str], branches: dict[str, list[list[int]]]) -> _Template:
    """Cut Furo's rendering of the marked tree into text pieces and slots."""
    slots: list[tuple[int, int, str, Any]] = []
    for match in _CLASS_RE.finditer(furo_html):
        classes = match.group(1).split()
        marker = int(match.group(2))
        at = classes.index(f"{_MARK}{marker}")
        is_item = furo_html.rfind("<li", 0, match.start()) == match.start() - 3
        slots.append(
            (match.start(), match.end(), "class", (marker, _ClassSlot(classes[:at], classes[at + 1 :], is_item)))
        )
        if is_item and "has-children" in classes:
            # Furo puts the item's checkbox right after its link, before anything nested in it.
            checkbox = _INPUT_RE.search(furo_html, match.end())
            if checkbox is not None:
                at_checked = _checked_position(checkbox)
                slots.append((at_checked, at_checked, "checkbox", marker))
    for match in _HREF_RE.finditer(furo_html):
        slots.append((match.start(), match.end(), "href", (targets[int(match.group(1))], match.group(2))))
    slots.sort(key=lambda slot: slot[0])
    template = _Template([], {}, {}, [], branches)
    position = 0
    for start, end, kind, value in slots:
        template.pieces.append(furo_html[position:start])
        index = len(template.pieces)
        template.pieces.append("")
        if kind == "class":
            template.class_slots[value[0]] = (index, value[1])
        elif kind == "checkbox":
            template.checkbox_slots[value] = index
        else:
            template.href_slots.append((index, value[0], value[1]))
        position = end
    template.pieces.append(furo_html[position:])
    return template


def _checked_position(checkbox: re.Match[str]) -> int:
    # BeautifulSoup writes attributes in name order: "checked" goes before the first name after it.
    for attribute in _ATTRIBUTE_RE.finditer(checkbox.group(0)):
        if attribute.group(1) > "checked":
            return checkbox.start() + attribute.start()
    return checkbox.end() - (2 if checkbox.group(0).endswith("/>") else 1)


def _class_attribute(classes: list[str]) -> str:
    return f' class="{" ".join(classes)}"' if classes else ""


def _href(uri: str, anchor: str) -> str:
    # Sphinx writes an empty link (the page itself) as "#".
    return f'href="{html.escape(uri, quote=False) + anchor or "#"}"'


class FuroNavigation:
    """Renders each page's copy of Furo's navigation tree from one tree per builder."""

    def __init__(self) -> None:
        self._template: _Template | None = None
        self._template_for: tuple[int, str] | None = None
        self._hidden_toctree: dict[int, Any] = {}
        self._told_version = False

    def reset(self, *args: Any) -> None:
        """Forget the tree: the documents (and so their titles and toctrees) may have changed."""
        self._template = None
        self._template_for = None

    def applies(self, app: Sphinx) -> bool:
        """Whether this build uses the verified Furo with a standard HTML builder."""
        builder = app.builder
        if (
            not app.config.claimref_furo_navigation
            or app.config.html_theme != "furo"
            or not isinstance(builder, StandaloneHTMLBuilder)
        ):
            return False
        # Links are computed from the page's directory: only right for builders that keep Sphinx's way.
        if type(builder).get_relative_uri is not StandaloneHTMLBuilder.get_relative_uri:
            return False
        import furo

        if furo.__version__ != VERIFIED_FURO_VERSION:
            if not self._told_version:
                self._told_version = True
                logger.info(
                    "claimref: Furo %s is not the verified %s; Furo computes its navigation on every page",
                    furo.__version__,
                    VERIFIED_FURO_VERSION,
                )
            return False
        return True

    def hide_toctree(
        self, app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
    ) -> None:
        """Before Furo: take ``toctree`` away, so that Furo finds nothing to compute."""
        if "toctree" in context and self.applies(app):
            self._hidden_toctree[id(context)] = context.pop("toctree")
            # Computed here, in the main process, even for a page that keeps its own toctree (Sphinx
            # writes its first page there before forking): a parallel build's workers inherit the
            # tree instead of each computing it again.
            self.template(app.env, app.builder)

    def insert(self, app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
        """After Furo: put ``toctree`` back and set this page's navigation tree."""
        toctree = self._hidden_toctree.pop(id(context), None)
        if toctree is None or "toctree" in context:
            # Another listener gave the page its own toctree (sphinx-notfound-page does, for absolute
            # links on the 404 page), and Furo built the navigation from that: leave it.
            return
        context["toctree"] = toctree
        context["furo_navigation_tree"] = self.render(app.env, app.builder, pagename)

    def template(self, env: BuildEnvironment, builder: Builder) -> _Template:
        """The tree, resolved, rendered and cut once per builder."""
        key = (id(builder), builder.name)
        if self._template is None or self._template_for != key:
            from furo.navigation import get_navigation_tree

            tree, targets = _resolve(env, builder)
            if tree is None:
                self._template = _Template([""], {}, {}, [], {})
            else:
                branches = _mark(tree, targets)
                assert isinstance(builder, StandaloneHTMLBuilder)
                fragment = builder.render_partial(tree)["fragment"]
                self._template = _cut(get_navigation_tree(fragment), targets, branches)
            self._template_for = key
        return self._template

    def _pieces_for_directory(self, template: _Template, builder: Builder, pagename: str) -> list[str]:
        # Every link but the page's own is the same for all pages of a directory.
        directory = posixpath.dirname(builder.get_target_uri(pagename))
        pieces = template.by_directory.get(directory)
        if pieces is None:
            base = posixpath.join(directory, _NOBODY)
            pieces = list(template.pieces)
            for index, slot in template.class_slots.values():
                pieces[index] = _class_attribute(slot.before + slot.after)
            for index, target, anchor in template.href_slots:
                pieces[index] = _href(relative_uri(base, builder.get_target_uri(target)), anchor)
            template.by_directory[directory] = pieces
        return pieces

    def render(self, env: BuildEnvironment, builder: Builder, pagename: str) -> str:
        """This page's navigation tree, as Furo would render it."""
        template = self.template(env, builder)
        if not template.class_slots and not template.href_slots:
            return "".join(template.pieces)
        pieces = list(self._pieces_for_directory(template, builder, pagename))
        for index, target, anchor in template.href_slots:
            if target == pagename:
                pieces[index] = _href(builder.get_relative_uri(pagename, target), anchor)
        # Sphinx adds "current" once per entry of the page below an element.
        current: dict[int, int] = {}
        for branch in template.branches.get(pagename, []):
            for marker in branch:
                current[marker] = current.get(marker, 0) + 1
        # Furo marks the last current <li> in document order as the current page.
        items = [marker for marker in current if template.class_slots[marker][1].is_item]
        last_item = max(items) if items else None
        for marker, count in current.items():
            index, slot = template.class_slots[marker]
            extra = ["current-page"] if marker == last_item else []
            pieces[index] = _class_attribute([*slot.before, *["current"] * count, *slot.after, *extra])
            if marker in template.checkbox_slots:
                pieces[template.checkbox_slots[marker]] = ' checked=""'
        return "".join(pieces)


def setup_navigation(app: Sphinx) -> None:
    navigation = FuroNavigation()
    app.connect("env-updated", navigation.reset)
    # Furo's listener runs at the default priority, 500: one before it, one after.
    app.connect("html-page-context", navigation.hide_toctree, priority=400)
    app.connect("html-page-context", navigation.insert, priority=600)
