"""The front page's generated parts: the themes as a card grid, and the latest changes.

``theme-cards`` gives each theme a card with its number of claims and its most-cited claims:
the claims with the most recorded statements by officials, then the most seed documents
answering them. ``latest-changes`` gives the newest release notes of the changelog. Both are
filled once every page is read, and the front page is rewritten whenever what they show changes.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .bibliography import format_iso_date
from .config import get_config
from .domain import ClaimDomain, ClaimRecord
from .nodes import Placeholder, placeholders
from .releases import FEED_FILE, all_releases

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

FRONT_KINDS = ("theme-cards", "latest-changes")


class front_placeholder(Placeholder):  # noqa: N801 (docutils style)
    """Where the front page shows ``kind`` (theme-cards or latest-changes), once every page is read."""


def _xref(reftype: str, target: str, text: str, refdomain: str = "claim") -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "", refdomain=refdomain, reftype=reftype, reftarget=target, refexplicit=True, refwarn=True
    )
    ref += nodes.inline(text, text)
    return ref


class _FrontDirective(SphinxDirective):
    kind: ClassVar[str] = ""
    option_spec: ClassVar[dict[str, Any]] = {"limit": directives.positive_int}
    default_limit: ClassVar[int] = 3

    def run(self) -> list[nodes.Node]:
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        domain.data["index_pages"].setdefault(self.env.docname, []).append(self.kind)
        return [front_placeholder(kind=self.kind, limit=self.options.get("limit", self.default_limit))]


class ThemeCardsDirective(_FrontDirective):
    """``theme-cards``: a card per theme, with its count and its ``:limit:`` (3) most-cited claims."""

    kind = "theme-cards"


class LatestChangesDirective(_FrontDirective):
    """``latest-changes``: the ``:limit:`` (1) newest releases of the changelog."""

    kind = "latest-changes"
    default_limit = 1


def most_cited(domain: ClaimDomain, records: list[ClaimRecord]) -> list[ClaimRecord]:
    """Most statements first, then most seed documents answering, then by title."""
    counts = {r.id: len(domain.statements_of(r.id)) for r in records}
    return sorted(records, key=lambda r: (-counts[r.id], -len(r.seeds), r.title))


class FrontPageTransform(SphinxPostTransform):
    """Fill the front page's placeholders; before the reference resolver (priority 10) so its xrefs resolve."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        for node in placeholders(self.document, front_placeholder):
            builder = getattr(self, "_" + node["kind"].replace("-", "_"))
            node.replace_self(builder(domain, node["limit"]))

    def _theme_cards(self, domain: ClaimDomain, limit: int) -> list[nodes.Node]:
        # The classes sphinx-design's grid and grid-item-card emit, as the claim index uses them.
        grid = nodes.container(classes=["sd-container-fluid", "sd-sphinx-override", "sd-mb-4", "theme-cards"])
        row = nodes.container(classes=["sd-row", "sd-row-cols-1", "sd-row-cols-sm-2", "sd-row-cols-md-2", "sd-g-3"])
        grid += row
        for theme, title in get_config(self.config).themes.items():
            records = [r for r in domain.claims.values() if theme in r.themes]
            if not records:
                continue
            col = nodes.container(classes=["sd-col", "sd-d-flex-row"])
            card = nodes.container(classes=["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm", "theme-card"])
            body = nodes.container(classes=["sd-card-body"])
            heading = nodes.paragraph(classes=["sd-card-title", "sd-font-weight-bold"])
            heading += _xref("theme", theme, title)
            body += heading
            count = f"{len(records)} claim{'s' if len(records) != 1 else ''}. Most cited:"
            body += nodes.paragraph(count, count, classes=["sd-card-text", "theme-card-count"])
            top = nodes.bullet_list(classes=["theme-card-claims"])
            for record in most_cited(domain, records)[:limit]:
                top += nodes.list_item("", nodes.paragraph("", "", _xref("claim", record.id, record.title)))
            body += top
            card += body
            col += card
            row += col
        return [grid]

    def _latest_changes(self, domain: ClaimDomain, limit: int) -> list[nodes.Node]:
        releases = all_releases(domain)[:limit]
        if not releases:
            return [nodes.paragraph("", "No release is recorded yet.")]
        items = nodes.bullet_list(classes=["latest-changes"])
        for record in releases:
            para = nodes.paragraph()
            ref = _xref("ref", record.anchor, f"Release {record.version}", refdomain="std")
            para += nodes.strong("", "", ref)
            para += nodes.Text(f" ({format_iso_date(record.date)}): {record.text.split(chr(10))[0]}")
            items += nodes.list_item("", para)
        words = f"Every change is in the changelog, and announced in its Atom feed, {FEED_FILE}."
        return [items, nodes.paragraph(words, words)]


def _digest(env: BuildEnvironment) -> str:
    domain = cast(ClaimDomain, env.get_domain("claim"))
    claims = sorted((r.id, r.title, r.themes, r.seeds) for r in domain.claims.values())
    counts = sorted((s.claim_id, s.id) for s in domain.all_statements())
    return hashlib.sha256(repr((claims, counts, all_releases(domain))).encode()).hexdigest()


def rewrite_front_page(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The front page shows every theme and the latest release: rewrite it when they change."""
    digest = _digest(env)
    if getattr(env, "claimref_front_digest", None) == digest:
        return []
    env.claimref_front_digest = digest  # type: ignore[attr-defined]
    domain = cast(ClaimDomain, env.get_domain("claim"))
    return sorted(d for d, kinds in domain.data["index_pages"].items() if set(FRONT_KINDS) & set(kinds))


def setup_front(app: Sphinx) -> None:
    app.add_node(front_placeholder)
    app.add_directive("theme-cards", ThemeCardsDirective)
    app.add_directive("latest-changes", LatestChangesDirective)
    app.add_post_transform(FrontPageTransform)
    app.connect("env-get-updated", rewrite_front_page)
