"""What only the PDF needs: footnote marks that stay apart.

On the web each footnote mark is bracketed ([1][2]); in print two adjacent
superscript marks read as one number (a "12" for notes 1 and 2), so a
superscript comma is set between them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class SeparateFootnoteMarksTransform(SphinxPostTransform):
    """A superscript comma between adjacent footnote references (LaTeX only).

    Priority 590: before Sphinx's LaTeX footnote transform (600) turns references into marks."""

    builders = ("latex",)
    default_priority = 590

    def run(self, **kwargs: Any) -> None:
        for reference in list(self.document.findall(nodes.footnote_reference)):
            parent = reference.parent
            index = parent.index(reference)
            following = parent[index + 1] if index + 1 < len(parent) else None
            if isinstance(following, nodes.footnote_reference):
                parent.insert(index + 1, nodes.superscript(",", ","))


def setup_latex(app: Sphinx) -> None:
    app.add_post_transform(SeparateFootnoteMarksTransform)
