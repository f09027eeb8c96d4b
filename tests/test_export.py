"""The dataset and the ClaimReview JSON-LD, validated."""

from __future__ import annotations

import csv
import datetime
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema

from claimref.export import FIELDS


def _build(rootdir: Path, tmp_path: Path, *extra: str) -> Path:
    root = tmp_path / "basic"
    shutil.copytree(rootdir / "test-basic", root)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-q", *extra, str(root), str(root / "_build")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return root / "_build"


def json_ld(page: str) -> list[dict]:  # type: ignore[type-arg]
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(b) for b in blocks]


ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def check_claim_review(review: dict, *, absolute: bool) -> None:  # type: ignore[type-arg]
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    for field in ("claimReviewed", "itemReviewed", "author", "datePublished", "dateModified", "url"):
        assert review[field], field
    assert review["itemReviewed"]["@type"] == "Claim"
    if "reviewRating" in review:  # only with a short verdict; a page without one has no rating
        assert 0 < len(review["reviewRating"]["alternateName"]) < 75 and "ratingValue" not in review["reviewRating"]
    assert ISO_DATE.match(review["datePublished"]) and ISO_DATE.match(review["dateModified"])
    assert review["dateModified"] >= review["datePublished"]
    if "datePublished" in review["itemReviewed"]:
        datetime.date.fromisoformat(review["itemReviewed"]["datePublished"])
    url = urlsplit(review["url"])
    assert url.path.startswith(("claims/", "/")) and url.path.endswith(".html")
    if absolute:
        assert url.scheme == "https" and url.netloc


def test_dataset_validates_and_lists_every_claim(rootdir: Path, tmp_path: Path) -> None:
    out = _build(rootdir, tmp_path)
    schema = json.loads((out / "claims.schema.json").read_text())
    data = json.loads((out / "claims.json").read_text())
    jsonschema.validate(data, schema)
    assert [c["id"] for c in data["claims"]] == ["first", "second"]
    first = data["claims"][0]
    # No statement on the page, so nobody is named (test_statements covers the attributed case).
    assert first["attribution"] == {"claimant": ""} and first["statements"] == []
    assert {"key": "treaty", "locator": "Art. 5", "title": "A Treaty", "url": "https://example.org/treaty"} in first[
        "sources"
    ]
    assert first["quotations"] == [
        {"key": "treaty", "locator": "Art. 10", "text": "any other European State", "verdict": "verified"}
    ]
    assert first["related"] == ["second"] and data["claims"][1]["related"] == ["first"]
    rows = list(csv.reader((out / "claims.csv").open()))
    assert rows[0] == list(FIELDS) and [r[0] for r in rows[1:]] == ["first", "second"]


def test_claim_pages_carry_claim_review(rootdir: Path, tmp_path: Path) -> None:
    out = _build(
        rootdir,
        tmp_path,
        "-D",
        "claimref_base_url=https://example.org/ref/",
        "-D",
        "today=2026-11-23",
        "-D",
        "release=2026.11",
    )
    for claim_id in ("first", "second"):
        reviews = json_ld((out / "claims" / f"{claim_id}.html").read_text())
        assert len(reviews) == 1
        check_claim_review(reviews[0], absolute=True)
        assert reviews[0]["url"] == f"https://example.org/ref/claims/{claim_id}.html"
    first = json_ld((out / "claims" / "first.html").read_text())[0]
    assert first["itemReviewed"] == {"@type": "Claim"}  # no statement recorded: no author is invented
    assert json_ld((out / "index.html").read_text()) == []


def test_citation_files_for_claims_and_passages(rootdir: Path, tmp_path: Path) -> None:
    out = _build(rootdir, tmp_path, "-D", "claimref_base_url=https://example.org/ref/", "-D", "today=2026-11-23")
    bib = (out / "_cite" / "claim-first.bib").read_text()
    assert "url = {https://example.org/ref/claims/first.html}" in bib and "urldate = {2026-11-23}" in bib
    ris = (out / "_cite" / "claim-first.ris").read_text()
    assert "UR  - https://example.org/ref/claims/first.html" in ris and "Y2  - 2026/11/23" in ris
    csl = json.loads((out / "_cite" / "claim-first.json").read_text())
    assert csl[0]["URL"] == "https://example.org/ref/claims/first.html"
    assert csl[0]["accessed"] == {"date-parts": [[2026, 11, 23]]}
    chicago = (out / "_cite" / "claim-first.txt").read_text()
    assert "\u201cTitle of first,\u201d" in chicago and "(accessed 23 November 2026)" in chicago
    passage = (out / "_cite" / "passage-treaty-art-10.bib").read_text()
    assert "url = {https://example.org/ref/pages/texts.html#treaty-art-10}" in passage
    page = (out / "claims" / "first.html").read_text()
    assert "Cite this page" in page and 'href="../_cite/claim-first.ris"' in page
    labels = re.findall(r'<label [^>]*class="sd-tab-label"[^>]*>\s*([^<]+?)\s*</label>', page)
    assert labels == ["Chicago", "BibTeX", "RIS", "CSL-JSON"]
