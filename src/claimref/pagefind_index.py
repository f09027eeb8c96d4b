"""The site's Pagefind index, in shards that are rebuilt only where a page changed.

Pagefind cannot update an index: it indexes every page it is given, about 9 ms a
claim page, so a rebuild that changed one page of 1,000 would spend 9 s
re-indexing the rest. The indexed pages (every document's page but the search
and 404 pages) are therefore split into shards of
about ``claimref_pagefind_shard_pages`` pages each, by a hash of each page's
path (a page stays in its shard as others are added, as long as the number of
shards is the same). Each shard is a Pagefind bundle of its own: the first is
``pagefind/`` (with Pagefind's scripts), the others ``pagefind-1/``,
``pagefind-2/``...; ``pagefind-shards.json`` lists them, and the search page
merges them into one search with Pagefind's ``mergeIndex``. A shard is indexed
again only when one of its pages was written since, or its pages are not the
ones it holds (its ``claimref-pages.json``).

Only the part of each page that Pagefind indexes is handed to it
(:func:`indexed_part`): Pagefind reads only the ``data-pagefind-body`` element of
a page that has one, but it parses the whole file, and Furo's navigation lists
every page of the site on every page (at 1,000 claim pages, three quarters of
each file and half of Pagefind's time). The copies keep the pages' paths, so the
URLs are the same. Each shard is written beside the old one and moved into place.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

from .check.links import atomic_write

#: Parts of a page's content that are not its text: the citation boxes repeat the page's title in
#: four formats, and permalink marks are symbols.
EXCLUDED = (".claim-cite", ".headerlink", ".claim-permalink")
#: Pages whose content is no reader's text.
UNINDEXED_PAGES = frozenset({"search", "genindex", "404"})
#: Where a page's indexed part ends (``templates/page.html``).
BODY_END = "<!--claimref-pagefind-body-end-->"
#: The list of shards, beside index.html, that the search page reads.
SHARDS_FILE = "pagefind-shards.json"
#: In each shard: the pages it indexes.
MANIFEST = "claimref-pages.json"
MAIN_SHARD = "pagefind"

_BODY_START = "<div data-pagefind-body>"
_INPUT = ".pagefind-input"
_STAGING_SUFFIX = ".new"


def indexed_part(html: str) -> str | None:
    """What Pagefind needs of a page: its head and its ``data-pagefind-body``, without the navigation.
    None for a page that is not indexed."""
    start = html.find(_BODY_START)
    end = html.find(BODY_END, start)
    body = html.find("<body")
    if start < 0 or end < 0 or body < 0:
        return None
    return html[: html.index(">", body) + 1] + html[start:end] + "</body></html>"


def shard_names(count: int) -> list[str]:
    return [MAIN_SHARD, *(f"{MAIN_SHARD}-{number}" for number in range(1, count))]


def plan(pages: list[str], pages_per_shard: int) -> dict[str, list[str]]:
    """Each shard's pages: one shard for every *pages_per_shard* pages (0: one shard), by path hash."""
    count = max(1, math.ceil(len(pages) / pages_per_shard)) if pages_per_shard else 1
    names = shard_names(count)
    shards: dict[str, list[str]] = {name: [] for name in names}
    for page in pages:
        shards[names[zlib.crc32(page.encode("utf-8")) % count]].append(page)
    return shards


def shard_is_current(outdir: Path, name: str, pages: list[str]) -> bool:
    entry, manifest = outdir / name / "pagefind-entry.json", outdir / name / MANIFEST
    if not entry.is_file() or not manifest.is_file():
        return False
    if json.loads(manifest.read_text(encoding="utf-8")) != pages:
        return False
    built = entry.stat().st_mtime
    return all((outdir / page).stat().st_mtime < built for page in pages)


def pagefind_command(site: Path, output: Path) -> list[str]:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output), "--silent"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    return command


def build_shard(outdir: Path, name: str, pages: list[str]) -> bool:
    """Index *pages* into the shard *name*; False (and no shard) when none of them is indexed.
    Raises CalledProcessError (with Pagefind's output) if Pagefind fails."""
    source, staging = outdir / _INPUT / name, outdir / (name + _STAGING_SUFFIX)
    for folder in (source, staging):
        shutil.rmtree(folder, ignore_errors=True)
    try:
        copied = 0
        for page in pages:
            content = indexed_part((outdir / page).read_text(encoding="utf-8"))
            if content is not None:
                copy = source / page
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_text(content, encoding="utf-8")
                copied += 1
        if copied:
            subprocess.run(pagefind_command(source, staging), check=True, capture_output=True, text=True)
            (staging / MANIFEST).write_text(json.dumps(pages, indent=0) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(source, ignore_errors=True)  # only this shard's: others may be indexed meanwhile
        try:
            (outdir / _INPUT).rmdir()
        except OSError:
            pass
    shutil.rmtree(outdir / name, ignore_errors=True)
    if not copied:
        return False
    staging.rename(outdir / name)
    return True


def update_shard(outdir: Path, name: str, pages: list[str]) -> bool:
    """Index the shard again unless it is current; False if it holds no indexed page."""
    return shard_is_current(outdir, name, pages) or build_shard(outdir, name, pages)


def write_shard_list(outdir: Path, shards: dict[str, list[str]], present: list[str]) -> None:
    """Remove the shard folders no longer planned and list the shards that hold pages (in plan order)."""
    for folder in outdir.iterdir():
        if folder.is_dir() and folder.name.startswith(MAIN_SHARD + "-") and folder.name not in shards:
            shutil.rmtree(folder)
    listed = [name for name in shards if name in present]
    atomic_write(outdir / SHARDS_FILE, json.dumps(listed) + "\n", durable=False)
