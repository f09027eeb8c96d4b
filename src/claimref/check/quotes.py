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

import aiohttp

from ..domain import QuotationRecord, UnmarkedQuotation
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


async def _fetch(session: aiohttp.ClientSession, url: str) -> tuple[bytes, str]:
    async with session.get(url) as response:
        response.raise_for_status()
        return await response.read(), response.headers.get("Content-Type", "")


def check_live(sources: dict[str, SourceFile], refresh: bool, today: datetime.date | None = None) -> list[DriftVerdict]:
    """Fetch each source's official URL; every stored passage must still be in it.

    With *refresh*, a source whose passages are all found gets its provenance
    updated (date obtained, method fetched, sha256), written atomically.
    """

    async def run() -> list[DriftVerdict]:
        verdicts: list[DriftVerdict] = []
        timeout = aiohttp.ClientTimeout(total=60, connect=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for key, source in sorted(sources.items()):
                url = source.provenance.url
                if not url.startswith(("http://", "https://")):
                    continue
                try:
                    body, ctype = await _fetch(session, url)
                except (aiohttp.ClientError, TimeoutError) as exc:
                    verdicts.append(DriftVerdict(source.path, 1, key, "", url, False, f"could not fetch: {exc}"))
                    continue
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
