"""The extension on the `basic` root: metadata, generated indexes, footnotes, anchors, parallel builds."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import warnings_of
from sphinx.util.inventory import InventoryFile

import claimref


def test_setup_metadata_declares_parallel_safety(make_app, rootdir: Path, tmp_path: Path) -> None:
    app = make_app("html", srcdir=_copy(rootdir / "test-basic", tmp_path))
    extension = app.extensions["claimref"]
    assert extension.parallel_read_safe is True
    assert extension.parallel_write_safe is True
    assert extension.metadata["env_version"] == claimref.ENV_VERSION
    assert app.config.claimref_themes == {"alpha": "Alpha theme", "beta": "Beta theme"}


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_basic_builds_without_warnings(app, warning) -> None:
    app.build()
    assert warnings_of(warning) == ""


@pytest.fixture
def basic_html(make_app, rootdir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    app = make_app("html", srcdir=_copy(rootdir / "test-basic", tmp_path), freshenv=True)
    app.build()
    assert warnings_of(app._warning) == ""
    return Path(app.outdir)


def _copy(src: Path, tmp_path: Path) -> Path:
    import shutil

    dest = tmp_path / src.name
    shutil.copytree(src, dest)
    return dest


def test_claim_page_has_fixed_section_anchors_and_label(basic_html: Path) -> None:
    page = (basic_html / "claims" / "first.html").read_text()
    for anchor in ("the-claim", "the-record", "sources", "claim-first"):
        assert f'id="{anchor}"' in page, anchor


def test_one_footnote_per_key_and_locator_with_stable_ids(basic_html: Path) -> None:
    page = (basic_html / "claims" / "first.html").read_text()
    ids = re.findall(r'id="(fn-[a-z0-9-]+)"', page)
    footnotes = sorted(i for i in ids if "-ref-" not in i)
    assert footnotes == sorted(["fn-seed-a-para-1", "fn-treaty-art-10", "fn-treaty-art-5", "fn-resolution-op-4"])
    # Article 10 is cited three times (twice with fn, once by the quotation): three back-references.
    assert page.count('href="#fn-treaty-art-10"') == 3
    # the locator appears in the footnote text
    assert "Art. 10" in page and "OP 4" in page
    # footnotes sit in the Sources section
    sources = page[page.index('id="sources"') :]
    assert 'id="fn-treaty-art-10"' in sources


def test_related_claims_link_both_ways(basic_html: Path) -> None:
    first = (basic_html / "claims" / "first.html").read_text()
    second = (basic_html / "claims" / "second.html").read_text()
    assert "Related claims" in first and 'href="second.html"' in first
    assert "Related claims" in second and 'href="first.html"' in second


def test_theme_pages_and_index_list_the_right_claims(basic_html: Path) -> None:
    def cards(page: str) -> str:
        return " ".join(re.findall(r"sd-card-title.*?</p>", (basic_html / page).read_text(), re.S))

    alpha, beta = cards("themes/alpha.html"), cards("themes/beta.html")
    assert "Title of first" in alpha and "Title of second" not in alpha
    assert "Title of first" in beta and "Title of second" in beta
    index = (basic_html / "pages" / "claims.html").read_text()
    assert index.count("sd-card-title") == 3  # first under alpha and beta, second under beta


def test_concordance_marks_the_seeds_with_their_years(basic_html: Path) -> None:
    page = (basic_html / "pages" / "concordance.html").read_text()
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
    text = [re.sub(r"<[^>]+>", "|", row) for row in rows]
    first = next(r for r in text if "Title of first" in r)
    second = next(r for r in text if "Title of second" in r)
    cells = lambda row: [c.strip() for c in row.split("|") if c.strip()]  # noqa: E731
    assert cells(first)[-2:] == ["2014", "2022"]
    assert cells(second)[-1:] == ["2022"] and "2014" not in cells(second)


def test_sources_page_groups_by_kind_with_backlinks(basic_html: Path) -> None:
    page = (basic_html / "pages" / "sources.html").read_text()
    assert page.index("Treaties and agreements") < page.index("UN resolutions and reports")
    treaty = page[page.index('id="treaty"') : page.index('id="resolution"')]
    assert "Cited on:" in treaty and "claims/first.html" in treaty and "claims/second.html" not in treaty
    resolution = page[page.index('id="resolution"') :]
    assert "claims/first.html" in resolution and "claims/second.html" in resolution
    assert "Not cited on any page." in page[page.index('id="uncited"') :]


def test_source_texts_have_one_anchor_per_passage(basic_html: Path) -> None:
    page = (basic_html / "pages" / "texts.html").read_text()
    assert 'id="treaty-art-10"' in page and 'id="treaty-art-5"' in page
    assert "Quoted on:" in page
    claim = (basic_html / "claims" / "first.html").read_text()
    assert "../pages/texts.html#treaty-art-10" in claim


def test_inventory_lists_claims_sources_and_passages(basic_html: Path) -> None:
    with open(basic_html / "objects.inv", "rb") as f:
        inv = InventoryFile.load(f, "https://example.org", lambda base, uri: f"{base}/{uri}")
    data = {k: v for k, v in inv.data.items()} if hasattr(inv, "data") else inv
    assert "first" in data["claim:claim"]
    assert "treaty-art-10" in data["claim:passage"]
    assert "treaty" in data["claim:source"]
    assert "claim-first" in data["std:label"]


def test_parallel_build_then_incremental_rebuild(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = _copy(rootdir / "test-basic", tmp_path)
    app = make_app("html", srcdir=srcdir, parallel=2, freshenv=True)
    app.build()
    assert warnings_of(app._warning) == ""
    env = pickle.loads((Path(app.doctreedir) / "environment.pickle").read_bytes())
    domain_data = env.domaindata["claim"]
    assert set(domain_data["claims"]) == {"claims/first", "claims/second"}
    assert len(domain_data["citations"]["claims/first"]) == 6  # 5 fn roles + the quotation's footnote
    # Change one page: a second process reads the pickled environment, re-reads
    # that page alone, and the generated indexes follow.
    page = srcdir / "claims" / "second.md"
    page.write_text(page.read_text().replace("Summary of second.", "A changed summary."))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-j",
            "2",
            "-W",
            "-n",
            "-d",
            str(app.doctreedir),
            str(srcdir),
            str(app.outdir),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "1 changed, 0 removed" in result.stdout
    assert "A changed summary." in (Path(app.outdir) / "themes" / "beta.html").read_text()
    assert "A changed summary." in (Path(app.outdir) / "pages" / "claims.html").read_text()
