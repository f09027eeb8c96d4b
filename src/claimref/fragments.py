"""Links to the quoted words in the live source: URL text fragments (``#:~:text=start,end``).

A browser scrolls to and highlights the first range of the page that runs from
``start`` to ``end``, and silently shows the top of the page when nothing
matches. So a fragment is built only for a quotation verified against its
stored passage, and from the passage's own words (as the source prints them,
not as the reference typesets them); ``check_references.py quotes --live``
then confirms that the fragment's words occur in the fetched document.
Spec: https://wicg.github.io/scroll-to-text-fragment/
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple, cast
from urllib.parse import quote, unquote, urlsplit

from docutils import nodes

from .bibliography import bib_entries
from .domain import ClaimDomain
from .matching import _EQUIVALENT, fragment_regex, normalized_passage, split_fragments
from .passages import SourceFile, judge_quotation

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

#: Words taken from each end of a long quotation for ``start`` and ``end``.
EDGE_WORDS = 4
FRAGMENT_CLASS = "claimref-at-source"

# Every character that normalize() folds into a given one, for mapping a normalized run back.
_ORIGINALS: dict[str, set[str]] = {}
for _code, _folded in _EQUIVALENT.items():
    _ORIGINALS.setdefault(str(_folded), set()).add(chr(_code))


class TextFragment(NamedTuple):
    """The words of a text directive: ``start`` and, for a long quotation, ``end``."""

    start: str
    end: str = ""

    def directive(self) -> str:
        parts = [encode(self.start)] + ([encode(self.end)] if self.end else [])
        return ":~:text=" + ",".join(parts)


def encode(words: str) -> str:
    """Percent-encode one text-directive term: everything but unreserved characters, and the
    spec's own syntax characters ``-``, ``,`` and ``&`` too (``quote`` leaves ``-`` alone)."""
    return quote(words, safe="").replace("-", "%2D")


def parse_directive(fragment: str) -> TextFragment | None:
    """``...:~:text=start,end`` -> its terms (prefix- and -suffix terms are not generated here)."""
    _, found, directive = fragment.partition(":~:text=")
    if not found:
        return None
    terms = [unquote(t) for t in directive.split("&", 1)[0].split(",")]
    terms = [t for t in terms if not (t.endswith("-") or t.startswith("-"))]
    if not terms or not terms[0]:
        return None
    return TextFragment(terms[0], terms[1] if len(terms) > 1 else "")


def _original_run(normalized: str, passage: str) -> str | None:
    """The run of *passage* (as printed) that normalizes to *normalized*, whitespace collapsed."""
    pattern = ""
    for char in normalized:
        if char == " ":
            pattern += r"\s+"
        elif char in _ORIGINALS:
            pattern += "[" + re.escape(char + "".join(sorted(_ORIGINALS[char]))) + "]"
        else:
            pattern += re.escape(char)
    found = re.search(pattern, passage, re.IGNORECASE)
    return " ".join(found.group(0).split()) if found else None


def quotation_fragment(source: SourceFile, locator: str, text: str) -> TextFragment | None:
    """The text directive for a quotation, or None (not verified, or not mappable)."""
    if not judge_quotation({source.key: source}, source.key, locator, text).ok:
        return None
    return verified_fragment(source, locator, text)


def verified_fragment(source: SourceFile, locator: str, text: str) -> TextFragment | None:
    """The text directive for a quotation already judged to match its passage, or None (not mappable)."""
    passage = source.passage(locator)
    if passage is None:
        return None
    normalized = normalized_passage(passage.text)
    spans = []
    pos = 0
    for fragment in split_fragments(text):
        found = fragment_regex(fragment).search(normalized, pos)
        if found is None:
            return None
        spans.append((found.start(), found.end()))
        pos = found.end()
    whole = normalized[spans[0][0] : spans[-1][1]].split(" ")
    if len(whole) <= 2 * EDGE_WORDS and len(spans) == 1:
        start, end = " ".join(whole), ""
    else:
        first = normalized[spans[0][0] : spans[0][1]].split(" ")
        last = normalized[spans[-1][0] : spans[-1][1]].split(" ")
        start, end = " ".join(first[:EDGE_WORDS]), " ".join(last[-EDGE_WORDS:])
    start_run = _original_run(start, passage.text)
    end_run = _original_run(end, passage.text) if end else ""
    if not start_run or end_run is None:
        return None
    return TextFragment(start_run, end_run)


def source_url(source: SourceFile, page_url: str = "") -> str:
    """The address the quoted words are at, if it is a web page a browser can scroll: the
    official text the passage was taken from, else the bibliography's address of the source."""
    url = source.provenance.url or page_url
    if not url.startswith(("http://", "https://")) or urlsplit(url).path.lower().endswith(".pdf"):
        return ""
    return url


def fragment_url(source: SourceFile, locator: str, text: str, page_url: str = "") -> str:
    """``URL#:~:text=...`` for a verified quotation whose source has a web address; else ""."""
    url = source_url(source, page_url)
    return _with_fragment(url, quotation_fragment(source, locator, text) if url else None)


def _with_fragment(url: str, fragment: TextFragment | None) -> str:
    if not url or fragment is None:
        return ""
    base, _, existing = url.partition("#")
    return f"{base}#{existing}{fragment.directive()}"


def at_source_link(env: BuildEnvironment, key: str, locator: str, text: str, verified: bool) -> list[nodes.Node]:
    """A small link after a quotation to its words in the live source (nothing when there is none).

    *verified* is the page's own judgement of the quotation (:func:`.quotations.verify`), not made twice."""
    source = cast(ClaimDomain, env.get_domain("claim")).source_files.get(key)
    if source is None or not locator or not verified:
        return []
    entry = bib_entries(env).get(key)
    url = source_url(source, str(entry.fields.get("url", "")) if entry is not None else "")
    url = _with_fragment(url, verified_fragment(source, locator, text) if url else None)
    if not url:
        return []
    label = "at source"
    link = nodes.reference(label, label, refuri=url, classes=[FRAGMENT_CLASS])
    return [nodes.Text(" ("), link, nodes.Text(")")]


def find_in_document(fragment: TextFragment, document: str) -> bool:
    """Would a browser find the range? Its matching: whole words, case-insensitive, whitespace
    collapsed, across element boundaries; no folding of quotation marks or dashes."""
    text = " ".join(document.split()).casefold()
    start = re.search(rf"(?<!\w){re.escape(fragment.start.casefold())}(?!\w)", text)
    if start is None:
        return False
    if not fragment.end:
        return True
    return re.search(rf"(?<!\w){re.escape(fragment.end.casefold())}(?!\w)", text[start.end() :]) is not None
