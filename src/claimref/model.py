"""Claim pages: the ``claim`` directive (the page's header) and ``claim-section``.

A claim declares a permanent ID, its statement, themes, the seed documents
that answer it, related claims, a one-line summary of the record and, optionally,
a short verdict (the name of its ClaimReview rating). The page
must live at ``claims/<id>``; its sections have fixed anchors.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .bibliography import bib_entries, entry_date, entry_title
from .cite import claim_citable, download_links, formats, tab_set, typeset
from .config import get_config
from .domain import ClaimDomain, ClaimRecord
from .history import history_nodes, page_history
from .nodes import anchor_target, related_claims_placeholder
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CLAIM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Fixed section names -> default titles, in the order a page must use them.
SECTIONS: dict[str, str] = {
    "the-claim": "The claim",
    "the-argument": "The argument as its proponents make it",
    "the-record": "The record",
    "context": "Context and debate",
    "since": "What has changed since",
    "sources": "Sources",
}
REQUIRED_SECTIONS = ("the-claim", "the-record", "sources")
#: A verdict names a rating (schema.org ``Rating.alternateName``): a short phrase, not a sentence.
VERDICT_MAX = 75


def _words(value: str) -> tuple[str, ...]:
    return tuple(value.split())


class ClaimDirective(SphinxDirective):
    """The header of a claim page: ``claim <id>`` with the claim's fields as options."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, object]] = {
        "statement": directives.unchanged_required,
        "themes": directives.unchanged_required,
        "seeds": directives.unchanged_required,
        "related": directives.unchanged,
        "summary": directives.unchanged_required,
        "verdict": directives.unchanged,
    }
    required_options = ("statement", "themes", "seeds", "summary")

    def run(self) -> list[nodes.Node]:
        claim_id = self.arguments[0].strip()
        location = (self.env.docname, self.lineno)
        if not CLAIM_ID.match(claim_id):
            warn(Subtype.CLAIM, f"claim ID {claim_id!r} is not a lowercase hyphenated slug", location)
            return []
        if self.env.docname != f"claims/{claim_id}":
            warn(
                Subtype.CLAIM, f"claim {claim_id!r} must live at claims/{claim_id} (found {self.env.docname})", location
            )
        missing = [name for name in self.required_options if not self.options.get(name, "").strip()]
        if missing:
            warn(Subtype.CLAIM, f"claim {claim_id!r} is missing required field(s): {', '.join(missing)}", location)
            return []
        config = get_config(self.config)
        themes = _words(self.options["themes"])
        for theme in themes:
            if theme not in config.themes:
                warn(Subtype.UNKNOWN_THEME, f"unknown theme {theme!r} (known: {', '.join(config.themes)})", location)
        entries = bib_entries(self.env)
        seeds = _words(self.options["seeds"])
        for key in seeds:
            if key not in entries:
                warn(Subtype.UNKNOWN_KEY, f"unknown seed document {key!r}: not in references.bib", location)
            elif entries[key].fields.get("kind") != "seed":
                warn(Subtype.BAD_ENTRY, f"{key!r} is not a seed document (its kind is not 'seed')", location)
        related = _words(self.options.get("related", ""))
        verdict = " ".join(self.options.get("verdict", "").split())
        if len(verdict) >= VERDICT_MAX:
            warn(
                Subtype.VERDICT,
                f"claim {claim_id!r}: the verdict has {len(verdict)} characters; it must be under {VERDICT_MAX}",
                location,
            )
        # The page title is known only once the page is read (see check_sections).
        title = ""
        record = ClaimRecord(
            self.env.docname,
            self.lineno,
            claim_id,
            title,
            self.options["statement"].strip(),
            themes,
            seeds,
            related,
            self.options["summary"].strip(),
            verdict,
        )
        cast(ClaimDomain, self.env.get_domain("claim")).note_claim(record)
        label = f"claim-{claim_id}"
        self.env.get_domain("std").note_hyperlink_target(label, self.env.docname, label, title)  # type: ignore[attr-defined]
        target = nodes.target("", "", ids=[label])
        return [target, self._header(record, config.themes, config.base_url)]

    def _header(self, record: ClaimRecord, themes: dict[str, str], base_url: str) -> nodes.Element:
        header = nodes.container(classes=["claim-header"])
        statement = nodes.paragraph(classes=["claim-statement"])
        statement += nodes.strong("Claim: ", "Claim: ")
        statement += nodes.Text(record.statement)
        header += statement
        if record.verdict:
            # Shown, since the ClaimReview rating repeats it (structured data must match the page).
            verdict = nodes.paragraph(classes=["claim-verdict"])
            verdict += nodes.strong("Verdict: ", "Verdict: ")
            verdict += nodes.Text(record.verdict)
            header += verdict

        badges = nodes.paragraph(classes=["claim-themes"])
        badges += nodes.Text("Themes: ")
        for theme in record.themes:
            ref = addnodes.pending_xref(
                "", refdomain="claim", reftype="theme", reftarget=theme, refexplicit=True, refwarn=True
            )
            ref += nodes.inline(
                themes.get(theme, theme),
                themes.get(theme, theme),
                classes=["sd-badge", "sd-bg-primary", "sd-bg-text-primary"],
            )
            badges += ref
            badges += nodes.Text(" ")
        header += badges

        entries = bib_entries(self.env)
        dates = sorted(entry_date(entries[k]) for k in record.seeds if k in entries and entry_date(entries[k]))
        seeds = nodes.paragraph(classes=["claim-seeds"])
        label = "Answered by: "
        if dates:
            label = (
                f"Answered {dates[0][:4]}–{dates[-1][:4]} by: "
                if dates[0][:4] != dates[-1][:4]
                else f"Answered {dates[0][:4]} by: "
            )
        seeds += nodes.Text(label)
        for index, key in enumerate(record.seeds):
            if index:
                seeds += nodes.Text(" · ")
            text = f"{entry_title(entries[key])} ({entry_date(entries[key])})" if key in entries else key
            ref = addnodes.pending_xref(
                "", refdomain="claim", reftype="source", reftarget=key, refexplicit=True, refwarn=True
            )
            ref += nodes.inline(text, text, classes=["sd-badge", "sd-outline-secondary", "sd-text-secondary"])
            seeds += ref
        header += seeds

        header += related_claims_placeholder(claim_id=record.id)

        # The permalink resolves to this page in every builder; its text is the
        # published address when claimref_base_url is set.
        permalink = f"{base_url}claims/{record.id}.html"
        para = nodes.paragraph(classes=["claim-permalink"])
        para += nodes.Text("Permalink: ")
        ref = addnodes.pending_xref(
            "", refdomain="claim", reftype="claim", reftarget=record.id, refexplicit=True, refwarn=True
        )
        ref += nodes.literal(permalink, permalink)
        para += ref
        para += nodes.Text(f" (label claim-{record.id})")
        header += para
        header.extend(history_nodes(page_history(self.env, self.env.docname)))
        return header


class ClaimSectionDirective(SphinxDirective):
    """A claim page's section, with a fixed anchor: ``claim-section the-record``."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, object]] = {"title": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        location = (self.env.docname, self.lineno)
        if name not in SECTIONS:
            warn(Subtype.SECTION, f"unknown claim section {name!r} (known: {', '.join(SECTIONS)})", location)
            return []
        seen: list[str] = cast("list[str]", self.env.temp_data.setdefault("claimref_sections", []))
        if name in seen:
            warn(Subtype.SECTION, f"claim section {name!r} appears twice", location)
            return []
        order = list(SECTIONS)
        if seen and order.index(name) < order.index(seen[-1]):
            warn(Subtype.SECTION, f"claim section {name!r} must come before {seen[-1]!r}", location)
        seen.append(name)
        title_text = self.options.get("title", SECTIONS[name])
        section = nodes.section(ids=[name], classes=[f"claim-section-{name}"])
        section.document = self.state.document
        self.set_source_info(section)
        section += nodes.title(title_text, title_text)
        self.state.nested_parse(self.content, self.content_offset, section)
        if name == "sources":
            self._cite_this(section)
        return [section]

    def _cite_this(self, section: nodes.section) -> None:
        """The page's own citation, in four formats (the footnotes are placed before it)."""
        record = cast(ClaimDomain, self.env.get_domain("claim")).claims.get(self.env.docname)
        if record is None:
            return
        title = self.state.document.next_node(nodes.title)
        item = claim_citable(self.env, record.id, typeset(title.astext(), self.config) if title else record.id)
        # On the web: four formats in tabs, with files to download. In print: one line.
        web = addnodes.only(expr="html")
        box = nodes.container(classes=["claim-cite"])
        box += nodes.rubric("Cite this page", "Cite this page")
        box += tab_set(item, self.config)
        box += download_links(item, depth=self.env.docname.count("/"))
        web += box
        section += web
        chicago = formats(item, self.config)["chicago"]
        printed = addnodes.only(expr="not html")
        printed += nodes.paragraph(
            "", "", nodes.strong("Cite as: ", "Cite as: "), nodes.Text(chicago), classes=["claim-cite"]
        )
        section += printed


class ClaimWithdrawnDirective(SphinxDirective):
    """A tombstone: ``claim-withdrawn <id>`` with ``:date:`` and ``:reason:``; the page and its ID stay."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, object]] = {
        "date": directives.unchanged_required,
        "reason": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        claim_id = self.arguments[0].strip()
        location = (self.env.docname, self.lineno)
        date, reason = self.options.get("date", "").strip(), self.options.get("reason", "").strip()
        if not date or not reason:
            warn(Subtype.CLAIM, f"withdrawn claim {claim_id!r} needs :date: and :reason:", location)
            return []
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        domain.note_page("withdrawn", self.env.docname, (claim_id, self.lineno, date, reason))
        box = nodes.container(classes=["claim-withdrawn"])
        box += anchor_target(f"claim-{claim_id}")
        box += nodes.paragraph(
            "",
            "",
            nodes.strong("Withdrawn. ", "Withdrawn. "),
            nodes.Text(f"The claim page {claim_id!r} was withdrawn on {date}. Reason: {reason}"),
        )
        box += nodes.paragraph(
            "",
            "Its ID is never reused. The changelog records the withdrawal; the other claims are in the claims index.",
        )
        return [box]


def check_sections(app: Sphinx, doctree: nodes.document) -> None:
    """After reading a claim page: record its title; every required section is present."""
    env = app.env
    seen = cast("list[str]", env.temp_data.pop("claimref_sections", []))
    domain = cast(ClaimDomain, env.get_domain("claim"))
    record = domain.claims.get(env.docname)
    if record is None:
        return
    title = doctree.next_node(nodes.title)
    record = record._replace(title=title.astext() if title is not None else record.id)
    domain.note_claim(record)
    for name in REQUIRED_SECTIONS:
        if name not in seen:
            warn(Subtype.SECTION, f"claim {record.id!r} has no {name!r} section", (env.docname, record.line))
    wanted = get_config(app.config).min_statements
    found = len(domain.data["statements"].get(env.docname, []))
    if found < wanted:
        warn(
            Subtype.STATEMENT,
            f"claim {record.id!r} records {found} statement(s); at least {wanted} (claim-statement) are required",
            (env.docname, record.line),
        )


def setup_model(app: Sphinx) -> None:
    app.add_directive("claim", ClaimDirective)
    app.add_directive("claim-section", ClaimSectionDirective)
    app.add_directive("claim-withdrawn", ClaimWithdrawnDirective)
    app.connect("doctree-read", check_sections)
