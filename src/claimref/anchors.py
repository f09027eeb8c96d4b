"""Anchors that never break: the committed manifest of every published, citable anchor.

``docs/anchors.json`` lists each page a reader could cite and the fragments on
it (claim pages and their fixed sections, source passages, source entries,
theme and index pages). A build must still provide every one of them, unless
the manifest records that the page moved (``redirects``: old page -> new page,
served by a generated redirect page that keeps the ``#fragment``) or that the
claim was withdrawn (``withdrawn``: the page stays, as a tombstone that says
when and why, written with the ``claim-withdrawn`` directive). New anchors
are added by ``scripts/anchors.py update``; nothing is ever removed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .check.links import atomic_write

MANIFEST_VERSION = 1

#: Pages whose fragments are citable, and which fragments (None: every id on the page).
CITABLE_FRAGMENTS: dict[str, re.Pattern[str] | None] = {
    r"claims/[a-z0-9-]+\.html": re.compile(
        r"^(the-claim|the-argument|the-record|context|since|sources|claim-[a-z0-9-]+|statement-[a-z0-9-]+)$"
    ),
    r"people/[a-z0-9-]+\.html": re.compile(r"^(|person-[a-z0-9-]+)$"),
    r"chronology\.html": re.compile(r"^(|chronology-[a-z0-9-]+)$"),
    r"source-texts\.html": None,
    r"sources\.html": None,
    r"themes/[a-z0-9-]+\.html": re.compile(r"^$"),
    r"changelog\.html": re.compile(r"^(|release-[a-z0-9-]+)$"),
    r"(index|claim-index|concordance|method|editorial|how-to-cite|data)\.html": re.compile(r"^$"),
}


#: Ids the theme numbers on every page (Furo's sidebar toggles): counters, never citable.
THEME_IDS = re.compile(r"^toctree-checkbox-\d+$")


class ManifestError(ValueError):
    """A malformed manifest; ``str()`` names the file."""


@dataclass
class Manifest:
    pages: dict[str, list[str]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    withdrawn: list[str] = field(default_factory=list)
    #: release -> the pages (``page.html``) and passages (``page.html#anchor``) it first published
    first_published: dict[str, list[str]] = field(default_factory=dict)

    def release_of(self, item: str) -> str:
        """The release that first published *item* (``page.html`` or ``page.html#anchor``), or ""."""
        return next((release for release, items in sorted(self.first_published.items()) if item in items), "")

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ManifestError(f"{path}:1: not a readable JSON manifest ({exc})") from exc
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
            raise ManifestError(f"{path}:1: expected {{'version': {MANIFEST_VERSION}, ...}}")
        published = data.get("first_published", {})
        if not isinstance(published, dict) or not all(isinstance(v, list) for v in published.values()):
            raise ManifestError(f"{path}:1: first_published must map a release to a list of pages")
        return cls(data.get("pages", {}), data.get("redirects", {}), list(data.get("withdrawn", [])), published)

    def save(self, path: Path) -> None:
        data: dict[str, Any] = {
            "version": MANIFEST_VERSION,
            "pages": {page: sorted(set(ids)) for page, ids in sorted(self.pages.items())},
            "redirects": dict(sorted(self.redirects.items())),
            "withdrawn": sorted(set(self.withdrawn)),
            "first_published": {r: sorted(set(items)) for r, items in sorted(self.first_published.items())},
        }
        atomic_write(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.classes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name == "class" and value:
                self.classes.update(value.split())


def built_pages(outdir: Path) -> dict[str, _Ids]:
    pages = {}
    for html in sorted(outdir.rglob("*.html")):
        relative = html.relative_to(outdir).as_posix()
        if relative.startswith(("_", ".")) or "/_" in relative:
            continue
        parser = _Ids()
        parser.feed(html.read_text(encoding="utf-8", errors="replace"))
        pages[relative] = parser
    return pages


def citable_anchors(outdir: Path) -> dict[str, list[str]]:
    """What the build offers that a reader could cite: page -> fragments ("" is the page itself)."""
    offered: dict[str, list[str]] = {}
    for page, parsed in built_pages(outdir).items():
        for pattern, fragments in CITABLE_FRAGMENTS.items():
            if re.fullmatch(pattern, page):
                if "claimref-redirect" in parsed.classes:
                    break
                ids = parsed.ids if fragments is None else {i for i in parsed.ids if fragments.match(i)}
                ids = {i for i in ids if not THEME_IDS.match(i)}
                offered[page] = sorted({""} | ids)
                break
    return offered


def verify(manifest: Manifest, outdir: Path) -> list[str]:
    """Every published anchor still resolves: a list of problems, empty when all is well."""
    pages = built_pages(outdir)
    problems = []
    for page, fragments in sorted(manifest.pages.items()):
        if page in manifest.redirects:
            target = manifest.redirects[page]
            if target not in pages:
                problems.append(f"{page}: redirected to {target}, which the build does not have")
            elif page not in pages or "claimref-redirect" not in pages[page].classes:
                problems.append(f"{page}: the build has no redirect page to {target}")
            continue
        if page not in pages:
            problems.append(f"{page}: page no longer built (add a redirect or a withdrawn entry)")
            continue
        if page in manifest.withdrawn:
            if "claim-withdrawn" not in pages[page].classes:
                problems.append(f"{page}: recorded as withdrawn, but the page is not a tombstone")
            continue
        for fragment in fragments:
            if fragment and fragment not in pages[page].ids:
                problems.append(f"{page}#{fragment}: anchor no longer on the page")
    return problems


#: Pages whose fragments are each dated on their own (a passage cites as itself).
DATED_FRAGMENTS = re.compile(r"^source-texts\.html$")


def update(manifest: Manifest, outdir: Path, release: str = "") -> tuple[Manifest, int]:
    """Add every citable anchor of the build; never remove one. Returns the count added.

    With *release*, each page (and each passage of the source texts) not yet dated is recorded
    as first published in it: the date every citation of it carries from then on.
    """
    added = 0
    for page, fragments in citable_anchors(outdir).items():
        known = set(manifest.pages.get(page, []))
        new = [f for f in fragments if f not in known]
        if new or page not in manifest.pages:
            manifest.pages[page] = sorted(known | set(new))
            added += len(new)
        if release:
            items = [page] + ([f"{page}#{f}" for f in fragments if f] if DATED_FRAGMENTS.match(page) else [])
            dated = {i for listed in manifest.first_published.values() for i in listed}
            undated = [i for i in items if i not in dated]
            if undated:
                manifest.first_published[release] = sorted(
                    set(manifest.first_published.get(release, [])) | set(undated)
                )
    return manifest, added
