"""The chronology as a picture: the whole timeline (``claim-timeline``) and each claim's own strip.

Drawn at build time from the model: the dated statements of each claim and the dates of the
seed documents that answer it. :class:`TimelineTransform` fills the ``claim-timeline``
placeholder and puts a strip into every claim page's header (the pages are not edited).
The picture is a :class:`timeline_chart` node: HTML writes it as inline SVG (an accessible
image, ignored by both searches), LaTeX as a TikZ picture of the same data, and the text
writers skip it. Each picture's text equivalent (the chronology's table and seed list, each
strip's caption) is ordinary docutils text, in every format.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .bibliography import bib_entries, entry_date, entry_title, format_iso_date
from .domain import ClaimDomain, ClaimRecord
from .nodes import CLAIM_HEADER, Placeholder, placeholders
from .timeline_svg import Mark, Row, draw, span
from .timeline_tikz import draw as draw_tikz

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


class timeline_placeholder(Placeholder):  # noqa: N801 (docutils style)
    """Where ``claim-timeline`` draws the whole timeline, once every page is read."""


class timeline_chart(nodes.General, nodes.Element):  # noqa: N801
    """A timeline picture: ``ident``, ``title``, ``description``, ``rows`` (label, marks), ``years``."""


def _rows(node: timeline_chart) -> list[Row]:
    return [Row(label, marks) for label, marks in node["rows"]]


def visit_timeline_chart_html(self: Any, node: timeline_chart) -> None:
    rows = _rows(node)
    self.body.append(self.starttag(node, "div", "", CLASS="claimref-timeline"))
    self.body.append(draw(node["ident"], node["title"], node["description"], rows, node["years"]))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def visit_timeline_chart_latex(self: Any, node: timeline_chart) -> None:
    self.body.append(draw_tikz(_rows(node), node["years"]))
    raise nodes.SkipNode


def skip_timeline_chart(self: Any, node: timeline_chart) -> None:
    """Plain text and the other writers: the picture is left out; its text equivalent stands in."""
    raise nodes.SkipNode


class ClaimTimelineDirective(SphinxDirective):
    """``claim-timeline``: every claim, its statements and the seed documents' answers, by year."""

    def run(self) -> list[nodes.Node]:
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        domain.data["index_pages"].setdefault(self.env.docname, []).append("timeline")
        return [timeline_placeholder()]


def _marks(domain: ClaimDomain, env: BuildEnvironment, record: ClaimRecord) -> tuple[Mark, ...]:
    entries = bib_entries(env)
    marks = []
    for statement in domain.statements_of(record.id):
        person = domain.people.get(statement.person)
        who = person.name if person else statement.person
        marks.append(Mark(statement.date, "statement", f"{format_iso_date(statement.date)}: {who}"))
    for key in record.seeds:
        if key in entries and entry_date(entries[key]):
            date = entry_date(entries[key])
            marks.append(Mark(date, "seed", f"{format_iso_date(date)}: {entry_title(entries[key])}"))
    return tuple(sorted(marks, key=lambda m: (m.date, m.kind)))


def _first_year(marks: tuple[Mark, ...]) -> str:
    return min((m.date for m in marks), default="9999")


def _until(env: BuildEnvironment) -> int:
    """The build's year: the right end of every timeline (with 1990 at the left, so strips on different
    pages line up unless a claim reaches further back)."""
    today = str(env.config.today or "")
    return int(today[:4]) if today[:4].isdigit() else 2026


def caption(marks: tuple[Mark, ...]) -> str:
    """A strip's text equivalent: the statements and the answers, in words."""
    stated = [m.label for m in marks if m.kind == "statement"]
    answered = [m.label for m in marks if m.kind == "seed"]
    parts = [
        f"Stated: {'; '.join(stated)}." if stated else "No dated statement is recorded.",
        f"Answered by the seed documents: {'; '.join(answered)}." if answered else "",
    ]
    return " ".join(p for p in parts if p)


class TimelineTransform(SphinxPostTransform):
    """Draw the timelines; before the reference resolver (priority 10), like the other generated parts."""

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        for node in placeholders(self.document, timeline_placeholder):
            node.replace_self(self._whole(domain))
        # Every claim header, found by its id claim-<id> (docutils moves the claim directive's target
        # onto it): in a LaTeX build all pages are one document, so the docname names no claim.
        by_id = domain.claims_by_id()
        headers: list[nodes.Element] = placeholders(self.document, CLAIM_HEADER)
        for header in headers:
            ids = header["ids"]
            record = next((by_id[i[6:]] for i in ids if i.startswith("claim-") and i[6:] in by_id), None)
            if record is not None:
                header += self._strip(domain, record)

    def _whole(self, domain: ClaimDomain) -> list[nodes.Node]:
        records = sorted(
            domain.claims_by_id().values(), key=lambda r: (_first_year(_marks(domain, self.env, r)), r.title)
        )
        rows = [(r.title, _marks(domain, self.env, r)) for r in records]
        if not rows:
            return [nodes.paragraph("", "No claim is recorded yet.")]
        years = span([Row("", marks) for _, marks in rows], _until(self.env))
        statements = sum(1 for _, marks in rows for m in marks if m.kind == "statement")
        description = (
            f"A timeline of {len(rows)} claims from {years[0]} to {years[1] - 1}, one row each, ordered by the "
            f"first date in the row: {statements} dated statements of the claims (filled dots) and the dates "
            "of the seed documents that answer them (open diamonds). The table below lists every statement, "
            "with links to the claims."
        )
        chart = timeline_chart(
            ident="timeline-all",
            title="The claims over time: statements and answers, by year",
            description=description,
            rows=rows,
            years=years,
        )
        entries = bib_entries(self.env)
        seeds = sorted({k for r in records for k in r.seeds if k in entries}, key=lambda k: (entry_date(entries[k]), k))
        answers = "; ".join(
            f"{format_iso_date(entry_date(entries[k]))}, {entry_title(entries[k])} "
            f"({sum(1 for r in records if k in r.seeds)} claims)"
            for k in seeds
            if entry_date(entries[k])
        )
        words = f"The seed documents' answers: {answers}." if answers else ""
        return [chart, nodes.paragraph(words, words, classes=["claimref-timeline-text"])]

    def _strip(self, domain: ClaimDomain, record: ClaimRecord) -> nodes.container:
        marks = _marks(domain, self.env, record)
        years = span([Row("", marks)], _until(self.env))
        box = nodes.container(classes=["claimref-timeline-strip"])
        text = caption(marks)
        box += timeline_chart(
            ident=f"timeline-{record.id}",
            title=f"Timeline of the claim: {record.title}",
            description=text,
            rows=[("This claim", marks)],
            years=years,
        )
        box += nodes.paragraph(text, text, classes=["claimref-timeline-text"])
        return box


def _digest(app: Sphinx, env: BuildEnvironment) -> str:
    domain = cast(ClaimDomain, env.get_domain("claim"))
    claims = sorted((r.id, r.docname, r.title, r.seeds) for r in domain.claims.values())
    return hashlib.sha256(repr((claims, domain.all_statements(), sorted(domain.people))).encode()).hexdigest()


def rewrite_timeline_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The whole timeline shows every claim: its page is rewritten when a claim, seed or statement changes."""
    digest = _digest(app, env)
    if getattr(env, "claimref_timeline_digest", None) == digest:
        return []
    env.claimref_timeline_digest = digest  # type: ignore[attr-defined]
    domain = cast(ClaimDomain, env.get_domain("claim"))
    return sorted(d for d, kinds in domain.data["index_pages"].items() if "timeline" in kinds)


def setup_timeline(app: Sphinx) -> None:
    skip = (skip_timeline_chart, None)
    app.add_node(timeline_placeholder)
    app.add_node(
        timeline_chart,
        html=(visit_timeline_chart_html, None),
        latex=(visit_timeline_chart_latex, None),
        text=skip,
        man=skip,
        texinfo=skip,
    )
    app.add_latex_package("tikz")
    app.add_directive("claim-timeline", ClaimTimelineDirective)
    app.add_post_transform(TimelineTransform)
    app.connect("env-get-updated", rewrite_timeline_pages)
