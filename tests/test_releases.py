"""Releases, the Atom feed, the frozen copy's Zenodo metadata and manifest, the timeline and the front page."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from browser import Browser, chromium_path, pagefind_search, serve_folder
from conftest import warnings_of

from claimref.timeline_svg import Mark, Row, span, year_position
from claimref.zenodo import ZENODO_REQUIRED

ROOT = "test-releases"


def _copy(rootdir: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "root"
    shutil.copytree(rootdir / ROOT, dest)
    return dest


def _build(make_app, srcdir: Path, builder: str = "html", fresh: bool = True, **overrides):  # type: ignore[no-untyped-def]
    app = make_app(builder, srcdir=srcdir, freshenv=fresh, confoverrides=overrides)
    app.build()
    return app, warnings_of(app._warning)


def _text(path: Path) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())


# -- the changelog's feed ---------------------------------------------------------------------------


def test_feed_is_valid_atom_with_one_entry_per_release(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, warnings = _build(make_app, _copy(rootdir, tmp_path), claimref_base_url="https://example.org/ref/")
    assert warnings == ""
    out = Path(app.outdir)
    feed = feedparser.parse((out / "changelog.atom").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.id == "https://example.org/ref/changelog.atom"
    assert [e.title for e in feed.entries] == ["Release 2026.12", "Release 2026.11"]  # newest first
    newest, first = feed.entries
    assert newest.link == "https://example.org/ref/changelog.html#release-2026-12"
    assert newest.updated_parsed[:3] == (2026, 12, 15)
    assert feed.feed.updated_parsed[:3] == (2026, 12, 15)
    assert "a correction on the page of the claim first" in newest.content[0].value
    assert "Added: the claim first." in first.content[0].value
    changelog = (out / "changelog.html").read_text(encoding="utf-8")
    assert 'id="release-2026-11"' in changelog and 'id="release-2026-12"' in changelog
    # Every page's head points feed readers at it, relative to the page.
    claim = (out / "claims" / "first.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="Changelog" href="../changelog.atom">' in claim


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        (":date: 30 November 2026", "release-note '2026.11' needs :date: YYYY-MM-DD, not '30 November 2026'"),
        (":date: 2026-11-30\n\nAgain.\n```\n\n```{release-note} 2026.11\n:date: 2026-11-30", "has two release-note"),
    ],
)
def test_bad_release_note_is_reported_at_its_line(
    make_app, rootdir: Path, tmp_path: Path, replacement: str, message: str
) -> None:
    src = _copy(rootdir, tmp_path)
    page = src / "changelog.md"
    page.write_text(page.read_text(encoding="utf-8").replace(":date: 2026-11-30", replacement, 1), encoding="utf-8")
    _app, warnings = _build(make_app, src)
    assert re.search(rf"changelog\.md:\d+: WARNING: .*{re.escape(message)}.*\[claimref\.release\]", warnings), warnings


# -- the frozen copy and the live site --------------------------------------------------------------


def test_frozen_copy_names_its_release_and_writes_zenodo_metadata(make_app, rootdir: Path, tmp_path: Path) -> None:
    base = "https://example.org/ref/2026.12/"
    app, warnings = _build(make_app, _copy(rootdir, tmp_path), claimref_frozen=True, claimref_base_url=base)
    assert warnings == ""
    out = Path(app.outdir)
    zenodo = json.loads((out / ".zenodo.json").read_text(encoding="utf-8"))
    for field in ZENODO_REQUIRED:
        assert zenodo[field], field
    assert zenodo["version"] == "2026.12" and zenodo["publication_date"] == "2026-12-15"
    assert zenodo["upload_type"] == "publication" and zenodo["creators"][0]["name"]
    assert {"identifier": base, "relation": "isIdenticalTo", "resource_type": "publication-other"} in zenodo[
        "related_identifiers"
    ]
    manifest = json.loads((out / "anchors.json").read_text(encoding="utf-8"))
    assert {"", "the-claim", "the-record", "claim-first"} <= set(manifest["pages"]["claims/first.html"])
    assert {"", "release-2026-11", "release-2026-12"} <= set(manifest["pages"]["changelog.html"])
    claim = _text(out / "claims" / "first.html")
    assert "This is the frozen copy of release 2026.12; it will not change. The live reference" in claim
    assert f"Permalink: {base}claims/first.html" in claim
    assert 'href="../../claims/first.html">The live reference' in (out / "claims" / "first.html").read_text()


def test_live_pages_link_their_frozen_release(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, warnings = _build(make_app, _copy(rootdir, tmp_path), claimref_release_site=True)
    assert warnings == ""
    out = Path(app.outdir)
    claim = (out / "claims" / "first.html").read_text(encoding="utf-8")
    assert 'This page is part of release 2026.12.\n<a href="../2026.12/claims/first.html">' in claim
    assert '<a href="2026.12/index.html">The frozen copy of release 2026.12</a>' in (out / "index.html").read_text()
    assert not (out / ".zenodo.json").exists()  # only the frozen copy is deposited


def test_a_release_without_its_changelog_entry_cannot_be_frozen(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, warnings = _build(make_app, _copy(rootdir, tmp_path), claimref_frozen=True, claimref_release="2027.01")
    assert "release '2027.01' has no release-note on the changelog" in warnings
    assert not (Path(app.outdir) / ".zenodo.json").exists()


# -- the timeline -------------------------------------------------------------------------------------


def test_timeline_pictures_are_accessible_svg_with_a_text_equivalent(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, warnings = _build(make_app, _copy(rootdir, tmp_path), today="2026-12-01")
    assert warnings == ""
    out = Path(app.outdir)
    chronology = (out / "chronology.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg .*?</svg>", chronology, re.S)
    assert svg is not None
    svg_text = svg.group(0)
    assert 'role="img" aria-labelledby="timeline-all-title timeline-all-desc"' in svg_text
    assert '<title id="timeline-all-title">' in svg_text and "2 dated statements" in svg_text
    assert svg_text.count('class="tl-statement"') == 2 + 1  # two statements and the legend
    assert svg_text.count('class="tl-seed"') == 1 + 1  # Seed A (2014-04) and the legend
    assert "<a " not in svg_text and "tabindex" not in svg_text  # nothing focusable inside an image
    assert "<title>1 May 2010: Ivan Petrov</title>" in svg_text
    assert "The seed documents' answers: April 2014, Seed A (1 claims)." in _text(out / "chronology.html")
    # The claim's own strip sits in its header; its caption says the same in words.
    claim = (out / "claims" / "first.html").read_text(encoding="utf-8")
    header = claim[claim.index('class="claim-header') : claim.index('id="the-claim"')]
    assert 'aria-labelledby="timeline-first-title timeline-first-desc"' in header
    assert "Stated: 1 May 2010: Ivan Petrov; 10 February 2016: Anna Smirnova." in header
    assert "Answered by the seed documents: April 2014: Seed A." in header
    # Neither search sees the picture: Sphinx's index holds no year label of its axis.
    index = (out / "searchindex.js").read_text(encoding="utf-8")
    assert "1995" not in index
    assert 'data-pagefind-ignore="all"' in svg_text


def test_pdf_draws_the_timeline_and_text_gives_it_in_words(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, warnings = _build(make_app, _copy(rootdir, tmp_path), builder="latex")
    assert warnings == ""
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert "<svg" not in tex and "tl-statement" not in tex
    # The same picture, drawn by TeX: two statements and one seed on the claim's strip and on the whole.
    assert r"\usepackage{tikz}" in tex
    assert tex.count(r"\begin{tikzpicture}") == 2
    assert tex.count("circle (0.07);") == 2 * (2 + 1)  # two statements and the legend, twice
    assert "Stated: 1 May 2010: Ivan Petrov" in tex
    app, warnings = _build(make_app, _copy(rootdir, tmp_path / "text"), builder="text")
    assert "The seed documents' answers: April 2014, Seed A" in (Path(app.outdir) / "chronology.txt").read_text()


def test_timeline_axis() -> None:
    assert year_position("2014") == 2014.5
    assert 2014.24 < year_position("2014-04") < 2014.3
    assert year_position("2016-01-01") == 2016.0
    # 1990 at the left unless a mark is older; the build's year (or a later mark) at the right.
    assert span([Row("", (Mark("2010-05-01", "statement", ""),))], 2026) == (1990, 2027)
    assert span([Row("", (Mark("1987", "statement", ""),))], 2026) == (1985, 2027)


# -- the front page -----------------------------------------------------------------------------------


def test_front_page_cards_and_latest_changes_follow_the_model(make_app, rootdir: Path, tmp_path: Path) -> None:
    src = _copy(rootdir, tmp_path)
    app, warnings = _build(make_app, src)
    assert warnings == ""
    out = Path(app.outdir)
    front = _text(out / "index.html")
    assert "Alpha theme 1 claim. Most cited: Title of first" in front
    assert "Release 2026.12 (15 December 2026): The second release" in front
    assert "Release 2026.11" not in front  # one release by default
    assert 'href="changelog.html#release-2026-12"' in (out / "index.html").read_text(encoding="utf-8")
    # A new release on the changelog reaches the front page on an incremental build.
    page = src / "changelog.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n```{release-note} 2027.01\n:date: 2027-01-20\n\nThe third.\n```\n",
        encoding="utf-8",
    )
    app.build()  # the same application, as a reader's second `make html`
    assert "WARNING" not in warnings_of(app._warning)
    assert "Release 2027.01 (20 January 2027): The third." in _text(out / "index.html")


# -- phrase search, in Chromium -------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(not chromium_path(), reason="chromium not installed")
PHRASE = "would not move one inch to the east"


def _page_text(url: str, base: str, out: Path) -> str:
    path = url.removeprefix(base).split("#")[0]
    return _text(out / (path or "index.html"))


@needs_chromium
def test_pagefind_finds_an_exact_phrase_in_chromium(make_app, rootdir: Path, tmp_path: Path) -> None:
    app, warnings = _build(make_app, _copy(rootdir, tmp_path), html_theme="furo", claimref_pagefind=True)
    assert warnings == ""
    out = Path(app.outdir)
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(lang["page_count"] for lang in entry["languages"].values()) >= 5
    with serve_folder(out) as base, Browser() as browser:
        message, quoted = pagefind_search(browser, base + "search.html", f'"{PHRASE}"')
        assert f"{base}claims/first.html" in quoted, (message, quoted)
        for url in quoted:  # every page found holds the words in that order
            assert PHRASE in _page_text(url, base, out).lower(), url
        # The same words out of order are no phrase: nothing holds them so.
        message, scrambled = pagefind_search(browser, base + "search.html", '"the east inch one move not would"')
        assert scrambled == [] and message.startswith("No results"), message
        # Unquoted, the words are matched one by one: more pages, at least those with the phrase.
        _message, words = pagefind_search(browser, base + "search.html", "east inch")
        assert set(quoted) <= set(words) or f"{base}claims/first.html" in words
        # The navigation, which repeats every title, is not indexed: a claim title finds its own pages only.
        _message, titled = pagefind_search(browser, base + "search.html", '"Title of first"')
        for url in titled:
            assert "title of first" in _page_text(url, base, out).lower()


def test_timeline_follows_a_changed_claim_on_an_incremental_build(make_app, rootdir: Path, tmp_path: Path) -> None:
    src = _copy(rootdir, tmp_path)
    app, warnings = _build(make_app, src)
    assert warnings == ""
    chronology = Path(app.outdir) / "chronology.html"
    assert chronology.read_text(encoding="utf-8").count('class="tl-seed"') == 1 + 1
    # Only the claim page changes: the chronology page, which draws it, must be written again.
    page = src / "claims" / "first.md"
    page.write_text(page.read_text(encoding="utf-8").replace(":seeds: seed-a", ":seeds: seed-a seed-b"), "utf-8")
    app.build()
    assert "WARNING" not in warnings_of(app._warning)
    html = chronology.read_text(encoding="utf-8")
    assert html.count('class="tl-seed"') == 2 + 1
    assert "<title>21 September 2022: Seed B</title>" in html


def test_release_note_and_front_matter_must_agree(make_app, rootdir: Path, tmp_path: Path) -> None:
    """The release note (for readers and the feed) and the front matter (for page dates) are one record."""

    root = tmp_path / "root"
    shutil.copytree(rootdir / "test-releases", root)
    changelog = root / "changelog.md"
    front = '---\nreleases:\n  - release: "2026.11"\n    date: "2026-11-02"\n    changed: []\n---\n'
    changelog.write_text(front + changelog.read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app("html", srcdir=root, freshenv=True)
    app.build()
    warnings = warnings_of(app._warning)
    assert "release-note '2026.11' is dated" in warnings and "the changelog's front matter 2026-11-02" in warnings
    assert "release '2026.12' is not in the changelog's front matter" in warnings


def test_pagefind_index_is_rebuilt_only_when_a_page_was_written(rootdir: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    root = _copy(rootdir, tmp_path)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-D", "claimref_pagefind=1", str(root), str(out)]
    assert subprocess.run(command, capture_output=True, text=True).returncode == 0
    entry = out / "pagefind" / "pagefind-entry.json"
    first = entry.stat().st_mtime_ns
    assert subprocess.run(command, capture_output=True, text=True).returncode == 0
    assert entry.stat().st_mtime_ns == first  # nothing changed: the index stands
    page = root / "claims" / "first.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    assert subprocess.run(command, capture_output=True, text=True).returncode == 0
    assert entry.stat().st_mtime_ns > first  # a page was written: indexed again
