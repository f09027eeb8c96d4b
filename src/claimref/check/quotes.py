"""Quotation verdicts, and live drift detection of the stored passages."""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import aiohttp

from ..domain import QuotationRecord, UnmarkedQuotation
from ..fragments import TextFragment, find_in_document, fragment_url, parse_directive
from ..matching import match_quotation, normalize
from ..passages import SourceFile, judge_quotation
from .links import atomic_write


@dataclass(frozen=True)
class QuoteVerdict:
    file: str
    line: int
    key: str
    locator: str
    text: str
    ok: bool
    reason: str
    nearest: str = ""
    diff: str = ""


def check_quotations(
    quotations: list[QuotationRecord],
    unmarked: list[UnmarkedQuotation],
    sources: dict[str, SourceFile],
    doc_paths: dict[str, Path],
) -> list[QuoteVerdict]:
    verdicts: list[QuoteVerdict] = []
    for q in quotations:
        file = str(doc_paths.get(q.docname, q.source_path))
        j = judge_quotation(sources, q.key, q.locator, q.text)
        verdicts.append(QuoteVerdict(file, q.line, q.key, q.locator, q.text, j.ok, j.reason, j.nearest, j.diff))
    for u in unmarked:
        file = str(doc_paths.get(u.docname, u.docname))
        verdicts.append(
            QuoteVerdict(file, u.line, "", "", u.text, False, "unverified quotation: not in the quotation markup")
        )
    return verdicts


# -- live mode -----------------------------------------------------------------------


class _TextOf(HTMLParser):
    _SKIP = {"script", "style", "noscript", "template"}
    _BLOCK = {
        "p",
        "div",
        "li",
        "br",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "td",
        "th",
        "dd",
        "dt",
        "blockquote",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def document_text(body: bytes, content_type: str) -> str:
    """HTML to text, or PDF to text with pypdf; anything else decoded as text."""
    if "pdf" in content_type or body[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    text = body.decode("utf-8", errors="replace")
    if "html" in content_type or re.search(r"<html|<body|<p[ >]", text[:5000], re.I):
        parser = _TextOf()
        parser.feed(text)
        return "".join(parser.parts)
    return text


@dataclass(frozen=True)
class DriftVerdict:
    file: str
    line: int
    key: str
    locator: str
    url: str
    ok: bool
    reason: str
    kind: str = "drift"  # drift: a stored passage; fragment: a quotation's text-fragment link


async def _fetch(session: aiohttp.ClientSession, url: str) -> tuple[bytes, str]:
    async with session.get(url) as response:
        response.raise_for_status()
        return await response.read(), response.headers.get("Content-Type", "")


class FragmentLink(NamedTuple):
    """A quotation's link to its words in the live source, as the build wrote it."""

    quotation: QuotationRecord
    url: str  # with its #:~:text= directive
    fragment: TextFragment


def fragment_links(
    sources: dict[str, SourceFile], quotations: list[QuotationRecord], page_urls: dict[str, str]
) -> list[FragmentLink]:
    """Every text-fragment link of the build, computed as the build computes it."""
    links = []
    for q in quotations:
        source = sources.get(q.key)
        url = fragment_url(source, q.locator, q.text, page_urls.get(q.key, "")) if source else ""
        fragment = parse_directive(url.partition("#")[2]) if url else None
        if fragment is not None:
            links.append(FragmentLink(q, url, fragment))
    return links


def fragment_verdict(link: FragmentLink, body: bytes, ctype: str, doc_paths: dict[str, Path]) -> DriftVerdict:
    """Does a browser find the link's words in the fetched document? (Not in a PDF: browsers apply
    text fragments to web pages only.)"""
    q = link.quotation
    words = f"{link.fragment.start!r}" + (f" ... {link.fragment.end!r}" if link.fragment.end else "")
    if "pdf" in ctype or body[:5] == b"%PDF-":
        found, reason = False, f"the address serves a PDF, where browsers do not look for the words {words}"
    else:
        found = find_in_document(link.fragment, document_text(body, ctype))
        reason = f"the link's words {words} " + ("are in the live document" if found else "are NOT in it")
    file = str(doc_paths.get(q.docname, q.source_path))
    return DriftVerdict(file, q.line, q.key, q.locator, link.url, found, reason, "fragment")


def check_live(
    sources: dict[str, SourceFile],
    refresh: bool,
    today: datetime.date | None = None,
    links: list[FragmentLink] | None = None,
    doc_paths: dict[str, Path] | None = None,
) -> list[DriftVerdict]:
    """Fetch each source's official URL; every stored passage must still be in it. Then fetch
    the address of every text-fragment link (*links*, see :mod:`claimref.fragments`): a browser
    must find the link's words there. Each address is fetched once.

    With *refresh*, a source whose passages are all found gets its provenance
    updated (date obtained, method fetched, sha256), written atomically.
    """

    async def run() -> list[DriftVerdict]:
        verdicts: list[DriftVerdict] = []
        fetched: dict[str, tuple[bytes, str] | str] = {}  # URL -> (body, type), or why it failed
        timeout = aiohttp.ClientTimeout(total=60, connect=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:

            async def get(url: str) -> tuple[bytes, str] | str:
                if url not in fetched:
                    try:
                        fetched[url] = await _fetch(session, url)
                    except (aiohttp.ClientError, TimeoutError) as exc:
                        fetched[url] = f"could not fetch: {exc}"
                return fetched[url]

            for key, source in sorted(sources.items()):
                url = source.provenance.url
                if not url.startswith(("http://", "https://")):
                    continue
                got = await get(url)
                if isinstance(got, str):
                    verdicts.append(DriftVerdict(source.path, 1, key, "", url, False, got))
                    continue
                body, ctype = got
                text = normalize(document_text(body, ctype))
                all_found = True
                for passage in (p for p in source.passages if not p.withdrawn):
                    found = match_quotation(passage.text, text).ok
                    all_found &= found
                    reason = (
                        "still in the live document" if found else "no longer found word for word in the live document"
                    )
                    verdicts.append(DriftVerdict(source.path, passage.line, key, passage.locator, url, found, reason))
                if refresh and all_found:
                    refresh_provenance(
                        Path(source.path), hashlib.sha256(body).hexdigest(), today or datetime.date.today()
                    )
            for link in links or []:
                got = await get(link.url.partition("#")[0])
                if isinstance(got, str):
                    q = link.quotation
                    file = str((doc_paths or {}).get(q.docname, q.source_path))
                    verdicts.append(DriftVerdict(file, q.line, q.key, q.locator, link.url, False, got, "fragment"))
                else:
                    verdicts.append(fragment_verdict(link, *got, doc_paths or {}))
        return verdicts

    return asyncio.run(run())


def refresh_provenance(path: Path, sha256: str, today: datetime.date) -> None:
    """Rewrite the provenance block's date, method and sha256 in place, atomically."""
    text = path.read_text(encoding="utf-8")
    replacements = {"obtained": today.isoformat(), "method": "fetched", "sha256": sha256}
    for name, value in replacements.items():
        pattern = re.compile(rf"^(  {name}:).*$", re.M)
        if pattern.search(text):
            text = pattern.sub(rf"\g<1> {value}", text, count=1)
        else:
            text = text.replace("provenance:\n", f"provenance:\n  {name}: {value}\n", 1)
    atomic_write(path, text)
