"""The real reference: HTML with zero warnings, in a real browser, and the PDF read back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html import unescape as html_unescape
from pathlib import Path

import pytest
from browser import Browser, chromium_path, serve_folder

from claimref.matching import normalize
from claimref.passages import load_sources

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
CLAIM_IDS = sorted(p.stem for p in (DOCS / "claims").glob("*.md"))
FIXED_ANCHORS = ("the-claim", "the-argument", "the-record", "sources")
IN_CI = os.environ.get("CI") == "true"
#: The release being built, as docs/conf.py names it.
RELEASE = re.search(r'^release = version = "([^"]+)"', (DOCS / "conf.py").read_text(), re.M).group(1)  # type: ignore[union-attr]


def _sphinx(builder: str, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", builder, "-W", "--keep-going", "-n", "-q", str(DOCS), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "CLAIMREF_DATE": "2026-11-23"},
    )


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    result = _sphinx("html", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # zero warnings
    return out


def test_worked_examples_exist() -> None:
    assert {"no-enlargement-pledge", "libya-illegitimate", "guarantee-ukraine-never-joins"} <= set(CLAIM_IDS)


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_claim_page_has_its_fixed_anchors_and_footnotes(html: Path, claim_id: str) -> None:
    page = (html / "claims" / f"{claim_id}.html").read_text()
    for anchor in (*FIXED_ANCHORS, f"claim-{claim_id}"):
        assert f'id="{anchor}"' in page, anchor
    footnotes = set(re.findall(r'<aside class="footnote[^"]*" id="(fn-[^"]+)"', page))
    sources = {re.sub(r"^fn-", "", f).rsplit("-", 2)[0] for f in footnotes}
    assert len(footnotes) >= 2 and len(sources) >= 2, footnotes
    assert "Permalink:" in page


def test_claims_index_and_concordance_list_every_claim(html: Path) -> None:
    index = (html / "claim-index.html").read_text()
    concordance = (html / "concordance.html").read_text()
    for claim_id in CLAIM_IDS:
        assert f'href="claims/{claim_id}.html"' in index
        assert f'href="claims/{claim_id}.html"' in concordance


def test_every_stored_passage_has_its_anchor(html: Path) -> None:
    page = (html / "source-texts.html").read_text()
    for source in load_sources(REPO / "sources").values():
        for passage in source.passages:
            assert f'id="{passage.anchor}"' in page, passage.anchor


# -- in a real browser -------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(not chromium_path() and not IN_CI, reason="chromium not installed")


@needs_chromium
def test_in_chromium_search_permalink_and_dark_mode(html: Path) -> None:
    with Browser() as browser:
        claim = (html / "claims" / "libya-illegitimate.html").as_uri()
        header = browser.evaluate(claim, "document.querySelector('.claim-header').innerText")
        # The header shows the claim, not its footnotes (the resolution's symbol is only in the notes).
        assert "S/RES/1973" not in header and "Permalink: claims/libya-illegitimate.html" in header
        footnote_target = browser.evaluate(
            claim + "#fn-unscr-1973-op-4", "document.getElementById('fn-unscr-1973-op-4').innerText"
        )
        assert "S/RES/1973 (2011)" in footnote_target and "OP 4" in footnote_target
        # Sphinx's built-in search, run by the page's own JavaScript.
        search = (html / "search.html").as_uri() + "?q=Benghazi"
        found = browser.evaluate(
            search,
            "Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href')).join(' ')",
            wait_for="document.querySelectorAll('#search-results li').length > 0",
        )
        assert "claims/libya-illegitimate.html" in found
        # Light and dark: Furo follows the reader's colour-scheme preference.
        light = browser.evaluate(claim, "getComputedStyle(document.body).backgroundColor")
        dark = browser.evaluate(claim, "getComputedStyle(document.body).backgroundColor", dark=True)
        assert light != dark
        assert _luminance(dark) < 0.2 < _luminance(light)


@pytest.fixture(scope="module")
def served(html: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (the 404 page's root-absolute links need a server)."""
    with serve_folder(html) as base:
        yield base


#: One page of every type the reference has.
PAGE_TYPES = [
    "index.html",
    "claims/libya-illegitimate.html",
    "claim-index.html",
    "themes/ukraine.html",
    "concordance.html",
    "chronology.html",
    "people/index.html",
    "people/vladimir-putin.html",
    "sources.html",
    "source-texts.html",
    "data.html",
    "method.html",
    "changelog.html",
    "search.html",
    "404.html",
]


@needs_chromium
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_nothing_serious_on_any_page_type(served: str, dark: bool) -> None:
    found = {}
    with Browser() as browser:
        for page in PAGE_TYPES:
            violations = browser.axe(served + page, dark=dark)
            serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
            if serious:
                found[page] = [(v["id"], v["nodes"][:2]) for v in serious]
    assert found == {}


@needs_chromium
def test_tap_targets_on_a_phone_are_at_least_24_px(served: str) -> None:
    with Browser(390, 844, mobile=True) as browser:
        sizes = browser.evaluate(
            served + "claims/libya-illegitimate.html",
            "Array.from(document.querySelectorAll('a.footnote-reference')).map(a => {"
            " const r = a.getBoundingClientRect(); return [r.width, r.height]; })",
        )
    assert sizes and min(min(w, h) for w, h in sizes) >= 24, sizes


@needs_chromium
def test_claim_header_and_cards_keep_their_padding(served: str) -> None:
    with Browser() as browser:
        header = browser.evaluate(
            served + "claims/libya-illegitimate.html",
            "parseFloat(getComputedStyle(document.querySelector('.claim-header')).paddingLeft)",
        )
        card, gap = browser.evaluate(
            served + "claim-index.html",
            "[parseFloat(getComputedStyle(document.querySelector('.claim-card .sd-card-body')).paddingLeft),"
            " document.querySelectorAll('.claim-card')[1].getBoundingClientRect().left"
            " - document.querySelectorAll('.claim-card')[0].getBoundingClientRect().right]",
        )
    assert header >= 12 and card >= 12 and gap >= 8, (header, card, gap)


def _luminance(css_colour: str) -> float:
    r, g, b = (int(x) for x in re.findall(r"\d+", css_colour)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


# -- the PDF -------------------------------------------------------------------------------

needs_tex = pytest.mark.skipif(
    not (shutil.which("xelatex") and shutil.which("latexmk") and shutil.which("pdftotext")) and not IN_CI,
    reason="TeX (xelatex, latexmk) or pdftotext not installed",
)


@needs_tex
def test_pdf_has_every_claim_footnotes_metadata_and_cyrillic(html: Path, tmp_path: Path) -> None:
    latex = tmp_path / "latex"
    result = _sphinx("latex", latex)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    make = subprocess.run(
        ["make", "-C", str(latex), "LATEXMKOPTS=-interaction=nonstopmode -halt-on-error", "all-pdf"],
        capture_output=True,
        text=True,
    )
    assert make.returncode == 0, make.stdout[-3000:]
    # Every link in the PDF lands: no undefined reference (claims to sources, passages, statements).
    log = (latex / "claimref.log").read_text(encoding="utf-8", errors="replace")
    assert not re.findall(r"(?:Hyper r|R)eference `[^']*' on page \d+ undefined", log)
    tex = (latex / "claimref.tex").read_text(encoding="utf-8")
    # Adjacent footnote marks are kept apart by a superscript comma, never run together.
    assert not re.search(r"\\sphinxfootnotemark\[\d+\]\s*\\sphinxfootnotemark", tex)
    assert not re.search(r"\\end\{footnote\}%?\s*\\begin\{footnote\}", tex)
    pdf = latex / "claimref.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = _fold(text)
    for claim_id in CLAIM_IDS:
        assert _fold(_title(claim_id)) in flat, claim_id
    # Footnotes: each claim page's first source note is printed (as a page footnote).
    for claim_id in CLAIM_IDS:
        page = (html / "claims" / f"{claim_id}.html").read_text()
        first = re.search(r'<aside class="footnote[^"]*" id="fn-[^"]+"[^>]*>.*?<p>(.*?)</p>', page, re.S)
        assert first is not None
        note = _fold(html_unescape(re.sub(r"<[^>]+>", "", first.group(1))))
        assert note[:60] in flat, note
    assert "горбачёв" in flat  # Cyrillic renders
    # The statements' Russian originals are printed, in Cyrillic.
    import pickle

    env = pickle.loads((html / ".doctrees" / "environment.pickle").read_bytes())
    originals = [s.original for doc in env.domaindata["claim"]["statements"].values() for s in doc if s.original]
    assert originals
    for original in originals[:10]:
        assert _fold(" ".join(original.split()[:4])) in flat, original
    assert f"release {RELEASE}" in flat  # the release, on the title page
    # A table of contents after the title page, headed Contents: numbered entries with page numbers,
    # the numbers apart from the titles (two-digit ones too).
    front = "\n".join(text.split("\f")[1:4])
    assert re.search(r"^\s*CONTENTS\s*$", front, re.M | re.I) and "finding a claim" not in _fold(front[:200])
    assert re.search(r"^\s*1\s+Claims index\s+\d+\s*$", front, re.M)
    assert re.search(r"^\s*2\d\s+\S", front, re.M) and not re.search(r"^\s*\d+[A-Z]", front, re.M)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Title:" in info and "Russian claims about NATO" in info
    assert "Author:" in info and "claimref editors" in info
    # Each claim starts on a new page: its title is among the first lines of some page.
    pages = [_fold(" ".join(p.split()[:40])) for p in text.split("\f")]
    for claim_id in CLAIM_IDS:
        opening = " ".join(_fold(_title(claim_id)).split()[:4])
        assert any(opening in page for page in pages), claim_id


def _title(claim_id: str) -> str:
    return (DOCS / "claims" / f"{claim_id}.md").read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")


def _fold(text: str) -> str:
    """Compare text as the quotation rules do (quotes, dashes, whitespace), caseless, quote marks dropped."""
    return normalize(text).lower().replace('"', "")


def test_dataset_and_claim_review_cover_every_claim(html: Path) -> None:
    import json

    import jsonschema
    from test_export import check_claim_review, json_ld

    data = json.loads((html / "claims.json").read_text())
    jsonschema.validate(data, json.loads((html / "claims.schema.json").read_text()))
    assert sorted(c["id"] for c in data["claims"]) == CLAIM_IDS
    assert all(q["verdict"] == "verified" for c in data["claims"] for q in c["quotations"])
    for claim_id in CLAIM_IDS:
        reviews = json_ld((html / "claims" / f"{claim_id}.html").read_text())
        assert len(reviews) == 1, claim_id
        check_claim_review(reviews[0], absolute=False)


PRIMARY_KINDS = {"treaty", "un", "nato", "osce", "legal", "law", "record", "statement"}


def test_every_claim_has_two_sources_one_primary(html: Path) -> None:
    import pickle

    import pybtex.database

    env = pickle.loads((html / ".doctrees" / "environment.pickle").read_bytes())
    citations = env.domaindata["claim"]["citations"]
    kinds = {k: e.fields.get("kind") for k, e in pybtex.database.parse_file(REPO / "references.bib").entries.items()}
    for claim_id in CLAIM_IDS:
        keys = {c.key for c in citations[f"claims/{claim_id}"]}
        assert len(keys) >= 2, claim_id
        assert any(kinds[k] in PRIMARY_KINDS for k in keys), (claim_id, keys)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference built as it is published: with its base URL set."""
    out = tmp_path_factory.mktemp("published")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q", str(DOCS), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "CLAIMREF_DATE": "2026-11-23", "CLAIMREF_BASE_URL": "https://example.org/ref/"},
    )
    assert result.returncode == 0, result.stderr
    return out


def test_sharing_metadata_sitemap_and_404(published: Path) -> None:
    from test_export import check_claim_review, json_ld

    for page in [*(f"claims/{c}.html" for c in CLAIM_IDS), "index.html", "method.html", "source-texts.html"]:
        html = (published / page).read_text()
        assert re.search(r'<meta property="og:title" content="[^"]+"', html), page
        assert re.search(r'<meta property="og:description" content="[^"]+"', html), page
        assert f'<meta property="og:url" content="https://example.org/ref/{page}"' in html, page
        assert re.search(r'<meta name="description" content="[^"]+"', html), page
    for claim_id in CLAIM_IDS:
        review = json_ld((published / "claims" / f"{claim_id}.html").read_text())[0]
        check_claim_review(review, absolute=True)
    sitemap = (published / "sitemap.xml").read_text()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert {f"https://example.org/ref/claims/{c}.html" for c in CLAIM_IDS} <= set(locations)
    assert not any(loc.endswith("404.html") for loc in locations)
    not_found = (published / "404.html").read_text()
    assert 'href="/ref/claim-index.html"' in not_found
    assert 'action="/ref/search.html"' in not_found  # the search box
    assert f"release {RELEASE}" in (published / "claims" / "libya-illegitimate.html").read_text()


def test_every_claim_page_and_the_source_texts_carry_tags_matching_the_model(published: Path) -> None:
    """Highwire and Dublin Core tags of the real reference, parsed from the built HTML, against the
    dataset and the "Cite this" files; ClaimReview uses the page's title, dates and verdict."""
    import json

    import test_citation_metadata
    from test_citation_metadata import check_page_against_model, one, parse, tags
    from test_export import json_ld

    test_citation_metadata.BASE = "https://example.org/ref/"
    data = json.loads((published / "claims.json").read_text())
    assert data["license"]["id"] == "CC-BY-4.0"
    assert sorted(c["id"] for c in data["claims"]) == CLAIM_IDS
    for claim in data["claims"]:
        cited = list(dict.fromkeys([s["key"] for s in claim["sources"]] + [q["key"] for q in claim["quotations"]]))
        page = f"claims/{claim['id']}.html"
        check_page_against_model(
            published, page, f"claim-{claim['id']}", claim["claim"], cited, REPO / "references.bib"
        )
        head = parse(published / page)
        # Every claim page was first published in 2026.11 (23 November 2026) and changed in 2026.12,
        # as the anchor manifest and the changelog's front matter record.
        assert claim["first_published"] == {"release": "2026.11", "date": "2026-11-23"}
        assert claim["last_changed"] == {"release": "2026.12", "date": "2026-12-01"}
        assert one(head, "citation_publication_date") == "2026/11/23"
        assert one(head, "citation_online_date") == "2026/12/01"
        review = json_ld((published / page).read_text())[0]
        assert review["claimReviewed"] == claim["claim"]
        assert (review["datePublished"], review["dateModified"]) == ("2026-11-23", "2026-12-01")
        assert claim["verdict"] and len(claim["verdict"]) < 75  # every page of the reference has one
        assert review["reviewRating"]["alternateName"] == claim["verdict"]
    texts = parse(published / "source-texts.html")
    assert one(texts, "citation_title") == "Source texts"
    assert len(tags(texts, "citation_reference")) == len(list((REPO / "sources").glob("*.yaml")))
    sources = parse(published / "sources.html")
    assert len(sources.coins) == len({i for i, _ in sources.coins}) > 100


def test_quotations_link_to_their_words_at_the_source(html: Path) -> None:
    """Each verified quotation whose source has a web address links to its words there."""
    import pickle

    import pybtex.database

    from claimref.check.quotes import fragment_links

    env = pickle.loads((html / ".doctrees" / "environment.pickle").read_bytes())
    quotations = [q for doc in env.domaindata["claim"]["quotations"].values() for q in doc]
    urls = {
        k: str(e.fields["url"])
        for k, e in pybtex.database.parse_file(REPO / "references.bib").entries.items()
        if "url" in e.fields
    }
    expected = {link.url for link in fragment_links(load_sources(REPO / "sources"), quotations, urls)}
    built: set[str] = set()
    for page in (html / "claims").glob("*.html"):
        built |= {
            html_unescape(h) for h in re.findall(r'<a class="claimref-at-source[^"]*" href="([^"]+)"', page.read_text())
        }
    assert expected and built == expected
    assert all("#:~:text=" in url and url.startswith(("https://", "http://")) for url in built)
