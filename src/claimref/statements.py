"""Statements of a claim by named people: the ``claim-statement`` directive.

Each statement names a person of the registry (``docs/people.yaml``), a date
inside one of that person's offices, the occasion, the record it comes from
(``key{locator}``), the words as that record prints them (checked like any
quotation), who made the English, and, where a Russian copy is stored, the
original words, checked against their own passage. Every problem is a
``claimref.statement`` or ``claimref.person`` warning at the directive's line.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .bibliography import format_iso_date
from .citations import cite, parse_targets
from .domain import ClaimDomain, StatementRecord
from .fragments import at_source_link
from .indexes import std_label
from .nodes import (
    anchor_target,
    depart_as_block_quote,
    depart_lang_block_html,
    lang_block,
    visit_as_block_quote,
    visit_lang_block_html,
)
from .quotations import QUOTE_CLASS, passage_link, verify
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATEMENT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The ``translation`` value for an English rendering that is the reference's own.
OWN_TRANSLATION = "reference"
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class StatementError(ValueError):
    """One problem with a statement, reported at the line of the field it names (else the directive's)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _target(text: str, what: str) -> tuple[str, str]:
    try:
        targets = parse_targets(text)
    except ValueError as exc:
        raise StatementError(f"{what}: {exc}", what) from None
    if len(targets) != 1 or not targets[0][1]:
        raise StatementError(f"{what} must be one key{{locator}}, not {text!r}", what)
    return targets[0]


def _iso_date(value: str) -> str:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise StatementError(f"date must be an ISO date YYYY-MM-DD, not {value!r}", "date") from None
    if len(value) != 10:
        raise StatementError(f"date must be an ISO date YYYY-MM-DD, not {value!r}", "date")
    return value


class ClaimStatementDirective(SphinxDirective):
    """``claim-statement <id>``: one dated statement of the page's claim, quoted and verified."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, object]] = {
        "person": directives.unchanged_required,
        "date": directives.unchanged_required,
        "occasion": directives.unchanged_required,
        "place": directives.unchanged,
        "source": directives.unchanged_required,
        "words": directives.unchanged_required,
        "translation": directives.unchanged_required,
        "original": directives.unchanged,
        "original-source": directives.unchanged,
    }
    required = ("person", "date", "occasion", "source", "words", "translation")

    def line_of(self, field: str) -> int:
        """The line of ``:field:`` in the page (the directive's own line if it has no such field)."""
        for offset, text in enumerate(self.block_text.splitlines()):
            if text.lstrip().startswith(f":{field}:"):
                return self.lineno + offset
        return self.lineno

    def run(self) -> list[nodes.Node]:
        try:
            record = self._record()
        except StatementError as exc:
            statement_id = self.arguments[0].strip()
            warn(Subtype.STATEMENT, f"statement {statement_id!r}: {exc}", (self.env.docname, self.line_of(exc.field)))
            return []
        location = (self.env.docname, self.line_of("person"))
        domain = cast(ClaimDomain, self.env.get_domain("claim"))
        person = domain.people.get(record.person)
        if person is None:
            known = ", ".join(sorted(domain.people)) or "none"
            warn(
                Subtype.PERSON, f"statement {record.id!r}: unknown person {record.person!r} (known: {known})", location
            )
            return []
        office = person.office_on(record.date)
        if office is None:
            spans = "; ".join(f"{o.title} {o.span}" for o in person.offices)
            warn(
                Subtype.PERSON,
                f"statement {record.id!r}: {person.name} held no office of the registry on {record.date} ({spans})",
                (self.env.docname, self.line_of("date")),
            )
            return []
        words_verified = record.translation != OWN_TRANSLATION and verify(
            self.env, record.key, record.locator, record.words, self.line_of("words")
        )
        original_verified = bool(record.original) and verify(
            self.env, record.original_key, record.original_locator, record.original, self.line_of("original")
        )
        domain.note_statement(record)
        std_label(self.env, record.anchor, record.anchor, f"{person.name}, {format_iso_date(record.date)}")
        return [self._render(record, person.name, office.title, words_verified, original_verified)]

    def _record(self) -> StatementRecord:
        statement_id = self.arguments[0].strip()
        if not STATEMENT_ID.match(statement_id):
            raise StatementError("the ID must be a lowercase hyphenated slug such as lavrov-2014-04-07")
        options = {name: " ".join(str(value).split()) for name, value in self.options.items()}
        missing = [name for name in self.required if not options.get(name)]
        if missing:
            raise StatementError(f"missing required field(s): {', '.join(missing)}")
        claim = cast(ClaimDomain, self.env.get_domain("claim")).claims.get(self.env.docname)
        if claim is None:
            raise StatementError("a statement belongs on a claim page, after its claim directive")
        key, locator = _target(options["source"], "source")
        original = options.get("original", "")
        original_key, original_locator = "", ""
        if original or options.get("original-source"):
            if not (original and options.get("original-source")):
                field = "original" if original else "original-source"
                raise StatementError(
                    "original and original-source go together: the Russian words and their passage", field
                )
            original_key, original_locator = _target(options["original-source"], "original-source")
            if not _CYRILLIC.search(original):
                raise StatementError("original is the Russian wording, in Cyrillic", "original")
        if options["translation"] == OWN_TRANSLATION and not original:
            raise StatementError(
                "the reference's own translation needs the Russian original it translates (original, original-source)",
                "translation",
            )
        return StatementRecord(
            self.env.docname,
            self.lineno,
            statement_id,
            claim.id,
            options["person"],
            _iso_date(options["date"]),
            options["occasion"],
            options.get("place", ""),
            key,
            locator,
            options["words"],
            options["translation"],
            original,
            original_key,
            original_locator,
        )

    def _render(
        self, record: StatementRecord, name: str, office: str, words_verified: bool, original_verified: bool
    ) -> nodes.Element:
        box = nodes.container(classes=["claim-statement-record"])
        box += anchor_target(record.anchor)
        own = record.translation == OWN_TRANSLATION
        words = nodes.block_quote(classes=["statement-words"] + ([] if own else [QUOTE_CLASS]))
        para = nodes.paragraph()
        text = nodes.Text(f"\u201c{record.words}\u201d")
        para += text if own else passage_link(record.key, record.locator, text)
        words += para
        box += words

        who = nodes.paragraph(classes=["statement-attribution"])
        who += nodes.Text("\u2014 ")
        ref = addnodes.pending_xref(
            "", refdomain="claim", reftype="person", reftarget=record.person, refexplicit=True, refwarn=True
        )
        ref += nodes.inline(name, name)
        who += ref
        where = ", ".join(part for part in (record.occasion, record.place, format_iso_date(record.date)) if part)
        who += nodes.Text(f", {office}. {where}.")
        who.extend(cite(self.env, record.key, record.locator, self.lineno, self.block_text))
        if not own:
            who.extend(at_source_link(self.env, record.key, record.locator, record.words, words_verified))
        english = "Translation by the reference." if own else f"English: {record.translation}."
        who += nodes.Text(" ")
        who += nodes.emphasis(english, english)
        box += who

        if record.original:
            original = lang_block(lang="ru", classes=["statement-original", QUOTE_CLASS])
            para = nodes.paragraph()
            para += passage_link(
                record.original_key, record.original_locator, nodes.Text(f"\u00ab{record.original}\u00bb")
            )
            para.extend(cite(self.env, record.original_key, record.original_locator, self.lineno, self.block_text))
            para.extend(
                at_source_link(
                    self.env, record.original_key, record.original_locator, record.original, original_verified
                )
            )
            original += para
            box += original
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, box)
        ident = nodes.paragraph(classes=["statement-id"])
        ident += nodes.Text("Statement ")
        ident += nodes.literal(record.id, record.id)
        box += ident
        return box


def setup_statements(app: Sphinx) -> None:
    fallback = (visit_as_block_quote, depart_as_block_quote)
    app.add_node(
        lang_block,
        html=(visit_lang_block_html, depart_lang_block_html),
        latex=fallback,
        text=fallback,
        man=fallback,
        texinfo=fallback,
    )
    app.add_directive("claim-statement", ClaimStatementDirective)
