"""Placeholder nodes, replaced by post-transforms once every document is read.

They never reach a writer: :mod:`claimref.indexes` swaps each for docutils nodes.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TypeVar

from docutils import nodes

#: The key of the claim headers among a page's :func:`placeholders` (the timeline adds its strip to each).
CLAIM_HEADER = "claim-header"


class Placeholder(nodes.General, nodes.Element):
    """What a post-transform fills in once every page is read; every placeholder class is one."""


P = TypeVar("P", bound=nodes.Element)


def placeholders(document: nodes.document, kind: type[P] | str) -> list[P]:
    """The page's placeholders of *kind* (or its claim headers, for :data:`CLAIM_HEADER`), in order.

    claimref's post-transforms each looked for their own nodes in a walk of every node of every
    page; the page is now walked once, by the first of them. Placeholders are made by directives
    while the page is read, so none is missed."""
    found: dict[type | str, list[nodes.Element]] | None = getattr(document, "_claimref_placeholders", None)
    if found is None:
        found = defaultdict(list)
        for node in document.findall(nodes.Element):
            if isinstance(node, Placeholder):
                found[type(node)].append(node)
            elif isinstance(node, nodes.container) and CLAIM_HEADER in node["classes"]:
                found[CLAIM_HEADER].append(node)
        document._claimref_placeholders = found  # type: ignore[attr-defined]
    return list(found.get(kind, ()))  # type: ignore[arg-type]


class related_claims_placeholder(Placeholder):  # noqa: N801 (docutils style)
    """Where a claim header lists its related claims (known only after all reads)."""


class generated_index(Placeholder):  # noqa: N801
    """A generated index: ``kind`` is claims, theme, concordance or sources."""


class statement_index(Placeholder):  # noqa: N801
    """A page generated from the statements: ``kind`` is chronology, people or person."""


class robust_reference(nodes.reference):  # noqa: N801
    """A link to a source's live address that also knows its archived copy (Robust Links).

    HTML gets ``data-originalurl``, ``data-versionurl`` and ``data-versiondate``;
    other writers treat it as an ordinary reference.
    """


def visit_robust_reference_html(self: nodes.NodeVisitor, node: robust_reference) -> None:
    attributes = {
        "href": node["refuri"],
        "data-originalurl": node["originalurl"],
        "data-versionurl": node["versionurl"],
        "data-versiondate": node["versiondate"],
    }
    self.body.append(self.starttag(node, "a", "", CLASS="reference external", **attributes))  # type: ignore[attr-defined]


def depart_robust_reference_html(self: nodes.NodeVisitor, node: robust_reference) -> None:
    self.body.append("</a>")  # type: ignore[attr-defined]


def visit_as_reference(self: nodes.NodeVisitor, node: robust_reference) -> None:
    self.visit_reference(node)  # type: ignore[attr-defined]


def depart_as_reference(self: nodes.NodeVisitor, node: robust_reference) -> None:
    self.depart_reference(node)  # type: ignore[attr-defined]


def anchor_target(anchor: str) -> nodes.target:
    """An id for a block that LaTeX cannot label itself (containers, list items, table rows):
    HTML gets an empty ``<span id>``, LaTeX a ``\\label``, so links land there in the PDF too."""
    return nodes.target("", "", ids=[anchor])


class lang_block(nodes.General, nodes.Element):  # noqa: N801
    """A block quotation in another language: HTML gets ``lang`` so that readers and screen readers
    switch language; other writers treat it as a block quote (the PDF's fonts carry Cyrillic)."""


def visit_lang_block_html(self: nodes.NodeVisitor, node: lang_block) -> None:
    self.body.append(self.starttag(node, "blockquote", "", lang=node["lang"]))  # type: ignore[attr-defined]


def depart_lang_block_html(self: nodes.NodeVisitor, node: lang_block) -> None:
    self.body.append("</blockquote>\n")  # type: ignore[attr-defined]


def visit_as_block_quote(self: nodes.NodeVisitor, node: lang_block) -> None:
    self.visit_block_quote(node)  # type: ignore[attr-defined]


def depart_as_block_quote(self: nodes.NodeVisitor, node: lang_block) -> None:
    self.depart_block_quote(node)  # type: ignore[attr-defined]
