"""Placeholder nodes, replaced by post-transforms once every document is read.

They never reach a writer: :mod:`claimref.indexes` swaps each for docutils nodes.
"""

from __future__ import annotations

from docutils import nodes


class related_claims_placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils style)
    """Where a claim header lists its related claims (known only after all reads)."""


class generated_index(nodes.General, nodes.Element):  # noqa: N801
    """A generated index: ``kind`` is claims, theme, concordance or sources."""
