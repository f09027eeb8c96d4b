"""Generated, never hand-kept, indexes.

Directives leave a :class:`generated_index` placeholder while a page is read;
:class:`GeneratedIndexTransform` fills it once every page is read, from the
claim domain and references.bib. Pages holding indexes are rewritten on every
build (``env-get-updated``), so an index never goes stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import clean_astext

from .bibliography import bib_entries, entry_date, entry_title, note_nodes
from .config import get_config
from .domain import ClaimDomain, ClaimRecord
from .history import history_nodes, page_history
from .metadata import coins_node
from .nodes import (
    anchor_target,
    depart_as_reference,
    depart_robust_reference_html,
    generated_index,
    placeholders,
    related_claims_placeholder,
    robust_reference,
    visit_as_reference,
    visit_robust_reference_html,
)
from .passages import locator_slug, source_anchor
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

INDEX_KINDS = ("claims", "theme", "concordance", "sources", "source-texts")


def _xref(reftype: str, target: str, text: str, classes: Iterable[str] = ()) -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "", refdomain="claim", reftype=reftype, reftarget=target, refexplicit=True, refwarn=True
    )
    ref += nodes.inline(text, text, classes=list(classes))
    return ref


class ClaimIndexDirective(SphinxDirective):
    """``claim-index``: the card grid of every claim by theme; with ``:theme:``, that theme's page."""

    option_spec: ClassVar[dict[str, Any]] = {"theme": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        theme = self.options.get("theme", "").strip()
        if theme:
            themes = get_config(self.config).themes
            if theme not in themes:
                warn(
                    Subtype.UNKNOWN_THEME,
                    f"unknown theme {theme!r} (known: {', '.join(themes)})",
                    (self.env.docname, self.lineno),
                )
                return []
            domain.note_page("theme_pages", self.env.docname, (theme, self.lineno))
            std_label(self.env, f"theme-{theme}", "", themes[theme])
        kinds = domain.data["index_pages"].setdefault(self.env.docname, [])
        kinds.append("theme" if theme else "claims")
        return [generated_index(kind="theme" if theme else "claims", theme=theme)]


class _PlaceholderDirective(SphinxDirective):
    kind: ClassVar[str] = ""
    page_table: ClassVar[str] = ""

    def run(self) -> list[nodes.Node]:
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        if self.page_table:
            domain.note_page(self.page_table, self.env.docname, True)
        domain.data["index_pages"].setdefault(self.env.docname, []).append(self.kind)
        return [generated_index(kind=self.kind)]


class ClaimConcordanceDirective(_PlaceholderDirective):
    """``claim-concordance``: claims x the seed documents that answer them, with dates."""

    kind = "concordance"


class SourceListDirective(_PlaceholderDirective):
    """``source-list``: every references.bib entry, grouped by kind, with the pages citing it."""

    kind = "sources"
    page_table = "sources_page"

    def run(self) -> list[nodes.Node]:
        for key, entry in bib_entries(self.env).items():
            std_label(self.env, f"source-{source_anchor(key)}", source_anchor(key), entry_title(entry))
        return super().run()


class SourceTextsDirective(_PlaceholderDirective):
    """``source-texts``: every stored passage, one anchor each, with provenance."""

    kind = "source-texts"
    page_table = "source_texts_page"

    def run(self) -> list[nodes.Node]:
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        for source in domain.source_files.values():
            for passage in source.passages:
                std_label(self.env, f"passage-{passage.anchor}", passage.anchor, f"{source.key}, {passage.locator}")
        return super().run()


def std_label(env: BuildEnvironment, name: str, anchor: str, title: str) -> None:
    """A global label, so other projects can link here through intersphinx with the plain ``ref`` role."""
    env.get_domain("std").note_hyperlink_target(name, env.docname, anchor, title)  # type: ignore[attr-defined]


class GeneratedIndexTransform(SphinxPostTransform):
    """Fill placeholders from the domain; runs before the reference resolver (priority 10)
    so that the pending cross-references it writes are resolved like any other."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        for node in placeholders(self.document, related_claims_placeholder):
            node.replace_self(self._related(domain, node["claim_id"]))
        for node in placeholders(self.document, generated_index):
            builder = getattr(self, f"_index_{node['kind'].replace('-', '_')}")
            node.replace_self(builder(domain, node))

    # -- related claims --------------------------------------------------------

    def _related(self, domain: ClaimDomain, claim_id: str) -> list[nodes.Node]:
        related = domain.related(claim_id)
        if not related:
            return []
        para = nodes.paragraph(classes=["claim-related"])
        para += nodes.Text("Related claims: ")
        by_id = domain.claims_by_id()
        for index, other in enumerate(related):
            if index:
                para += nodes.Text("; ")
            para += _xref("claim", other, by_id[other].title)
        return [para]

    # -- claim cards -------------------------------------------------------------

    def _cards(self, records: list[ClaimRecord]) -> nodes.Element:
        """A sphinx-design grid of cards (the classes sphinx-design's ``grid``/``grid-item-card`` emit)."""
        grid = nodes.container(classes=["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"])
        row = nodes.container(classes=["sd-row", "sd-row-cols-1", "sd-row-cols-sm-1", "sd-row-cols-md-2", "sd-g-3"])
        grid += row
        for record in records:
            col = nodes.container(classes=["sd-col", "sd-d-flex-row"])
            card = nodes.container(classes=["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm", "claim-card"])
            body = nodes.container(classes=["sd-card-body"])
            title = nodes.paragraph(classes=["sd-card-title", "sd-font-weight-bold"])
            title += _xref("claim", record.id, record.title)
            body += title
            body += nodes.paragraph(record.summary, record.summary, classes=["sd-card-text"])
            ident = nodes.paragraph(classes=["sd-card-text", "claim-card-id"])
            ident += nodes.literal(record.id, record.id)
            body += ident
            card += body
            col += card
            row += col
        return grid

    def _index_claims(self, domain: ClaimDomain, node: nodes.Element) -> list[nodes.Node]:
        themes = get_config(self.config).themes
        out: list[nodes.Node] = []
        for theme, title in themes.items():
            records = sorted((r for r in domain.claims.values() if theme in r.themes), key=lambda r: r.title)
            if not records:
                continue
            rubric = nodes.rubric("", classes=["claim-index-theme"])
            rubric += _xref("theme", theme, title)
            out += [rubric, self._cards(records)]
        return out

    def _index_theme(self, domain: ClaimDomain, node: nodes.Element) -> list[nodes.Node]:
        records = sorted((r for r in domain.claims.values() if node["theme"] in r.themes), key=lambda r: r.title)
        if not records:
            return [nodes.paragraph("", "No claim has this theme yet.")]
        return [self._cards(records)]

    # -- concordance -------------------------------------------------------------

    def _index_concordance(self, domain: ClaimDomain, node: nodes.Element) -> list[nodes.Node]:
        entries = bib_entries(self.env)
        seeds = sorted(
            (k for k, e in entries.items() if e.fields.get("kind") == "seed"), key=lambda k: (entry_date(entries[k]), k)
        )
        table = nodes.table(classes=["claim-concordance"])
        group = nodes.tgroup(cols=len(seeds) + 1)
        table += group
        group += nodes.colspec(colwidth=30)
        for _ in seeds:
            group += nodes.colspec(colwidth=10)
        head_row = nodes.row()
        head_row += _entry(nodes.Text("Claim"))
        for key in seeds:
            head_row += _entry(_xref("source", key, f"{entry_title(entries[key])} ({entry_date(entries[key])})"))
        group += nodes.thead("", head_row)
        body = nodes.tbody()
        for record in sorted(domain.claims.values(), key=lambda r: r.id):
            row = nodes.row()
            row += _entry(_xref("claim", record.id, record.title))
            for key in seeds:
                mark = entry_date(entries[key])[:4] if key in record.seeds else ""
                row += _entry(nodes.Text(mark))
            body += row
        group += body
        caption = nodes.paragraph(
            "",
            "Each cell gives the year of the seed document that answers the claim; "
            "an empty cell: that document does not address it.",
        )
        return [caption, table]

    # -- sources, grouped by kind, with backlinks ---------------------------------

    def _index_sources(self, domain: ClaimDomain, node: nodes.Element) -> list[nodes.Node]:
        entries = bib_entries(self.env)
        titles = _PageTitles(self.env)
        kinds = get_config(self.config).source_kinds
        out: list[nodes.Node] = []
        for kind, heading in kinds.items():
            keys = sorted(
                (k for k, e in entries.items() if e.fields.get("kind") == kind),
                key=lambda k: (entry_date(entries[k]), k),
            )
            if not keys:
                continue
            out.append(nodes.rubric(heading, heading))
            items = nodes.bullet_list(classes=["claim-sources"])
            for key in keys:
                item = nodes.list_item()
                # The COinS span lets Zotero and other reference managers save each entry.
                item += nodes.paragraph(
                    "", "", anchor_target(source_anchor(key)), *note_nodes(entries[key]), coins_node(entries[key])
                )
                details = nodes.paragraph(classes=["claim-source-details"])
                details += nodes.Text("Key: ")
                details += nodes.literal(key, key)
                if key in domain.source_files:
                    details += nodes.Text(" · ")
                    details += _xref("passage-source", key, "stored passages")
                item += details
                if entries[key].fields.get("note"):
                    note_text = str(entries[key].fields["note"])
                    item += nodes.paragraph(note_text, "Note: " + note_text, classes=["claim-source-note"])
                citing = domain.citing_docs(key)
                if citing:
                    item += _page_links("Cited on: ", citing, "claim-source-backlinks", titles)
                else:
                    item += nodes.paragraph("", "Not cited on any page.", classes=["claim-source-backlinks"])
                items += item
            out.append(items)
        return out

    # -- source texts ----------------------------------------------------------

    def _index_source_texts(self, domain: ClaimDomain, node: nodes.Element) -> list[nodes.Node]:
        entries = bib_entries(self.env)
        titles = _PageTitles(self.env)
        out: list[nodes.Node] = []
        quoted_on: dict[str, set[str]] = {}
        for q in domain.all_quotations():
            quoted_on.setdefault(f"{q.key}\x00{locator_slug(q.locator)}", set()).add(q.docname)
        out.extend(history_nodes(page_history(self.env, self.env.docname)))
        for key, source in sorted(domain.source_files.items()):
            block = nodes.container(classes=["claim-source-text"])
            title = entry_title(entries[key]) if key in entries else key
            block += nodes.rubric("", "", anchor_target(source_anchor(key)), nodes.Text(title))
            prov = source.provenance
            facts = nodes.bullet_list(classes=["claim-provenance"])
            if prov.url:
                facts += _item(nodes.Text("Official text: "), nodes.reference(prov.url, prov.url, refuri=prov.url))
            if prov.copy and prov.method == "supplied":
                # A file supplied to the editors, not published with the site: named, not linked.
                facts += _item(nodes.Text("Supplied to the editors as the file "), nodes.literal(prov.copy, prov.copy))
            elif prov.copy:
                facts += _item(
                    nodes.Text("Transcribed from the copy at: "),
                    nodes.reference(prov.copy, prov.copy, refuri=prov.copy),
                )
            how = "fetched from the URL" if prov.method == "fetched" else "transcribed"
            facts += _item(
                nodes.Text(f"Obtained {prov.obtained}, {how}" + (f"; sha256 {prov.sha256}" if prov.sha256 else ""))
            )
            if prov.note:
                facts += _item(nodes.Text(prov.note))
            facts += _item(nodes.Text("Bibliography: "), _xref("source", key, key))
            block += facts
            for passage in source.passages:
                part = nodes.container(classes=["claim-passage"])
                heading = nodes.paragraph(classes=["claim-passage-locator"])
                heading += anchor_target(passage.anchor)
                heading += nodes.strong(passage.locator, passage.locator)
                heading += nodes.Text(f"  (anchor #{passage.anchor})")
                part += heading
                if passage.withdrawn:
                    notice = f"This passage was withdrawn on {passage.withdrawn}. Reason: {passage.reason}"
                    part += nodes.paragraph(notice, notice, classes=["claim-passage-withdrawn"])
                    block += part
                    continue
                part += nodes.block_quote("", nodes.paragraph(passage.text, " ".join(passage.text.split())))
                docs = sorted(quoted_on.get(f"{key}\x00{locator_slug(passage.locator)}", ()))
                if docs:
                    part += _page_links("Quoted on: ", docs, "claim-passage-backlinks", titles)
                block += part
            out.append(block)
        return out


def _page_links(label: str, docnames: Iterable[str], css_class: str, titles: _PageTitles) -> nodes.paragraph:
    """``label`` followed by links to the pages, each titled as Sphinx titles it.

    The title is given (``refexplicit``) from *titles*, which the caller keeps for the page
    being resolved: Sphinx would otherwise deep-copy the page's title node for every link,
    and the sources pages link every citing page once per source (O(pages x sources)).
    """
    para = nodes.paragraph(classes=[css_class])
    para += nodes.Text(label)
    for index, docname in enumerate(docnames):
        if index:
            para += nodes.Text("; ")
        title = titles.of(docname)
        ref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget="/" + docname, refexplicit=title is not None, refwarn=True
        )
        ref += nodes.inline(title or docname, title or docname)
        para += ref
    return para


class _PageTitles:
    """Page titles as the ``doc`` role writes them (``clean_astext``), each computed once."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.env = env
        self._known: dict[str, str] = {}

    def of(self, docname: str) -> str | None:
        if docname not in self._known:
            title = self.env.titles.get(docname)
            if title is None:
                return None
            self._known[docname] = clean_astext(title)
        return self._known[docname]


def _entry(*children: nodes.Node) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *children))


def _item(*children: nodes.Node) -> nodes.list_item:
    return nodes.list_item("", nodes.paragraph("", "", *children))


def _index_views(domain: ClaimDomain, env: BuildEnvironment) -> dict[str, str]:
    """A digest of the data each generated page shows; a page is rewritten when its digest moves."""
    claims = sorted((r.id, r.docname, r.title, r.summary, r.themes, r.seeds) for r in domain.claims.values())
    citing = sorted((key, tuple(domain.citing_docs(key))) for key in bib_entries(env))
    quoted = sorted({(q.key, q.locator, q.docname) for q in domain.all_quotations()})
    bib = sorted((k, tuple(sorted(e.fields.items()))) for k, e in bib_entries(env).items())
    sources = sorted((k, f.provenance, f.passages) for k, f in domain.source_files.items())
    parts = {
        "claims": claims,
        "theme": claims,
        "concordance": (claims, bib),
        "sources": (citing, bib, sorted(domain.source_files)),
        "source-texts": (quoted, sources, bib),
    }
    return {kind: hashlib.sha256(repr(value).encode()).hexdigest() for kind, value in parts.items()}


def rewrite_index_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Generated pages whose data changed, and claim pages whose related list changed, are rewritten."""
    domain = cast(ClaimDomain, env.get_domain("claim"))
    views = _index_views(domain, env)
    previous_views: dict[str, str] = getattr(env, "claimref_index_views", {})
    env.claimref_index_views = views  # type: ignore[attr-defined]
    pages = {
        docname
        for docname, kinds in domain.data["index_pages"].items()
        if any(previous_views.get(kind) != views.get(kind) for kind in kinds)
    }
    related = {r.id: tuple(domain.related(r.id)) for r in domain.claims.values()}
    previous: dict[str, tuple[str, ...]] = getattr(env, "claimref_related_view", {})
    by_id = domain.claims_by_id()
    pages.update(by_id[c].docname for c in related if previous.get(c) != related[c])
    env.claimref_related_view = related  # type: ignore[attr-defined]
    return sorted(pages)


def setup_indexes(app: Sphinx) -> None:
    app.add_node(generated_index)
    app.add_node(related_claims_placeholder)
    app.add_node(
        robust_reference,
        html=(visit_robust_reference_html, depart_robust_reference_html),
        latex=(visit_as_reference, depart_as_reference),
        text=(visit_as_reference, depart_as_reference),
        man=(visit_as_reference, depart_as_reference),
        texinfo=(visit_as_reference, depart_as_reference),
    )
    app.add_directive("claim-index", ClaimIndexDirective)
    app.add_directive("claim-concordance", ClaimConcordanceDirective)
    app.add_directive("source-list", SourceListDirective)
    app.add_directive("source-texts", SourceTextsDirective)
    app.add_post_transform(GeneratedIndexTransform)
    app.connect("env-get-updated", rewrite_index_pages)
