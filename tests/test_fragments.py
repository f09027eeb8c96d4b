"""Links to the quoted words in the live source (URL text fragments), built and verified."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

from httpserver import LoopbackServer, serve

from claimref.check.collect import Location, external_targets
from claimref.fragments import TextFragment, encode, find_in_document, fragment_url, parse_directive, quotation_fragment
from claimref.passages import Passage, Provenance, SourceFile

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "check_references.py"
PASSAGE = (
    "The Parties may, by unanimous agreement, invite any other European State in a position to further "
    "the principles of this Treaty and to contribute to the security of the North Atlantic area to accede "
    "to this Treaty. It is the \u2018open door\u2019 \u2014 so called."
)


def _source(url: str = "https://example.org/treaty") -> SourceFile:
    provenance = Provenance(url, "2026-11-23", "transcribed", "", "", "")
    return SourceFile("treaty", "treaty.yaml", provenance, (Passage("treaty", "Art. 10", PASSAGE, "treaty.yaml", 5),))


def test_terms_are_percent_encoded_as_the_spec_requires() -> None:
    # '-', ',' and '&' are the directive's own syntax; spaces and everything else not unreserved too.
    assert encode("a-b, c&d") == "a%2Db%2C%20c%26d"
    assert encode("State\u2019s") == "State%E2%80%99s"
    assert TextFragment("one two", "three-four").directive() == ":~:text=one%20two,three%2Dfour"
    assert parse_directive("art-10:~:text=one%20two,three%2Dfour") == TextFragment("one two", "three-four")
    assert parse_directive("art-10") is None


def test_fragment_is_built_from_the_passage_words() -> None:
    source = _source()
    # Short: the whole quotation is the start.
    assert quotation_fragment(source, "Art. 10", "any other European State") == TextFragment("any other European State")
    # Long: four words from each end.
    long = "invite any other European State in a position to further the principles of this Treaty"
    assert quotation_fragment(source, "Art. 10", long) == TextFragment(
        "invite any other European", "principles of this Treaty"
    )
    # An ellipsis: the start of the first fragment, the end of the last.
    elided = "The Parties may ... to accede to this Treaty"
    assert quotation_fragment(source, "Art. 10", elided) == TextFragment("The Parties may", "accede to this Treaty")
    # Straight quotes and a hyphen in the reference's text; the link carries the source's own marks.
    assert quotation_fragment(source, "Art. 10", "the 'open door' - so called") == TextFragment(
        "the \u2018open door\u2019 \u2014 so called"
    )
    # An editorial insertion is not in the source, so the link uses the source's words around it.
    assert quotation_fragment(source, "Art. 10", "[The Allies] may, by unanimous agreement") == TextFragment(
        "The Parties may, by unanimous agreement"
    )
    # Not verified: no link at all (a browser would fail silently).
    assert quotation_fragment(source, "Art. 10", "any European State") is None
    assert fragment_url(source, "Art. 10", "any European State") == ""
    url = fragment_url(source, "Art. 10", "any other European State")
    assert url == "https://example.org/treaty#:~:text=any%20other%20European%20State"
    # No web address, or a PDF (browsers do not apply text fragments there): no link.
    assert fragment_url(_source(""), "Art. 10", "any other European State") == ""
    assert fragment_url(_source("https://example.org/t.pdf"), "Art. 10", "any other European State") == ""
    # The bibliography's address is used where the passage records no official one.
    assert fragment_url(_source(""), "Art. 10", "any other European State", "https://example.org/b").startswith(
        "https://example.org/b#:~:text="
    )


def test_find_in_document_matches_as_a_browser_does() -> None:
    page = "<p>The Parties may invite</p>\n<p>any other\n European STATE</p> to accede"
    assert find_in_document(TextFragment("any other European State"), page.replace("<p>", "").replace("</p>", ""))
    assert find_in_document(TextFragment("parties may", "to accede"), "The Parties may invite ... to accede")
    assert not find_in_document(TextFragment("to accede", "The Parties"), "The Parties may invite ... to accede")
    assert not find_in_document(TextFragment("other European"), "any otherEuropean State")
    assert not find_in_document(TextFragment("\u2018open door\u2019"), "the 'open door'")  # no folding of quotes


def test_text_fragments_are_not_checked_as_anchors() -> None:
    where = [Location("a.md", 1)]
    wanted = external_targets(
        {"https://example.org/t#:~:text=a%20b": where, "https://example.org/t#art-5:~:text=c": where}
    )
    assert wanted == {"https://example.org/t": {"art-5"}}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True)


def test_fragment_links_in_the_build_are_verified_live_on_loopback(rootdir: Path, tmp_path: Path) -> None:
    server = LoopbackServer()
    intact = (
        "<html><body><h1>Treaty</h1><p>The Parties may, by unanimous agreement, invite <em>any other European"
        "</em>\n State in a position to further the principles of this Treaty to accede to this Treaty.</p>"
        "<p>The Parties agree that an armed attack against one or more of them shall be considered an attack "
        "against them all.</p></body></html>"
    )
    server.live_page = intact
    with serve(server) as base:
        root = tmp_path / "project"
        shutil.copytree(rootdir / "test-basic", root)
        source = root / "sources" / "treaty.yaml"
        source.write_text(source.read_text().replace("url: https://example.org/treaty", f"url: {base}/live.html"))
        build = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(root), str(root / "_build")],
            capture_output=True,
            text=True,
        )
        assert build.returncode == 0, build.stderr
        page = (root / "_build" / "claims" / "first.html").read_text()
        hrefs = [unescape(h) for h in re.findall(r'<a class="claimref-at-source[^"]*" href="([^"]+)"', page)]
        assert hrefs == [f"{base}/live.html#:~:text=any%20other%20European%20State"]
        report = tmp_path / "live.jsonl"
        ok = _run("quotes", "--live", "--format", "json", "--output", str(report), "--build-dir", str(root / "_build"))
        assert ok.returncode == 0, ok.stdout
        rows = [json.loads(line) for line in report.read_text().splitlines()]
        fragments = [r for r in rows if r["type"] == "fragment"]
        assert [(r["status"], r["url"]) for r in fragments] == [("found", hrefs[0])]
        assert fragments[0]["file"].endswith("claims/first.md") and fragments[0]["line"] == 17
        # The source drops the words: the link would now land nowhere, and the check says so.
        server.live_page = intact.replace("<em>any other European</em>", "any")
        drifted = _run("quotes", "--live", "--build-dir", str(root / "_build"))
        assert drifted.returncode == 1
        assert re.search(r"claims/first\.md:17: fragment not-found: .*#:~:text=any%20other%20European", drifted.stdout)
        assert "'any other European State' are NOT in it" in drifted.stdout


def test_chromium_scrolls_to_the_words_of_a_built_fragment() -> None:
    """The fragments this module builds do what browsers promise: real headless Chromium, on a
    loopback page, scrolls to the quoted words (and stays at the top when they are absent)."""
    import pytest
    from browser import Browser, chromedriver_path, chromium_path

    if not (chromium_path() and chromedriver_path()):
        pytest.skip("chromium and chromedriver are not installed")
    server = LoopbackServer()
    filler = "".join(f"<p>Paragraph {n} of other matter.</p>" for n in range(300))
    server.live_page = f"<html><body>{filler}<p>{PASSAGE}</p>{filler}</body></html>"
    with serve(server) as base, Browser() as browser:
        # A distinct address each time: a fragment change alone is a same-page navigation, which keeps the scroll.
        found = fragment_url(_source(f"{base}/live.html?1"), "Art. 10", "the 'open door' - so called")
        elided = fragment_url(_source(f"{base}/live.html?2"), "Art. 10", "The Parties may ... to accede to this Treaty")
        for url in (found, elided):
            browser.load(url)
            browser.driver.implicitly_wait(0)
            scrolled = browser.driver.execute_script(
                "return new Promise(r => setTimeout(() => r(window.scrollY), 500))"
            )
            assert scrolled > 1000, (url, scrolled)
        missing = f"{base}/live.html?3#:~:text=" + encode("words the page does not have")
        browser.load(missing)
        assert browser.driver.execute_script("return new Promise(r => setTimeout(() => r(window.scrollY), 500))") == 0
