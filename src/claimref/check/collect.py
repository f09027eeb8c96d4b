"""What to check, read from the build itself: the pickled environment and doctrees.

Never regular expressions over Markdown: quotations come from the claim
domain's records, page links from the doctrees, and fragment links from the
built HTML. references.bib and sources/ are read as the build reads them.
"""

from __future__ import annotations

import pickle
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

from docutils import nodes

from ..domain import CitationRecord, QuotationRecord, StatementRecord, UnmarkedQuotation
from ..passages import SourceFile, load_sources


class BuildNotFoundError(RuntimeError):
    """No usable build: the checker needs ``make html`` first."""


@dataclass
class Location:
    file: str
    line: int


@dataclass
class BuildData:
    srcdir: Path
    outdir: Path
    doctreedir: Path
    quotations: list[QuotationRecord]
    unmarked: list[UnmarkedQuotation]
    sources: dict[str, SourceFile]
    bibfiles: list[Path]
    docnames: list[str]
    doc_paths: dict[str, Path]
    site_path: str = "/"  # where the site lives on its server: root-absolute links start with it
    links: dict[str, list[Location]] = field(default_factory=dict)  # URL (with fragment) -> where cited
    citations: list[CitationRecord] = field(default_factory=list)
    statements: list[StatementRecord] = field(default_factory=list)
    claim_ids: list[str] = field(default_factory=list)


def load_build(outdir: Path) -> BuildData:
    """Read the environment that ``sphinx-build -b html docs <outdir>`` pickled."""
    doctreedir = outdir / ".doctrees"
    pickled = doctreedir / "environment.pickle"
    if not pickled.is_file():
        raise BuildNotFoundError(f"{pickled}: no build environment; run `make html` first")
    try:
        env = pickle.loads(pickled.read_bytes())
    except Exception as exc:  # a truncated or foreign pickle
        raise BuildNotFoundError(
            f"{pickled}: cannot read the build environment ({exc}); rebuild with `make html`"
        ) from exc
    data = env.domaindata.get("claim")
    if data is None:
        raise BuildNotFoundError(f"{pickled}: the build did not use the claimref extension")
    srcdir = Path(env.srcdir)
    config = env.config
    sources = load_sources((srcdir / config.claimref_sources_dir).resolve())
    bibfiles = [(srcdir / f).resolve() for f in config.bibtex_bibfiles]
    docnames = sorted(env.found_docs)
    doc_paths = {d: Path(env.doc2path(d)) for d in docnames}
    return BuildData(
        srcdir=srcdir,
        outdir=outdir,
        doctreedir=doctreedir,
        quotations=[q for doc in sorted(data["quotations"]) for q in data["quotations"][doc]],
        unmarked=[u for doc in sorted(data["unmarked"]) for u in data["unmarked"][doc]],
        sources=sources,
        bibfiles=bibfiles,
        docnames=docnames,
        doc_paths=doc_paths,
        site_path=urlsplit(config.claimref_base_url).path or "/",
        citations=[c for doc in sorted(data["citations"]) for c in data["citations"][doc]],
        statements=[s for doc in sorted(data.get("statements", {})) for s in data["statements"][doc]],
        claim_ids=sorted(r.id for r in data["claims"].values()),
    )


def _line_of(node: nodes.Node) -> int:
    current: Any = node
    while current is not None:
        if getattr(current, "line", None):
            return int(current.line)
        current = current.parent
    return 0


def archived_copies(build: BuildData) -> dict[str, str]:
    """Live URL -> archived copy, from references.bib's ``url`` and ``archiveurl`` fields."""
    import pybtex.database

    copies: dict[str, str] = {}
    for bibfile in build.bibfiles:
        for entry in pybtex.database.parse_file(str(bibfile)).entries.values():
            if entry.fields.get("url") and entry.fields.get("archiveurl"):
                copies[str(entry.fields["url"])] = str(entry.fields["archiveurl"])
    return copies


def bib_urls(build: BuildData) -> dict[str, str]:
    """Bib key -> its ``url`` field, as references.bib gives it."""
    import pybtex.database

    urls: dict[str, str] = {}
    for bibfile in build.bibfiles:
        for key, entry in pybtex.database.parse_file(str(bibfile)).entries.items():
            if entry.fields.get("url"):
                urls[key] = str(entry.fields["url"])
    return urls


def collect_links(build: BuildData) -> dict[str, list[Location]]:
    """Every external URL: in references.bib (cited or not), in the pages, in sources/."""
    links: dict[str, list[Location]] = defaultdict(list)
    for bibfile in build.bibfiles:
        for number, line in enumerate(bibfile.read_text(encoding="utf-8").splitlines(), 1):
            for match in re.finditer(r"\b(?:url|archiveurl)\s*=\s*[{\"]([^}\"]+)[}\"]", line, re.I):
                links[match.group(1).strip()].append(Location(str(bibfile), number))
    for docname in build.docnames:
        doctree_path = build.doctreedir / f"{docname}.doctree"
        if not doctree_path.is_file():
            continue
        doctree = pickle.loads(doctree_path.read_bytes())
        for ref in doctree.findall(nodes.reference):
            uri = ref.get("refuri", "")
            if re.match(r"^[a-z][a-z0-9+.-]*:", uri, re.I) and not uri.startswith("%"):
                links[uri].append(Location(str(build.doc_paths[docname]), _line_of(ref)))
    for source in build.sources.values():
        lines = Path(source.path).read_text(encoding="utf-8").splitlines()
        for url in (source.provenance.url, source.provenance.copy):
            if url.startswith(("http://", "https://")):
                number = next((i for i, ln in enumerate(lines, 1) if url in ln), 1)
                links[url].append(Location(source.path, number))
    return dict(links)


def element_fragment(fragment: str) -> str:
    """The part of a fragment that names an element: a text directive (``:~:text=``) is no anchor;
    ``quotes --live`` checks its words instead."""
    return unquote(fragment.split(":~:", 1)[0])


def external_targets(links: dict[str, list[Location]]) -> dict[str, set[str]]:
    """URL without fragment -> the anchors cited with it (so each page is fetched once)."""
    wanted: dict[str, set[str]] = {}
    for url in links:
        base, fragment = urldefrag(url)
        fragment = element_fragment(fragment)
        anchors = wanted.setdefault(base, set())
        if fragment and urlsplit(base).scheme in {"http", "https"}:
            anchors.add(fragment)
    return wanted


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if tag == "a" and name == "href" and value:
                self.hrefs.append((value, self.getpos()[0]))


def check_internal_fragments(build: BuildData) -> list[tuple[Location, str, str]]:
    """Each ``page.html#fragment`` link between built pages must land on an existing id, and
    each link to another file of the build (data, downloads) on a file that exists.

    Returns (where, link, problem) for each broken one; where is the HTML file and line.
    """
    pages: dict[Path, _Anchors] = {}
    for html in sorted(build.outdir.rglob("*.html")):
        if "_static" in html.parts or "_sources" in html.parts:
            continue
        parser = _Anchors()
        parser.feed(html.read_text(encoding="utf-8", errors="replace"))
        pages[html.resolve()] = parser
    problems = []
    for html, parser in pages.items():
        for href, line in parser.hrefs:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("//"):
                continue
            path_part, fragment = urldefrag(href)
            if path_part.startswith("/"):
                # Root-absolute, as on the 404 page, which must work at any depth.
                if not path_part.startswith(build.site_path):
                    continue
                target = (build.outdir / unquote(path_part[len(build.site_path) :])).resolve()
            else:
                target = html if not path_part else (html.parent / unquote(path_part)).resolve()
            where = Location(str(html.relative_to(build.outdir.resolve())), line)
            if target.is_dir():
                target = target / "index.html"
            if target.suffix != ".html":
                # A data file, a download, an image: it must be in the build.
                if not target.is_file():
                    problems.append((where, href, "target file does not exist in the build"))
                continue
            if target not in pages:
                problems.append((where, href, "target page does not exist in the build"))
            elif fragment and unquote(fragment) not in pages[target].ids:
                problems.append((where, href, f"no element with id {unquote(fragment)!r} on {target.name}"))
    return problems
