"""The ``claim`` domain: per-document records of claims, citations and quotations.

Records are NamedTuples keyed by docname, purged in ``clear_doc`` and merged by
docname after parallel reads. Cross-document checks (duplicate IDs, unknown
related claims, theme pages) are recomputed from scratch in ``env-updated``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Set
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from .passages import SourceFile, locator_slug, passage_anchor, source_anchor
from .people import Person
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


class ClaimRecord(NamedTuple):
    docname: str
    line: int
    id: str
    title: str
    statement: str
    themes: tuple[str, ...]
    seeds: tuple[str, ...]
    related: tuple[str, ...]
    summary: str
    verdict: str = ""  # a short verdict (under 75 characters): the ClaimReview rating's name


class StatementRecord(NamedTuple):
    """One dated statement of a claim by a named person (the ``claim-statement`` directive)."""

    docname: str
    line: int
    id: str
    claim_id: str
    person: str  # an ID of the people registry
    date: str  # ISO date
    occasion: str
    place: str
    key: str  # the record of the statement: bib key and locator
    locator: str
    words: str  # English, as the source prints it (or the reference's own translation)
    translation: str  # who made the English; "reference" for the reference's own
    original: str = ""  # the Russian words, verified against their own passage
    original_key: str = ""
    original_locator: str = ""

    @property
    def anchor(self) -> str:
        return f"statement-{self.id}"


class CitationRecord(NamedTuple):
    docname: str
    line: int
    key: str
    locator: str
    footnote_id: str


class QuotationRecord(NamedTuple):
    docname: str
    line: int
    key: str
    locator: str
    text: str
    source_path: str  # the page file, for reports
    # The build's verdict when the page was read (a change to sources/ re-reads every page that
    # quotes); the dataset and ClaimReview use it. The checker judges again from the stored passages.
    verdict: str = ""


class UnmarkedQuotation(NamedTuple):
    docname: str
    line: int
    text: str


def _first_pages(pages: dict[str, tuple[str, int]]) -> dict[str, str]:
    """``{docname: (name, line)}`` -> ``{name: the first of its docnames, sorted}``."""
    first: dict[str, str] = {}
    for docname, (name, _line) in sorted(pages.items()):
        first.setdefault(name, docname)
    return first


class ClaimDomain(Domain):
    """Claims, sources and passages as objects; the data behind every generated index."""

    name = "claim"
    label = "Claims"
    object_types = {
        "claim": ObjType("claim", "claim"),
        "source": ObjType("source", "source"),
        "passage": ObjType("passage", "passage"),
        "theme": ObjType("theme", "theme"),
        "person": ObjType("person", "person"),
        "statement": ObjType("statement", "statement"),
    }
    roles = {
        "claim": XRefRole(),
        "source": XRefRole(),
        "passage": XRefRole(),
        "theme": XRefRole(),
        "person": XRefRole(),
        "statement": XRefRole(),
    }
    initial_data = {
        "claims": {},  # docname -> ClaimRecord
        "citations": {},  # docname -> list[CitationRecord]
        "quotations": {},  # docname -> list[QuotationRecord]
        "unmarked": {},  # docname -> list[UnmarkedQuotation]
        "theme_pages": {},  # docname -> (theme, line)
        "index_pages": {},  # docname -> generated index kinds on that page
        "source_texts_page": {},  # docname -> True (the page rendering every passage)
        "sources_page": {},  # docname -> True (the page listing every bib entry)
        "withdrawn": {},  # docname -> (claim id, line, date, reason): tombstones keep their ID
        "statements": {},  # docname -> list[StatementRecord]
        "person_pages": {},  # docname -> (person id, line)
        "releases": {},  # docname -> list[ReleaseRecord] (the changelog's release-note entries)
    }
    data_version = 6
    # Loaded each build from sources/ and the people registry (not pickled state of any one document).
    source_files: dict[str, SourceFile] = {}
    people: dict[str, Person] = {}

    # -- per-document records ------------------------------------------------

    @property
    def claims(self) -> dict[str, ClaimRecord]:
        return cast("dict[str, ClaimRecord]", self.data["claims"])

    # Derived views are cached per process and dropped whenever the records change.
    _views: dict[str, Any] | None = None

    def _view(self, name: str, compute: Any) -> Any:
        if self._views is None:
            self._views = {}
        if name not in self._views:
            self._views[name] = compute()
        return self._views[name]

    def _changed(self) -> None:
        self._views = None

    def claims_by_id(self) -> dict[str, ClaimRecord]:
        return cast(
            "dict[str, ClaimRecord]",
            self._view(
                "by_id",
                lambda: {r.id: r for r in sorted(self.claims.values(), key=lambda r: r.docname)},
            ),
        )

    def all_citations(self) -> Iterator[CitationRecord]:
        for docname in sorted(self.data["citations"]):
            yield from self.data["citations"][docname]

    def all_quotations(self) -> Iterator[QuotationRecord]:
        for docname in sorted(self.data["quotations"]):
            yield from self.data["quotations"][docname]

    def all_statements(self) -> list[StatementRecord]:
        """Every statement, in date order (then person, then ID)."""
        return cast(
            "list[StatementRecord]",
            self._view(
                "statements",
                lambda: sorted(
                    (s for doc in self.data["statements"].values() for s in doc), key=lambda s: (s.date, s.person, s.id)
                ),
            ),
        )

    def statements_of(self, claim_id: str) -> list[StatementRecord]:
        """The claim's statements, in the order of :meth:`all_statements` (earliest first)."""
        by_claim = self._view("statements_by_claim", self._statements_by_claim)
        return cast("list[StatementRecord]", by_claim.get(claim_id, []))

    def _statements_by_claim(self) -> dict[str, list[StatementRecord]]:
        by_claim: dict[str, list[StatementRecord]] = defaultdict(list)
        for statement in self.all_statements():
            by_claim[statement.claim_id].append(statement)
        return by_claim

    def note_statement(self, record: StatementRecord) -> None:
        self.data["statements"].setdefault(record.docname, []).append(record)
        self._changed()

    def person_page(self, person_id: str) -> str | None:
        """The person's page (the first, by name, while a duplicate stands)."""
        return cast("dict[str, str]", self._view("person_pages", lambda: _first_pages(self.data["person_pages"]))).get(
            person_id
        )

    def all_unmarked(self) -> Iterator[UnmarkedQuotation]:
        for docname in sorted(self.data["unmarked"]):
            yield from self.data["unmarked"][docname]

    def note_claim(self, record: ClaimRecord) -> None:
        self.claims[record.docname] = record
        self._changed()

    def note_citation(self, record: CitationRecord) -> None:
        self.data["citations"].setdefault(record.docname, []).append(record)
        self._changed()

    def quotation_verdict(self, docname: str, key: str, locator: str, text: str) -> str:
        """The verdict recorded when *docname* was read on its quotation of *text* from ``key{locator}``."""
        verdicts = cast(
            "dict[tuple[str, str, str, str], str]",
            self._view(
                "verdicts",
                lambda: {(q.docname, q.key, q.locator, q.text): q.verdict for q in self.all_quotations()},
            ),
        )
        return verdicts.get((docname, key, locator, text), "")

    def note_quotation(self, record: QuotationRecord) -> None:
        self.data["quotations"].setdefault(record.docname, []).append(record)
        self._changed()

    def note_unmarked(self, record: UnmarkedQuotation) -> None:
        self.data["unmarked"].setdefault(record.docname, []).append(record)

    def note_page(self, table: str, docname: str, value: Any) -> None:
        self.data[table][docname] = value
        self._changed()

    def page_for(self, table: str) -> str | None:
        return next(iter(sorted(self.data[table])), None)

    def theme_page(self, theme: str) -> str | None:
        return cast("dict[str, str]", self._view("theme_pages", lambda: _first_pages(self.data["theme_pages"]))).get(
            theme
        )

    def clear_doc(self, docname: str) -> None:
        for table in self.initial_data:
            self.data[table].pop(docname, None)
        self._changed()

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for table in self.initial_data:
            for docname, value in otherdata[table].items():
                if docname in docnames:
                    self.data[table][docname] = value
        self._changed()

    # -- derived views ---------------------------------------------------------

    def related(self, claim_id: str) -> list[str]:
        """Declared related claims plus every claim that declares this one: links go both ways."""
        by_id = self.claims_by_id()
        reverse = cast("dict[str, list[str]]", self._view("reverse_related", self._reverse_related))
        declared = list(by_id[claim_id].related) if claim_id in by_id else []
        extra = [c for c in reverse.get(claim_id, []) if c not in declared]
        return [c for c in declared + extra if c in by_id and c != claim_id]

    def _reverse_related(self) -> dict[str, list[str]]:
        reverse: dict[str, list[str]] = defaultdict(list)
        for record in sorted(self.claims_by_id().values(), key=lambda r: r.id):
            for other in record.related:
                reverse[other].append(record.id)
        return dict(reverse)

    def citing_docs(self, key: str) -> list[str]:
        citing = cast("dict[str, list[str]]", self._view("citing", self._citing))
        return citing.get(key, [])

    def _citing(self) -> dict[str, list[str]]:
        docs: dict[str, set[str]] = defaultdict(set)
        for citation in self.all_citations():
            docs[citation.key].add(citation.docname)
        for quotation in self.all_quotations():
            docs[quotation.key].add(quotation.docname)
        return {key: sorted(names) for key, names in docs.items()}

    def passage_anchors(self) -> set[str]:
        return cast(
            "set[str]",
            self._view("passages", lambda: {p.anchor for f in self.source_files.values() for p in f.passages}),
        )

    # -- validation across documents -------------------------------------------

    def check_consistency(self) -> None:
        """Checks across pages (Sphinx calls this after every read): duplicate IDs,
        unknown related claims, one page per theme."""
        themes = self.env.config.claimref_themes
        by_id: dict[str, list[Any]] = defaultdict(list)
        for record in self.claims.values():
            by_id[record.id].append(record)
        for docname, (claim_id, line, _date, _reason) in self.data["withdrawn"].items():
            by_id[claim_id].append(ClaimRecord(docname, line, claim_id, "", "", (), (), (), ""))
        for claim_id, records in sorted(by_id.items()):
            if len(records) > 1:
                first, *others = sorted(records, key=lambda r: r.docname)
                for other in others:
                    warn(
                        Subtype.DUPLICATE_ID,
                        f"duplicate claim ID {claim_id!r}: also declared at "
                        f"{self.env.doc2path(first.docname)}:{first.line}",
                        (other.docname, other.line),
                    )
        for record in sorted(self.claims.values()):
            for related in record.related:
                if related not in by_id:
                    warn(Subtype.UNKNOWN_RELATED, f"unknown related claim {related!r}", (record.docname, record.line))
        self._check_statements()
        pages: dict[str, list[str]] = defaultdict(list)
        for docname, (theme, _line) in sorted(self.data["theme_pages"].items()):
            pages[theme].append(docname)
        for theme in themes:
            if not pages.get(theme) and self.claims:
                warn(
                    Subtype.THEME_PAGE, f"theme {theme!r} has no page (a page with a claim-index :theme: {theme})", None
                )
            for docname in pages.get(theme, [])[1:]:
                line = self.data["theme_pages"][docname][1]
                warn(Subtype.THEME_PAGE, f"theme {theme!r} already has a page: {pages[theme][0]}", (docname, line))

    def _check_statements(self) -> None:
        """Statement IDs are unique; every person in the registry has one page, and no page two."""
        seen: dict[str, StatementRecord] = {}
        for record in sorted(
            (s for doc in self.data["statements"].values() for s in doc), key=lambda s: (s.docname, s.line)
        ):
            first = seen.setdefault(record.id, record)
            if first is not record:
                warn(
                    Subtype.DUPLICATE_ID,
                    f"duplicate statement ID {record.id!r}: also declared at "
                    f"{self.env.doc2path(first.docname)}:{first.line}",
                    (record.docname, record.line),
                )
        pages: dict[str, list[str]] = defaultdict(list)
        for docname, (person, _line) in sorted(self.data["person_pages"].items()):
            pages[person].append(docname)
        for person, docnames in pages.items():
            for docname in docnames[1:]:
                line = self.data["person_pages"][docname][1]
                warn(Subtype.PERSON, f"person {person!r} already has a page: {docnames[0]}", (docname, line))
        if self.claims:
            for person in sorted(set(self.people) - set(pages)):
                record_of = self.people[person]
                warn(
                    Subtype.PERSON,
                    f"person {person!r} has no page (a page with a person-page directive: people/{person}.md)",
                    f"{record_of.path}:{record_of.line}",
                )

    # -- cross-references and the inventory ------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        found = self._find(typ, target)
        if found is None:
            return None
        docname, anchor, title = found
        if node.get("refexplicit") is False and title and isinstance(contnode, nodes.Element):
            contnode = nodes.inline(title, title, classes=contnode.get("classes", []))
        return make_refnode(builder, fromdocname, docname, anchor, contnode, title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        results = []
        for typ in self.object_types:
            ref = self.resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
            if ref is not None:
                results.append((f"claim:{typ}", ref))
        return results

    def _find(self, typ: str, target: str) -> tuple[str, str, str] | None:
        if typ == "claim":
            record = self.claims_by_id().get(target)
            return (record.docname, "", record.title) if record else None
        if typ == "source":
            page = self.page_for("sources_page")
            return (page, source_anchor(target), target) if page and target in _bib_keys(self.env) else None
        if typ == "theme":
            page = self.theme_page(target)
            return (page, "", target) if page else None
        if typ == "passage-source":
            page = self.page_for("source_texts_page")
            return (page, source_anchor(target), target) if page and target in self.source_files else None
        if typ == "person":
            page = self.person_page(target)
            person = self.people.get(target)
            return (page, "", person.name) if page and person else None
        if typ == "statement":
            found = self._view("statements_by_id", lambda: {s.id: s for s in reversed(self.all_statements())}).get(
                target
            )
            return (found.docname, found.anchor, found.id) if found else None
        if typ == "passage":
            page = self.page_for("source_texts_page")
            anchor = _passage_target(target)
            return (page, anchor, target) if page and anchor in self.passage_anchors() else None
        return None

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for record in sorted(self.claims.values(), key=lambda r: r.id):
            yield record.id, record.title, "claim", record.docname, "", 1
        for docname, (theme, _line) in sorted(self.data["theme_pages"].items()):
            yield theme, theme, "theme", docname, "", 1
        for person_id, person in sorted(self.people.items()):
            page = self.person_page(person_id)
            if page:
                yield person_id, person.name, "person", page, "", 1
        for statement in self.all_statements():
            yield statement.id, statement.id, "statement", statement.docname, statement.anchor, 1
        sources_page = self.page_for("sources_page")
        if sources_page:
            for key in sorted(_bib_keys(self.env)):
                yield key, key, "source", sources_page, source_anchor(key), 0
        texts_page = self.page_for("source_texts_page")
        if texts_page:
            for source in sorted(self.source_files.values()):
                for passage in source.passages:
                    name = f"{passage.key} {passage.locator}"
                    yield passage.anchor, name, "passage", texts_page, passage.anchor, 0


def _passage_target(target: str) -> str:
    """``key{Art. 10}`` or ``key-art-10`` -> the passage anchor ``key-art-10``."""
    if "{" in target and target.endswith("}"):
        key, _, loc = target[:-1].partition("{")
        return passage_anchor(key.strip(), loc)
    return locator_slug(target)


def _bib_keys(env: BuildEnvironment) -> set[str]:
    from .bibliography import bib_entries

    return set(bib_entries(env))
