"""Pages generated from the statements: the chronology, the people index and a page per person.

Directives leave a :class:`statement_index` placeholder; :class:`StatementIndexTransform`
fills it once every page is read. The pages are rewritten whenever the statements
or the registry they show change (``env-get-updated``).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .bibliography import format_iso_date
from .domain import ClaimDomain, StatementRecord
from .indexes import std_label
from .nodes import anchor_target, placeholders, statement_index
from .people import Person
from .statements import OWN_TRANSLATION
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def _xref(reftype: str, target: str, text: str, anchor_doc: str = "") -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "", refdomain="claim", reftype=reftype, reftarget=target, refexplicit=True, refwarn=True
    )
    ref += nodes.inline(text, text)
    return ref


class PersonPageDirective(SphinxDirective):
    """``person-page <id>``: a person's whole page (title, offices, every statement), from the registry.

    The page file holds only this directive: ``docs/people/<id>.md``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        person_id = self.arguments[0].strip()
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        person = domain.people.get(person_id)
        location = (self.env.docname, self.lineno)
        if person is None:
            warn(Subtype.PERSON, f"person page for unknown person {person_id!r} (not in the registry)", location)
            return []
        domain.note_page("person_pages", self.env.docname, (person_id, self.lineno))
        std_label(self.env, person.anchor, person.anchor, person.name)
        # The page's title is the registry's name, so the two cannot disagree.
        section = nodes.section(ids=[person.anchor], names=[person.anchor])
        section.document = self.state.document
        self.set_source_info(section)
        section += nodes.title(person.name, person.name)
        section += statement_index(kind="person", person=person_id)
        return [section]


class _IndexDirective(SphinxDirective):
    kind: ClassVar[str] = ""

    def run(self) -> list[nodes.Node]:
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        domain.data["index_pages"].setdefault(self.env.docname, []).append(self.kind)
        return [statement_index(kind=self.kind)]


class ChronologyDirective(_IndexDirective):
    """``statement-chronology``: every statement in date order."""

    kind = "chronology"


class PeopleIndexDirective(_IndexDirective):
    """``people-index``: everyone in the registry, with offices and the number of statements."""

    kind = "people"


def _offices(person: Person) -> nodes.bullet_list:
    items = nodes.bullet_list(classes=["person-offices"])
    for office in person.offices:
        text = f"{office.title}, {office.span}"
        items += nodes.list_item("", nodes.paragraph(text, text))
    return items


def _words(statement: StatementRecord) -> nodes.paragraph:
    para = nodes.paragraph(classes=["statement-words"])
    para += _xref("statement", statement.id, f"\u201c{statement.words}\u201d")
    if statement.translation == OWN_TRANSLATION:
        para += nodes.Text(" (translation by the reference)")
    if statement.original:
        para += nodes.Text(" Russian: ")
        para += nodes.inline(f"\u00ab{statement.original}\u00bb", f"\u00ab{statement.original}\u00bb")
    return para


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _cell(*children: nodes.Node) -> nodes.entry:
    return nodes.entry("", *(c if isinstance(c, nodes.Body) else nodes.paragraph("", "", c) for c in children))


class StatementIndexTransform(SphinxPostTransform):
    """Fill the placeholders; before the reference resolver (priority 10) so its xrefs resolve."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        for node in placeholders(self.document, statement_index):
            node.replace_self(getattr(self, f"_{node['kind']}")(domain, node))

    def _table(self, domain: ClaimDomain, statements: list[StatementRecord], *, with_person: bool) -> nodes.table:
        columns = ["Date", *(["Person"] if with_person else []), "Claim", "Words", "Source"]
        table = nodes.table(classes=["statement-chronology"])
        group = nodes.tgroup(cols=len(columns))
        table += group
        for width in [12, *([16] if with_person else []), 22, 40, 14][: len(columns)]:
            group += nodes.colspec(colwidth=width)
        head = nodes.row()
        for title in columns:
            head += _cell(nodes.Text(title))
        group += nodes.thead("", head)
        body = nodes.tbody()
        claims = domain.claims_by_id()
        for statement in statements:
            row = nodes.row()
            date = format_iso_date(statement.date)
            row += _cell(nodes.paragraph("", "", anchor_target(f"chronology-{statement.id}"), nodes.Text(date)))
            if with_person:
                person = domain.people.get(statement.person)
                row += _cell(_xref("person", statement.person, person.name if person else statement.person))
            claim = claims.get(statement.claim_id)
            row += _cell(_xref("claim", statement.claim_id, claim.title if claim else statement.claim_id))
            row += _cell(_words(statement))
            source = _xref("source", statement.key, statement.key)
            row += _cell(nodes.paragraph("", "", source, nodes.Text(f", {statement.locator}")))
            body += row
        group += body
        return table

    def _chronology(self, domain: ClaimDomain, node: nodes.Element) -> list[nodes.Node]:
        statements = domain.all_statements()
        if not statements:
            return [nodes.paragraph("", "No statement is recorded yet.")]
        years = sorted({s.date[:4] for s in statements})
        people, claims = len({s.person for s in statements}), len({s.claim_id for s in statements})
        intro = (
            f"{_count(len(statements), 'statement')} by {_count(people, 'person', 'people')}, "
            f"on {_count(claims, 'claim')}, {years[0]}\u2013{years[-1]}."
        )
        return [nodes.paragraph(intro, intro), self._table(domain, statements, with_person=True)]

    def _people(self, domain: ClaimDomain, node: nodes.Element) -> list[nodes.Node]:
        counts: dict[str, int] = {}
        for statement in domain.all_statements():
            counts[statement.person] = counts.get(statement.person, 0) + 1
        items = nodes.bullet_list(classes=["people-index"])
        for person in sorted(domain.people.values(), key=lambda p: p.name.split()[-1]):
            para = nodes.paragraph()
            para += _xref("person", person.id, person.name)
            if person.name_ru:
                para += nodes.Text(f" ({person.name_ru})")
            latest = max(person.offices, key=lambda o: o.start)
            n = counts.get(person.id, 0)
            para += nodes.Text(f": {latest.title}, {latest.span}; {_count(n, 'statement')}.")
            items += nodes.list_item("", para)
        return [items]

    def _person(self, domain: ClaimDomain, node: nodes.Element) -> list[nodes.Node]:
        person = domain.people[node["person"]]
        out: list[nodes.Node] = []
        if person.name_ru:
            out.append(
                nodes.paragraph("", "", nodes.strong("In Russian: ", "In Russian: "), nodes.Text(person.name_ru))
            )
        out.append(nodes.rubric("Offices", "Offices"))
        out.append(_offices(person))
        if person.source or person.note:
            para = nodes.paragraph(classes=["person-source"])
            para += nodes.Text("Offices and dates: ")
            if person.source:
                para += nodes.reference(person.source, person.source, refuri=person.source)
                para += nodes.Text(". ")
            para += nodes.Text(person.note)
            out.append(para)
        statements = [s for s in domain.all_statements() if s.person == person.id]
        out.append(nodes.rubric("Statements", "Statements"))
        if statements:
            out.append(self._table(domain, statements, with_person=False))
        else:
            out.append(nodes.paragraph("", "No statement by this person is recorded yet."))
        return out


def _digest(domain: ClaimDomain) -> str:
    data = (
        domain.all_statements(),
        sorted(domain.people.items()),
        sorted((r.id, r.title) for r in domain.claims.values()),
    )
    return hashlib.sha256(repr(data).encode()).hexdigest()


def rewrite_statement_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The chronology, people and person pages show every statement: rewrite them when any changes."""
    domain = cast(ClaimDomain, env.get_domain("claim"))
    digest = _digest(domain)
    if getattr(env, "claimref_statements_digest", None) == digest:
        return []
    env.claimref_statements_digest = digest  # type: ignore[attr-defined]
    pages = {d for d, kinds in domain.data["index_pages"].items() if {"chronology", "people"} & set(kinds)}
    return sorted(pages | set(domain.data["person_pages"]))


def setup_chronology(app: Sphinx) -> None:
    app.add_node(statement_index)
    app.add_directive("person-page", PersonPageDirective)
    app.add_directive("statement-chronology", ChronologyDirective)
    app.add_directive("people-index", PeopleIndexDirective)
    app.add_post_transform(StatementIndexTransform)
    app.connect("env-get-updated", rewrite_statement_pages)
