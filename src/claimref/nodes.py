"""Placeholder nodes, replaced by post-transforms once every document is read.

They never reach a writer: :mod:`claimref.indexes` swaps each for docutils nodes.
"""

from __future__ import annotations

from docutils import nodes


class related_claims_placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils style)
    """Where a claim header lists its related claims (known only after all reads)."""


class generated_index(nodes.General, nodes.Element):  # noqa: N801
    """A generated index: ``kind`` is claims, theme, concordance or sources."""


class statement_index(nodes.General, nodes.Element):  # noqa: N801
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
