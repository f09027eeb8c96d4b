"""What reference managers read (Highwire, Dublin Core, COinS), and the dates every page carries.

The tags are parsed from the built HTML with a real HTML parser and checked against the
dataset, the bibliography and the "Cite this" files; dates are checked to come from the
changelog and the anchor manifest, never from the build date.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs

import pybtex.database
from test_export import json_ld

from claimref.anchors import Manifest, update
from claimref.bibliography import plain_text

BASE = "https://example.org/ref/"


class _Head(HTMLParser):
    """Every ``<meta name=...>`` (in order, repeats kept) and every COinS span of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.coins: list[tuple[str, str]] = []  # (the entry's anchor in its list item, title)
        self._item = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and "name" in a:
            self.meta.append((a["name"], a.get("content", "")))
        if tag == "li":
            self._item = a.get("id", "")
        elif tag == "span" and a.get("id") and not self._item:
            self._item = a["id"]  # the entry's anchor, the first id inside its list item
        if tag == "span" and "Z3988" in a.get("class", "").split():
            self.coins.append((self._item, a.get("title", "")))


def parse(page: Path) -> _Head:
    head = _Head()
    head.feed(page.read_text(encoding="utf-8"))
    return head


def tags(head: _Head, name: str) -> list[str]:
    return [value for key, value in head.meta if key == name]


def one(head: _Head, name: str) -> str:
    values = tags(head, name)
    assert len(values) == 1, (name, values)
    return values[0]


def _copy(rootdir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "basic"
    shutil.copytree(rootdir / "test-basic", root)
    return root


def _build(root: Path, out: Path, *overrides: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", "-E"]
    for override in ("today=2026-11-23", "release=2026.11", f"claimref_base_url={BASE}", *overrides):
        args += ["-D", override]
    return subprocess.run([*args, str(root), str(out)], capture_output=True, text=True)


def _built(root: Path, out: Path, *overrides: str) -> Path:
    result = _build(root, out, *overrides)
    assert result.returncode == 0, result.stderr
    return out


def _ris(text: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if re.match(r"^[A-Z][A-Z0-9]  - ", line):
            fields.setdefault(line[:2], []).append(line[6:])
    return fields


def check_page_against_model(out: Path, page: str, ident: str, title: str, cited: list[str], bibfile: Path) -> None:
    """The tags of *page* against the model: the title, the reference, the dates of the dataset or
    cite files, one citation_reference per cited source; and the "Cite this" files agree."""
    head = parse(out / page)
    entries = pybtex.database.parse_file(str(bibfile)).entries
    assert one(head, "citation_title") == title == one(head, "DC.title")
    assert one(head, "citation_public_url") == f"{BASE}{page}" == one(head, "DC.identifier")
    assert tags(head, "citation_pdf_url") == []  # the site publishes no PDF of a page
    references = tags(head, "citation_reference")
    assert len(references) == len(cited), (references, cited)
    for key, reference in zip(cited, references, strict=True):
        fields = dict(part.split("=", 1) for part in reference.split("; "))
        assert fields["citation_title"] == plain_text(str(entries[key].fields["title"])).replace(";", ",")
        if "url" in entries[key].fields:
            assert fields["citation_public_url"] == entries[key].fields["url"]
    assert len(tags(head, "DCTERMS.references")) == len(cited)
    # The four "Cite this" files say what the tags say.
    ris = _ris((out / "_cite" / f"{ident}.ris").read_text())
    assert ris["TI"] == [title] and ris["AU"] == tags(head, "citation_author") == tags(head, "DC.creator")
    assert ris["T2"] == [one(head, "citation_inbook_title")] == tags(head, "DCTERMS.isPartOf")
    assert ris["DA"] == [one(head, "citation_publication_date")]
    assert ris["UR"] == [one(head, "citation_public_url")]
    csl = json.loads((out / "_cite" / f"{ident}.json").read_text())[0]
    assert csl["title"] == title and csl["container-title"] == one(head, "citation_inbook_title")
    issued = "/".join(f"{part:02d}" for part in csl["issued"]["date-parts"][0])
    assert issued == one(head, "citation_publication_date")
    bib = (out / "_cite" / f"{ident}.bib").read_text()
    assert f"date = {{{one(head, 'DC.date')}}}" in bib
    assert one(head, "DC.date").replace("-", "/") == one(head, "citation_publication_date")
    assert one(head, "DCTERMS.modified").replace("-", "/") == one(head, "citation_online_date")
    chicago = (out / "_cite" / f"{ident}.txt").read_text()
    assert title in chicago and one(head, "citation_public_url") in chicago
    if ident.startswith("claim-"):  # the page's own "Cite this" box shows the same RIS
        shown = unescape((out / page).read_text())
        assert f"DA  - {one(head, 'citation_publication_date')}" in shown and f"TI  - {title}" in shown


def test_claim_and_passage_pages_carry_tags_that_agree_with_the_model(rootdir: Path, tmp_path: Path) -> None:
    root = _copy(rootdir, tmp_path)
    out = _built(root, tmp_path / "out")
    data = json.loads((out / "claims.json").read_text())
    assert data["license"] == {"id": "CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    for claim in data["claims"]:
        cited = list(dict.fromkeys([s["key"] for s in claim["sources"]] + [q["key"] for q in claim["quotations"]]))
        page = f"claims/{claim['id']}.html"
        check_page_against_model(out, page, f"claim-{claim['id']}", claim["claim"], cited, root / "refs.bib")
        head = parse(out / page)
        assert one(head, "citation_publication_date") == claim["first_published"]["date"].replace("-", "/")
        assert one(head, "citation_online_date") == claim["last_changed"]["date"].replace("-", "/")
        review = json_ld((out / page).read_text())[0]
        assert review["claimReviewed"] == claim["claim"]
        assert review["datePublished"] == claim["first_published"]["date"] == one(head, "DC.date")
        assert review["dateModified"] == claim["last_changed"]["date"]
    first, second = (json_ld((out / f"claims/{c}.html").read_text())[0] for c in ("first", "second"))
    assert first["reviewRating"] == {"@type": "Rating", "alternateName": "Short verdict of first"}
    assert "reviewRating" not in second  # no verdict yet: no rating, rather than a cut-down sentence
    assert "Verdict: </strong>Short verdict of first" in (out / "claims/first.html").read_text()
    # The page on which the passages live describes itself, citing each source it holds.
    texts = parse(out / "pages/texts.html")
    assert one(texts, "citation_title") == "Source texts"
    assert [r.split("; ")[0] for r in tags(texts, "citation_reference")] == ["citation_title=A Treaty"]
    # Pages that are not citable works carry none of this.
    assert tags(parse(out / "index.html"), "citation_title") == []


def test_sources_page_has_one_coins_span_per_entry(rootdir: Path, tmp_path: Path) -> None:
    root = _copy(rootdir, tmp_path)
    out = _built(root, tmp_path / "out")
    entries = pybtex.database.parse_file(str(root / "refs.bib")).entries
    spans = parse(out / "pages/sources.html").coins
    assert sorted(item for item, _ in spans) == sorted(entries)
    for key, title in spans:
        context = parse_qs(title)
        assert context["ctx_ver"] == ["Z39.88-2004"]
        entry = entries[key]
        if entry.fields.get("publisher"):  # a book
            assert context["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:book"] and context["rft.btitle"] == [
                entry.fields["title"]
            ]
            assert context["rft.au"] == ["Doe, Jane"]
        else:
            assert context["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:dc"]
            assert context["rft.title"] == [entry.fields["title"]]
            assert context["rft.creator"] == [str(entry.persons["author"][0]).strip("{}")]
        assert context["rft.date"] == [entry.fields["date"]]
        if "url" in entry.fields:
            assert entry.fields["url"] in context["rft_id"]


def _dates(out: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    for page in sorted(out.rglob("*.html")):
        head = parse(page)
        for name, value in head.meta:
            if "date" in name.lower() or name in {"DCTERMS.issued", "DCTERMS.modified"}:
                found.setdefault(str(page.relative_to(out)), []).append((name, value))  # type: ignore[union-attr]
        for review in json_ld(page.read_text()):
            found[f"{page.relative_to(out)} ClaimReview"] = (review["datePublished"], review["dateModified"])
        history = re.findall(r'class="claim-history">([^<]+)<', page.read_text())
        if history:
            found[f"{page.relative_to(out)} shown"] = history
    data = json.loads((out / "claims.json").read_text())
    found["claims.json"] = [(c["first_published"], c["last_changed"]) for c in data["claims"]]
    for cite in sorted((out / "_cite").glob("*.ris")):
        found[cite.name] = [line for line in cite.read_text().splitlines() if line.startswith(("PY", "DA"))]
    return found


def test_two_builds_on_different_days_give_the_same_dates(rootdir: Path, tmp_path: Path) -> None:
    root = _copy(rootdir, tmp_path)
    early = _built(root, tmp_path / "early", "today=2026-11-23")
    late = _built(root, tmp_path / "late", "today=2031-07-04")
    assert _dates(early) == _dates(late)
    assert len(_dates(early)) > 6
    # The access date is the build's, and did move: the comparison above is not vacuous.
    assert "Y2  - 2026/11/23" in (early / "_cite" / "claim-first.ris").read_text()
    assert "Y2  - 2031/07/04" in (late / "_cite" / "claim-first.ris").read_text()


CHANGELOG = """---
releases:
  - release: "2026.11"
  - release: "2026.12"
    date: "2026-12-14"
    changed: [claims/first]
corrections:
  - release: "2026.12"
    date: "2026-12-09"
    page: claims/first
    text: Article 5 was cited for Article 10.
---
# Changelog

```{corrections-log}
```
"""


def test_dates_come_from_the_manifest_and_the_changelog(rootdir: Path, tmp_path: Path) -> None:
    root = _copy(rootdir, tmp_path)
    out = _built(root, tmp_path / "first")
    # Release 2026.11 publishes everything the build has; 2026.12 changes one page and corrects it.
    manifest, _ = update(Manifest(), out, "2026.11")
    assert "claims/first.html" in manifest.first_published["2026.11"]
    manifest.save(root / "anchors.json")
    (root / "changelog.md").write_text(CHANGELOG)
    (root / "index.md").write_text((root / "index.md").read_text().replace("pages/*", "pages/*\nchangelog"))
    (root / "claims" / "third.md").write_text(
        (root / "claims" / "second.md").read_text().replace("second", "third").replace(":related: first\n", "")
    )
    out = _built(root, tmp_path / "second", "release=2026.12")
    first = parse(out / "claims/first.html")
    assert one(first, "citation_publication_date") == "2026/11"
    assert one(first, "citation_online_date") == "2026/12/14" and one(first, "DCTERMS.modified") == "2026-12-14"
    review = json_ld((out / "claims/first.html").read_text())[0]
    assert (review["datePublished"], review["dateModified"]) == ("2026-11", "2026-12-14")
    page = (out / "claims/first.html").read_text()
    assert (
        "First published in release 2026.11 (November 2026); last changed in release 2026.12 (14 December 2026)."
        in page
    )
    assert "Correction, 9 December 2026 (release 2026.12): </strong>Article 5 was cited for Article 10." in page
    second = parse(out / "claims/second.html")
    assert one(second, "citation_online_date") == "2026/11"  # not in the changelog: unchanged
    # A page the manifest does not know yet is being published by the release built.
    assert one(parse(out / "claims/third.html"), "citation_publication_date") == "2026/12/14"
    log = (out / "changelog.html").read_text()
    assert "9 December 2026" in log and 'href="claims/first.html"' in log and "Article 5 was cited" in log
    chicago = (out / "_cite" / "claim-first.txt").read_text()
    assert "published November 2026, last modified 14 December 2026" in chicago
    # The manifest is never rewritten for a page it already dates.
    again, _ = update(Manifest.load(root / "anchors.json"), out, "2026.12")
    assert "claims/first.html" not in again.first_published.get("2026.12", [])
    assert "claims/third.html" in again.first_published["2026.12"]


def test_malformed_changelog_stops_the_build_at_its_line(rootdir: Path, tmp_path: Path) -> None:
    root = _copy(rootdir, tmp_path)
    (root / "changelog.md").write_text('---\nreleases:\n  - release: "2026.11"\n  - release: "Nov 2026"\n---\n# C\n')
    result = _build(root, tmp_path / "out")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "changelog.md:4: release must be named YYYY.MM, not 'Nov 2026'" in result.stderr
    (root / "changelog.md").write_text(
        '---\nreleases:\n  - release: "2026.11"\ncorrections:\n  - release: "2026.11"\n    page: claims/first\n---\n'
    )
    result = _build(root, tmp_path / "out")
    assert result.returncode == 2 and "changelog.md:5: a correction needs date, text" in result.stderr


def test_changelog_naming_a_missing_page_warns(rootdir: Path, tmp_path: Path) -> None:
    root = _copy(rootdir, tmp_path)
    (root / "changelog.md").write_text('---\nreleases:\n  - release: "2026.11"\n    changed: [claims/nine]\n---\n')
    result = _build(root, tmp_path / "out")
    assert result.returncode != 0
    assert "changelog.md:3: WARNING: release 2026.11 names page 'claims/nine', which does not exist" in result.stderr


def test_a_long_verdict_warns_at_the_claim_line(rootdir: Path, tmp_path: Path) -> None:
    root = _copy(rootdir, tmp_path)
    page = root / "claims" / "first.md"
    page.write_text(page.read_text().replace("Short verdict of first", "A verdict " * 9))
    result = _build(root, tmp_path / "out")
    assert result.returncode != 0
    assert re.search(r"claims/first\.md:3: WARNING: claim 'first': the verdict has 89 characters", result.stderr)


def test_an_edited_changelog_redates_pages_in_an_incremental_build(rootdir: Path, tmp_path: Path) -> None:
    root = _copy(rootdir, tmp_path)
    (root / "changelog.md").write_text('---\nreleases:\n  - release: "2026.11"\n---\n# Changelog\n')
    (root / "index.md").write_text((root / "index.md").read_text().replace("pages/*", "pages/*\nchangelog"))
    out = tmp_path / "out"
    args = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", "-D", "release=2026.12"]
    args += ["-D", f"claimref_base_url={BASE}", str(root), str(out)]
    first = subprocess.run(args, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert one(parse(out / "claims/first.html"), "citation_online_date") == "2026/12"
    # Release 2026.12 is now recorded, with its day: only the changelog changed, yet every date follows.
    (root / "changelog.md").write_text(
        '---\nreleases:\n  - release: "2026.11"\n  - release: "2026.12"\n    date: "2026-12-14"\n'
        "    changed: [claims/first]\n---\n# Changelog\n"
    )
    second = subprocess.run(args, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert one(parse(out / "claims/first.html"), "citation_online_date") == "2026/12/14"
    assert json_ld((out / "claims/second.html").read_text())[0]["datePublished"] == "2026-12-14"
    assert "DA  - 2026/12/14" in (out / "_cite" / "claim-second.ris").read_text()
