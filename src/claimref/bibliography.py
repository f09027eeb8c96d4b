"""Footnote-style references (Chicago-like notes), built on sphinxcontrib-bibtex's parsed data.

The pybtex style and the docutils backend are built once per process: stock
``footcite`` looks the style up through pybtex's entry points on every citation,
which dominates its build time on large sites.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import TYPE_CHECKING, Any, cast

import pybtex_docutils
from docutils import nodes
from pybtex.backends.plaintext import Backend as PlaintextBackend
from pybtex.richtext import HRef, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle

from .nodes import robust_reference

if TYPE_CHECKING:
    from pybtex.database import Entry
    from sphinx.environment import BuildEnvironment
    from sphinxcontrib.bibtex.domain import BibtexDomain

MONTHS = ("January February March April May June July August September October November December").split()


def format_iso_date(value: str) -> str:
    """``2011-03-17`` -> ``17 March 2011``; ``2011-03`` -> ``March 2011``; ``2011`` -> ``2011``."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not match:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        raise ValueError(f"no month {month} in {value!r}")
    if day:
        datetime.date(int(year), int(month), int(day))  # raises on 2011-02-30
        return f"{int(day)} {MONTHS[int(month) - 1]} {year}"
    if month:
        return f"{MONTHS[int(month) - 1]} {year}"
    return year


class NoteStyle(BaseStyle):  # type: ignore[misc]
    """Chicago-like first note.

    Issuing body or author, *title* (or "title" for an article or chapter), journal
    or publisher, document symbol, place, date, pinpoint locator, URL (accessed date).
    """

    default_name_style = "plain"
    default_sorting_style = "none"
    default_label_style = "number"

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> FormattedEntry:
        return FormattedEntry(entry.key, self.format_note(entry), label)

    def format_note(self, entry: Entry, pinpoint: str = "") -> Text:
        fields = entry.fields
        plain, joined = self._decoded(entry)
        parts: list[Text] = []
        if joined:
            parts.append(Text(joined))
        if entry.type in {"article", "incollection", "inproceedings"}:
            parts.append(Text("\u201c", plain["title"], "\u201d"))
        else:
            parts.append(Text(Tag("em", plain["title"])))
        if "journal" in plain:
            journal = Text(Tag("em", plain["journal"]))
            if "volume" in plain:
                journal = Text(journal, " ", plain["volume"])
            if "number" in plain:
                journal = Text(journal, ", no. ", plain["number"])
            parts.append(journal)
        for name in ("booktitle", "howpublished", "publisher", "docsymbol", "address"):
            if name in plain:
                parts.append(plain[name])
        if "date" in fields:
            parts.append(Text(display_date(fields["date"])))
        if pinpoint:
            parts.append(Text(pinpoint))
        elif "pages" in plain:
            parts.append(plain["pages"])
        text = Text(", ").join(parts)
        if "url" in fields:
            url = fields["url"]
            text = Text(text, ", ", HRef(url, url))
            if "urldate" in fields:
                text = Text(text, " (accessed ", display_date(fields["urldate"]), ")")
        if "archiveurl" in fields:
            archived = fields["archiveurl"]
            text = Text(text, "; archived copy: ", HRef(archived, archived))
            if "archivedate" in fields:
                text = Text(text, " (archived ", display_date(fields["archivedate"]), ")")
        # A note ends with one full stop, even after an abbreviated locator ("n.p.").
        return text if str(text).endswith(".") else Text(text, ".")

    def _decoded(self, entry: Entry) -> tuple[dict[str, Text], str]:
        """The entry's fields decoded from LaTeX, and its people's names joined: the costly part of a
        note, the same whatever the locator. Memoised on the entry's content."""
        memo_key = content_key(entry)
        decoded = _DECODED.get(memo_key)
        if decoded is None:
            fields = entry.fields
            # Only the fields a note shows: latexcodec is slow, and the long ``note`` fields are never shown.
            plain = {name: text_from_latex(fields[name]) for name in NOTE_FIELDS if name in fields}
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            names = [as_plaintext(self.format_name(person, abbr=False).format()) for person in people]
            joined = " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]
            if len(_DECODED) > 5_000:
                _DECODED.clear()
            decoded = _DECODED[memo_key] = (plain, joined.replace("\xa0", " "))
        return decoded


_DECODED: dict[tuple[Any, ...], tuple[dict[str, Text], str]] = {}
# Anything latexcodec or pybtex's LaTeX parser could change: markup, quotes, dashes, anything not ASCII.
_LATEX_ACTIVE = re.compile(r"""[\\{}~$%&#_^`'"<>|-]|[^\x20-\x7e]""")


def text_from_latex(field: str) -> Text:
    """``Text.from_latex(field)``; a field of plain ASCII words (most are) is its own text, without
    latexcodec, whose decoder is the slowest part of formatting a note. (Spaces at the start, at the
    end or doubled are pybtex's to collapse: those fields take its path.)"""
    plain = _LATEX_ACTIVE.search(field) is None and "  " not in field and field.strip(" ") == field
    return Text(field) if plain else Text.from_latex(field)


# The fields format_note shows as decoded text (the URLs and dates are used as they are written).
NOTE_FIELDS = tuple("title journal volume number booktitle howpublished publisher docsymbol address pages".split())


def display_date(value: str) -> str:
    """The date written out, or as given when malformed (bibcheck has already warned)."""
    try:
        return format_iso_date(value)
    except ValueError:
        return value


@functools.cache
def note_style() -> NoteStyle:
    return NoteStyle()


@functools.cache
def docutils_backend() -> pybtex_docutils.Backend:
    return pybtex_docutils.Backend()


@functools.cache
def plaintext_backend() -> PlaintextBackend:
    # Text.render_as("text") would look the backend up through entry points on every call.
    return PlaintextBackend()


def as_plaintext(text: Text) -> str:
    return cast(str, text.render(plaintext_backend()))


def bib_domain(env: BuildEnvironment) -> BibtexDomain:
    return cast("BibtexDomain", env.get_domain("cite"))


def bib_entries(env: BuildEnvironment) -> dict[str, Entry]:
    """Every entry of ``references.bib``, as sphinxcontrib-bibtex parsed it."""
    return cast("dict[str, Entry]", bib_domain(env).bibdata.data.entries)


_NOTE_CACHE: dict[tuple[Any, ...], Text] = {}
_CONTENT_KEYS: dict[int, tuple[Entry, tuple[Any, ...]]] = {}


def content_key(entry: Entry) -> tuple[Any, ...]:
    """All that an entry's notes depend on, the key of the memos: made once per entry object (a
    note is formatted for every citation), so an edited references.bib, parsed into new entries,
    is formatted afresh."""
    held = _CONTENT_KEYS.get(id(entry))
    if held is None or held[0] is not entry:
        persons = tuple((role, tuple(str(p) for p in people)) for role, people in entry.persons.items())
        if len(_CONTENT_KEYS) > 20_000:
            _CONTENT_KEYS.clear()
        held = _CONTENT_KEYS[id(entry)] = (entry, (entry.key, entry.type, tuple(entry.fields.items()), persons))
    return held[1]


def note_text(entry: Entry, pinpoint: str = "") -> Text:
    """The footnote text of *entry*, with *pinpoint* as locator.

    Memoised on the entry's content (so an edited references.bib is formatted
    afresh): a page cites the same sources many times, and LaTeX decoding of
    the fields is the costly part.
    """
    memo_key = (*content_key(entry), pinpoint)
    text = _NOTE_CACHE.get(memo_key)
    if text is None:
        if len(_NOTE_CACHE) > 20_000:
            _NOTE_CACHE.clear()
        text = _NOTE_CACHE[memo_key] = note_style().format_note(entry, pinpoint)
    return text


def note_nodes(entry: Entry, pinpoint: str = "") -> list[nodes.Node]:
    """The footnote text as docutils nodes (links stay links in HTML and LaTeX).

    Where the entry records an archived copy, the link to the live address
    carries it too (Robust Links: ``data-versionurl``, ``data-versiondate``).
    """
    rendered = cast("list[nodes.Node]", note_text(entry, pinpoint).render(docutils_backend()))
    url, archived = entry.fields.get("url"), entry.fields.get("archiveurl")
    if not (url and archived):
        return rendered
    out: list[nodes.Node] = []
    for node in rendered:
        if isinstance(node, nodes.reference) and node.get("refuri") == url:
            robust = robust_reference(
                node.rawsource,
                "",
                *node.children,
                refuri=url,
                originalurl=url,
                versionurl=archived,
                versiondate=entry.fields.get("archivedate", ""),
            )
            out.append(robust)
        else:
            out.append(node)
    return out


def note_plaintext(entry: Entry, pinpoint: str = "") -> str:
    return as_plaintext(note_text(entry, pinpoint))


def entry_date(entry: Entry) -> str:
    return str(entry.fields.get("date", ""))


def entry_title(entry: Entry) -> str:
    return _title_text(str(entry.fields.get("title", "")))


def plain_text(latex: str) -> str:
    """A field's LaTeX as plain text (``{{NATO}}`` -> ``NATO``)."""
    return _title_text(latex)


@functools.lru_cache(maxsize=8192)
def _title_text(latex: str) -> str:
    # Decoding LaTeX is the slow part, and titles repeat on every page that cites them.
    return as_plaintext(text_from_latex(latex))
