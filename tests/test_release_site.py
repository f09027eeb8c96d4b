"""``make release`` on the real reference: the live site, the frozen copy, the feed and phrase search in Chromium."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import feedparser
import jsonschema
import pytest
from browser import Browser, chromium_path, pagefind_search, serve_folder

from claimref.zenodo import ZENODO_REQUIRED

REPO = Path(__file__).resolve().parent.parent
#: The release being built, as docs/conf.py names it.
RELEASE = re.search(r'^release = version = "([^"]+)"', (REPO / "docs" / "conf.py").read_text(), re.M).group(1)  # type: ignore[union-attr]
BASE = "https://example.org/ref/"
#: Words of NATO's 2014 fact sheet, as the page on the claim no-enlargement-pledge quotes them.
PHRASE = "No such pledge was made"

pytestmark = pytest.mark.slow

#: What the release's deposit metadata must hold (Zenodo's required fields, and the version).
ZENODO_SCHEMA = {
    "type": "object",
    "required": [*ZENODO_REQUIRED, "version"],
    "properties": {
        "upload_type": {"const": "publication"},
        "publication_date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "creators": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["name"]}},
        "version": {"const": RELEASE},
        "access_right": {"const": "open"},
    },
}


def _release(site: Path, repo: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    script = str(REPO / "scripts" / "release.py")
    return subprocess.run(
        [sys.executable, script, "--site", str(site), "--repo", str(repo), "--base-url", BASE, *extra],
        capture_output=True,
        text=True,
        env={**os.environ, "CLAIMREF_DATE": "2026-11-30"},
    )


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    site, repo = tmp_path_factory.mktemp("site"), tmp_path_factory.mktemp("repo")
    result = _release(site, repo)
    assert result.returncode == 0, result.stderr
    return site, repo


def test_release_builds_live_site_and_frozen_copy(released: tuple[Path, Path]) -> None:
    site, repo = released
    frozen = site / RELEASE
    live_claim = (site / "claims" / "no-enlargement-pledge.html").read_text(encoding="utf-8")
    frozen_claim = (frozen / "claims" / "no-enlargement-pledge.html").read_text(encoding="utf-8")
    # Permalinks and ClaimReview name the frozen copy in the frozen copy, the live site in the live one.
    assert f"{BASE}{RELEASE}/claims/no-enlargement-pledge.html" in frozen_claim
    assert f'"url": "{BASE}claims/no-enlargement-pledge.html"' in live_claim
    assert f'"url": "{BASE}{RELEASE}/claims/no-enlargement-pledge.html"' in frozen_claim
    assert f'<a href="../{RELEASE}/claims/no-enlargement-pledge.html">The frozen copy of release {RELEASE}</a>' in (
        live_claim
    )
    assert '<a href="../../claims/no-enlargement-pledge.html">The live reference</a>' in frozen_claim
    # Each has its own search index, so the live search never answers with frozen pages.
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert (frozen / "pagefind" / "pagefind-entry.json").is_file()
    assert not (site / ".doctrees").exists() and not (frozen / ".doctrees").exists()
    # Zenodo metadata and the release's own anchor manifest, kept in the repository.
    zenodo = json.loads((repo / ".zenodo.json").read_text(encoding="utf-8"))
    jsonschema.validate(zenodo, ZENODO_SCHEMA)
    assert {"identifier": f"{BASE}{RELEASE}/", "relation": "isIdenticalTo", "resource_type": "publication-other"} in (
        zenodo["related_identifiers"]
    )
    manifest = json.loads((repo / "releases" / RELEASE / "anchors.json").read_text(encoding="utf-8"))
    published = json.loads((REPO / "docs" / "anchors.json").read_text(encoding="utf-8"))
    for page, fragments in published["pages"].items():  # everything ever published is in this release
        assert set(fragments) <= set(manifest["pages"].get(page, [])), page


def test_feed_of_the_release_site_parses(released: tuple[Path, Path]) -> None:
    site, _repo = released
    feed = feedparser.parse((site / "changelog.atom").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[0].title == f"Release {RELEASE}"
    assert feed.entries[0].link == f"{BASE}changelog.html#release-{RELEASE.replace('.', '-')}"
    frozen = feedparser.parse((site / RELEASE / "changelog.atom").read_bytes())
    assert not frozen.bozo and frozen.entries[0].link.startswith(f"{BASE}{RELEASE}/")


def test_a_frozen_release_is_never_rebuilt(released: tuple[Path, Path]) -> None:
    site, repo = released
    before = (site / RELEASE / "claims" / "no-enlargement-pledge.html").stat().st_mtime_ns
    result = _release(site, repo)
    assert result.returncode == 2
    assert f"release {RELEASE} is already frozen" in result.stderr
    assert (site / RELEASE / "claims" / "no-enlargement-pledge.html").stat().st_mtime_ns == before


@pytest.mark.skipif(not chromium_path(), reason="chromium not installed")
def test_phrase_search_in_chromium_on_live_and_frozen_copy(released: tuple[Path, Path]) -> None:
    site, _repo = released
    with serve_folder(site) as base, Browser() as browser:
        for root in (base, f"{base}{RELEASE}/"):
            message, found = pagefind_search(browser, f"{root}search.html", f'"{PHRASE}"')
            assert f"{root}claims/no-enlargement-pledge.html" in found, (message, found)
            assert all(url.startswith(root) for url in found), found  # each copy searches itself
            if root == base:
                assert not any(f"/{RELEASE}/" in url for url in found), found
            for url in found:  # each page found has the words in this order
                path = site / url.removeprefix(base).split("#")[0]
                text = " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())
                assert PHRASE.lower() in text.lower(), url
            message, scrambled = pagefind_search(browser, f"{root}search.html", '"pledge such no made was"')
            assert scrambled == [], message
        # The result opens the page.
        browser.load(found[0], wait_for="document.querySelector('h1')")
        assert browser.driver.execute_script("return document.querySelector('h1').innerText")


@pytest.mark.skipif(not chromium_path(), reason="chromium not installed")
def test_timeline_and_search_pass_axe(released: tuple[Path, Path]) -> None:
    """axe-core's WCAG 2.1 A/AA rules find nothing in the timeline pictures or Pagefind's results.

    (The theme's sidebar captions and sphinx-design's badges have findings of their own, not made here.)
    """
    site, _repo = released
    ours = ("claimref-timeline", "pagefind", "claimref-release", "theme-card")
    with serve_folder(site) as base, Browser() as browser:
        for page in ("chronology.html", "claims/no-enlargement-pledge.html", "index.html", f'search.html?q="{PHRASE}"'):
            for dark in (False, True):
                violations = browser.axe(base + page, dark=dark)
                mine = [v for v in violations if any(any(o in n for o in ours) for n in v["nodes"])]
                assert mine == [], (page, dark, mine)
