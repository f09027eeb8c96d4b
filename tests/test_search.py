"""Pagefind indexes only each page's content, and the index the build writes is the one Pagefind's
own command line writes from the whole pages."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import Browser, chromium_path, pagefind_search, serve_folder
from conftest import build_html, warnings_of

from claimref import search
from claimref.pagefind_index import BODY_END, EXCLUDED, MANIFEST, SHARDS_FILE, indexed_part


def test_indexed_part_keeps_the_head_and_the_body_and_drops_the_navigation() -> None:
    page = (
        '<html lang="en"><head><title>T</title></head><body class="x">'
        '<div class="sidebar-tree"><a href="other.html">Other page</a></div>'
        f"<div data-pagefind-body><h1>T</h1><p>The words.</p></div>{BODY_END}"
        "<footer>Footer</footer></body></html>"
    )
    part = indexed_part(page)
    assert part == (
        '<html lang="en"><head><title>T</title></head><body class="x">'
        "<div data-pagefind-body><h1>T</h1><p>The words.</p></div></body></html>"
    )
    assert indexed_part("<html><head></head><body><p>search page</p></body></html>") is None


def _fragments(site: Path, shard: str = "pagefind") -> dict[str, tuple[str, int, str]]:
    """Each indexed page's URL -> (title, word count, text), read back from a bundle's fragments."""
    found = {}
    for path in (site / shard / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[raw.index(b"{") :])
        found[record["url"]] = (record["meta"]["title"], record["word_count"], record["content"])
    return found


def test_the_build_index_is_pagefinds_own(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    built = _build_one_index(make_app, srcdir, tmp_path / "one")
    assert not (built / "pagefind.new").exists()
    assert json.loads((built / SHARDS_FILE).read_text()) == ["pagefind"]
    # Pagefind's command line over a copy of the same pages, navigation and all.
    copy = tmp_path / "copy"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("pagefind", SHARDS_FILE))
    command = [sys.executable, "-m", "pagefind", "--site", str(copy), "--silent"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    subprocess.run(command, check=True, capture_output=True)
    ours, theirs = _fragments(built), _fragments(copy)
    assert len(ours) > 5 and "/claims/first.html" in ours
    assert ours == theirs


def _shards_build(make_app, srcdir: Path):  # type: ignore[no-untyped-def]
    app = make_app("html", srcdir=srcdir, confoverrides={"claimref_pagefind": True, "claimref_pagefind_shard_pages": 3})
    app.build()
    assert warnings_of(app._warning) == ""
    app.cleanup()  # docutils' registries are global: the next app of the test starts clean
    return Path(app.outdir)


def test_the_index_in_shards_holds_every_page_once_and_a_change_reindexes_its_shard_only(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    whole = _fragments(_build_one_index(make_app, srcdir, tmp_path / "one"))
    built = _shards_build(make_app, srcdir)
    shards = json.loads((built / SHARDS_FILE).read_text())
    assert len(shards) > 2 and shards[0] == "pagefind"
    merged: dict[str, tuple[str, int, str]] = {}
    for shard in shards:
        fragments = _fragments(built, shard)
        assert fragments and not set(fragments) & set(merged)  # each page in one shard only
        merged.update(fragments)
    assert merged == whole
    assert all((built / shard / "pagefind-entry.json").is_file() for shard in shards)

    # One page changed: only the shards that hold a page the rebuild wrote are indexed again.
    pages = {shard: json.loads((built / shard / MANIFEST).read_text()) for shard in shards}
    written_before = {page: (built / page).stat().st_mtime_ns for shard in shards for page in pages[shard]}
    entries = {s: (built / s / "pagefind-entry.json").stat().st_mtime_ns for s in shards}
    page = srcdir / "claims" / "first.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added to the first claim.\n", encoding="utf-8")
    _shards_build(make_app, srcdir)
    written = {page for page, mtime in written_before.items() if (built / page).stat().st_mtime_ns != mtime}
    assert "claims/first.html" in written
    expected = [s for s in shards if set(pages[s]) & written]
    changed = [s for s in shards if (built / s / "pagefind-entry.json").stat().st_mtime_ns != entries[s]]
    assert changed == expected and len(changed) < len(shards)
    holder = next(s for s in shards if "claims/first.html" in pages[s])
    assert "A sentence added to the first claim." in _fragments(built, holder)["/claims/first.html"][2]


def test_a_serial_build_indexes_each_shard_as_soon_as_its_pages_are_written(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind is given a shard while the next shards' pages are still to be written."""
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    given: list[tuple[str, list[str], set[str]]] = []  # shard, its pages, the pages written by then
    index = search.PagefindRun._index

    def spy(self: search.PagefindRun, app, outdir: Path, name: str, pages: list[str]) -> None:  # type: ignore[no-untyped-def]
        given.append((name, pages, {page.relative_to(outdir).as_posix() for page in outdir.rglob("*.html")}))
        index(self, app, outdir, name, pages)

    monkeypatch.setattr(search.PagefindRun, "_index", spy)
    built = _shards_build(make_app, srcdir)
    shards = json.loads((built / SHARDS_FILE).read_text())
    assert len(shards) > 2
    assert [name for name, _pages, _written in given] == shards  # each once, none again at the end
    assert all(set(pages) <= written for _name, pages, written in given)  # once its pages exist
    for name, pages, _written in given:
        assert json.loads((built / name / MANIFEST).read_text()) == pages
    # The first shard went to Pagefind before the other shards' pages were written.
    later = {page for _name, pages, _written in given[1:] for page in pages}
    assert later and not later & given[0][2]


def test_a_parallel_build_indexes_the_shards_at_the_end_as_a_serial_build_does(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    outputs = {}
    overrides = {"claimref_pagefind": True, "claimref_pagefind_shard_pages": 3, "html_theme": "furo"}
    for name, parallel in (("serial", 1), ("parallel", 2)):
        outdir = build_html(make_app, srcdir, tmp_path / name, parallel=parallel, confoverrides=overrides)
        shards = json.loads((outdir / SHARDS_FILE).read_text())
        outputs[name] = {shard: _fragments(outdir, shard) for shard in shards}
    assert len(outputs["serial"]) > 2
    assert outputs["parallel"] == outputs["serial"]


def _build_one_index(make_app, srcdir: Path, builddir: Path) -> Path:  # type: ignore[no-untyped-def]
    overrides = {"claimref_pagefind": True, "claimref_pagefind_shard_pages": 0}
    return build_html(make_app, srcdir, builddir, confoverrides=overrides)


@pytest.mark.skipif(not chromium_path(), reason="chromium not installed")
def test_the_search_page_searches_every_shard(make_app, rootdir: Path, tmp_path: Path) -> None:
    """In Chromium, Pagefind's own search page finds a phrase on a page of every shard."""
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    built = _shards_build(make_app, srcdir)
    shards = json.loads((built / SHARDS_FILE).read_text())
    assert len(shards) > 2
    texts = {
        url: set(re.findall(r"[a-z]{5,}", text.lower()))
        for shard in shards
        for url, (_title, _count, text) in _fragments(built, shard).items()
    }

    def rarest(url: str) -> list[str]:
        """Three words of the page that the fewest other pages have."""
        return sorted(texts[url], key=lambda word: (sum(word in other for other in texts.values()), word))[:3]

    with serve_folder(built) as base, Browser() as browser:
        for shard in shards:
            url = sorted(_fragments(built, shard))[0]
            words = rarest(url)
            assert len(words) == 3, url
            message, found = pagefind_search(browser, f"{base}search.html", " ".join(words))
            assert f"{base}{url.lstrip('/')}" in found, (shard, words, message, found)
