"""How to cite the reference: Chicago note, BibTeX, RIS and CSL-JSON for claim pages and passages.

Each citation carries the permalink, the reference's release, the page's own
dates (first published, last changed: :mod:`.history`, never the build clock)
and the access date (the build date). The HTML build writes each as a downloadable file under
``_cite/``; claim pages show them in a sphinx-design tab set.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast

from docutils import nodes
from docutils.utils.smartquotes import educate_tokens
from sphinx import addnodes
from sphinx_design.shared import create_component

from .bibliography import MONTHS, bib_entries, entry_title, format_iso_date
from .check.links import atomic_write
from .domain import ClaimDomain
from .history import PageHistory, described, page_history
from .parallel import PAGES_WRITTEN_EVENT

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

FORMATS = {
    "chicago": ("Chicago", "txt"),
    "bibtex": ("BibTeX", "bib"),
    "ris": ("RIS", "ris"),
    "csl": ("CSL-JSON", "json"),
}


class Citable(NamedTuple):
    ident: str  # claim-<id> or passage-<anchor>: the citation key and the file name
    title: str
    path: str  # page path and fragment, relative to the site root
    note: str  # what it is: "Claim ID ..." or "Passage ..."
    history: PageHistory


def date_parts(iso: str) -> list[int]:
    """``2026-11`` -> ``[2026, 11]`` (CSL's date-parts; the precision the date has); "" -> []."""
    return [int(part) for part in iso.split("-")] if iso else []


def access_date(config: Config) -> datetime.date:
    try:
        return datetime.date.fromisoformat(config.today)
    except (TypeError, ValueError):
        return datetime.date.today()


def formats(item: Citable, config: Config) -> dict[str, str]:
    """The four citation formats of *item*, as text."""
    url = f"{config.claimref_base_url}{item.path}"
    release = config.claimref_release or config.release
    accessed = access_date(config)
    author, project = config.author, config.project
    written = f"{accessed.day} {MONTHS[accessed.month - 1]} {accessed.year}"
    bib_title = item.title.replace("{", "").replace("}", "")
    dates = item.history
    issued = date_parts(dates.first_date)
    dated = ""
    if dates.first_date:
        dated = f"first published in {described(dates.first, dates.first_date)}"
        if dates.last != dates.first:
            dated += f", last changed in {described(dates.last, dates.last_date)}"
    note = f"{item.note}; {dated}" if dated else item.note
    bib_dates = f"  date = {{{dates.first_date}}},\n  year = {{{issued[0]}}},\n" if issued else ""
    ris_dates = f"PY  - {issued[0]}\nDA  - {highwire_date(dates.first_date)}\n" if issued else ""
    # Chicago gives a web page's dates as "published" and "last modified".
    web_dates = f"published {format_iso_date(dates.first_date)}, " if dates.first_date else ""
    if dates.first_date and dates.last_date and dates.last != dates.first:
        web_dates += f"last modified {format_iso_date(dates.last_date)}, "
    return {
        "chicago": f"{author}, \u201c{item.title},\u201d in {project}{f', release {release}' if release else ''}, "
        f"{web_dates}{url} (accessed {written}).",
        "bibtex": (
            f"@incollection{{{item.ident},\n  author = {{{{{author}}}}},\n  title = {{{{{bib_title}}}}},\n"
            f"  booktitle = {{{{{project}}}}},\n  edition = {{{release}}},\n{bib_dates}  url = {{{url}}},\n"
            f"  urldate = {{{accessed.isoformat()}}},\n  note = {{{note}}}\n}}\n"
        ),
        "ris": (
            f"TY  - CHAP\nAU  - {author}\nTI  - {item.title}\nT2  - {project}\nET  - {release}\n"
            f"{ris_dates}UR  - {url}\n"
            f"Y2  - {accessed:%Y/%m/%d}\nN1  - {note}\nER  - \n"
        ),
        "csl": json.dumps(
            [
                {
                    "id": item.ident,
                    "type": "chapter",
                    "title": item.title,
                    "container-title": project,
                    "author": [{"literal": author}],
                    "version": release,
                    **({"issued": {"date-parts": [issued]}} if issued else {}),
                    "URL": url,
                    "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
                    "note": note,
                }
            ],
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
    }


def highwire_date(iso: str) -> str:
    """``2026-11-23`` -> ``2026/11/23`` (the form Highwire tags and RIS use)."""
    return iso.replace("-", "/")


def typeset(text: str, config: Config) -> str:
    """*text* with Sphinx's smart quotes, as the page title reads once its transforms have run.

    The "Cite this" box is written while the page is parsed, before those transforms; without
    this it would cite \u201cNATO's ...\u201d where the page, the files and the metadata say \u201cNATO\u2019s\u201d.
    """
    if not config.smartquotes:
        return text
    tokens = educate_tokens([("text", text)], attr=config.smartquotes_action, language=config.language or "en")
    return "".join(tokens)


def claim_citable(env: BuildEnvironment, claim_id: str, title: str) -> Citable:
    docname = f"claims/{claim_id}"
    return Citable(f"claim-{claim_id}", title, f"{docname}.html", f"Claim ID {claim_id}", page_history(env, docname))


def passage_citables(env: BuildEnvironment) -> list[Citable]:
    domain = cast(ClaimDomain, env.get_domain("claim"))
    page = domain.page_for("source_texts_page")
    if page is None:
        return []
    entries = bib_entries(env)
    items = []
    for key, source in sorted(domain.source_files.items()):
        name = entry_title(entries[key]) if key in entries else key
        for passage in source.passages:
            items.append(
                Citable(
                    f"passage-{passage.anchor}",
                    f"{name}, {passage.locator}",
                    f"{page}.html#{passage.anchor}",
                    f"Passage {passage.anchor} of the source texts",
                    page_history(env, page, passage.anchor),
                )
            )
    return items


def file_for(item: Citable, fmt: str) -> str:
    return f"_cite/{item.ident}.{FORMATS[fmt][1]}"


def tab_set(item: Citable, config: Config) -> nodes.container:
    """A sphinx-design tab set showing the four formats, built as its ``tab-set`` and ``tab-item``
    directives build it (with literal blocks as MyST's code fences make them). Building the nodes
    is a tenth of what parsing the same directives costs on every claim page;
    ``tests/test_design.py`` checks that the HTML is the same."""
    tab_set = create_component("tab-set", classes=["sd-tab-set", "claim-cite"])
    for fmt, text in formats(item, config).items():
        label = FORMATS[fmt][0]
        if fmt == "chicago":
            content: nodes.Element = nodes.paragraph(text, text)
        else:
            language = "bibtex" if fmt == "bibtex" else "json" if fmt == "csl" else "text"
            content = nodes.literal_block(text, text, language=language)
        tab_set += create_component(
            "tab-item",
            classes=["sd-tab-item"],
            selected=False,
            children=[
                nodes.rubric(label, "", nodes.Text(label), classes=["sd-tab-label"]),
                create_component("tab-content", classes=["sd-tab-content"], children=[content]),
            ],
        )
    return tab_set


def download_links(item: Citable, depth: int) -> nodes.Node:
    """Links to the four files, in HTML only (the PDF has no files beside it)."""
    only = addnodes.only(expr="html")
    para = nodes.paragraph(classes=["claim-cite-files"])
    para += nodes.Text("Download: ")
    up = "../" * depth
    for index, (fmt, (label, _ext)) in enumerate(FORMATS.items()):
        if index:
            para += nodes.Text(" \u00b7 ")
        para += nodes.reference(label, label, refuri=f"{up}{file_for(item, fmt)}")
    only += para
    return only


class CitationFiles:
    """Each claim page's four files, written with the page, and the passages' with the source texts page.

    A claim page's files are written when its page is (``html-page-context``), the passages' when
    the source texts page is: in a parallel build by the worker that writes the page, beside the
    others. At ``build-finished`` the files of every page not known to have been written in this
    build are written. A page is known written when its context was made in this process, or when
    :mod:`.parallel`'s workers report its chunk (:data:`.parallel.PAGES_WRITTEN_EVENT`); with
    Sphinx's own parallel writer nothing is reported, and every file is written at the end again.
    The files are the same either way (``tests/test_parallel.py``)."""

    def __init__(self) -> None:
        self._written: set[str] = set()

    def start(self, app: Sphinx) -> None:
        self._written = set()

    def page(self, app: Sphinx, pagename: str, templatename: str, context: dict[str, object], doctree: object) -> None:
        if app.builder.format != "html":
            return
        domain = cast(ClaimDomain, app.env.get_domain("claim"))
        record = domain.claims.get(pagename)
        if record is not None:
            _write(Path(app.outdir), claim_citable(app.env, record.id, record.title), app.config)
        elif pagename == domain.page_for("source_texts_page"):
            for item in passage_citables(app.env):
                _write(Path(app.outdir), item, app.config)
        else:
            return
        self._written.add(pagename)

    def pages_written(self, app: Sphinx, docnames: list[str]) -> None:
        self._written.update(docnames)

    def finish(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is not None or app.builder.format != "html":
            return
        domain = cast(ClaimDomain, app.env.get_domain("claim"))
        unwritten = [r for r in domain.claims.values() if r.docname not in self._written]
        items = [claim_citable(app.env, r.id, r.title) for r in unwritten]
        if domain.page_for("source_texts_page") not in self._written:
            items += passage_citables(app.env)
        for item in items:
            _write(Path(app.outdir), item, app.config)


def _write(out: Path, item: Citable, config: Config) -> None:
    for fmt, text in formats(item, config).items():
        atomic_write(out / file_for(item, fmt), text, durable=False)


def setup_cite(app: Sphinx) -> None:
    files = CitationFiles()
    app.connect("builder-inited", files.start)
    app.connect("html-page-context", files.page)
    app.connect(PAGES_WRITTEN_EVENT, files.pages_written)
    app.connect("build-finished", files.finish)
