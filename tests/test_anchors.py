"""Anchors that never break: the manifest, redirects for moved pages, tombstones for withdrawn ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import Browser, chromium_path

from claimref.anchors import Manifest, update, verify

REPO = Path(__file__).resolve().parent.parent


def _build(root: Path) -> Path:
    out = root / "_build"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", str(root), str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return out


def test_rename_and_delete_fail_until_redirect_and_tombstone(rootdir: Path, tmp_path: Path) -> None:
    root = tmp_path / "anchors"
    shutil.copytree(rootdir / "test-anchors", root)
    manifest_file = root / "anchors.json"
    out = _build(root)
    manifest, added = update(Manifest(), out)
    manifest.save(manifest_file)
    assert added > 0
    assert {"", "the-claim", "the-record", "sources", "claim-second"} <= set(manifest.pages["claims/second.html"])
    assert "treaty-art-5" in manifest.pages["source-texts.html"]
    assert verify(manifest, out) == []

    # Rename a claim page (a new ID) and delete a passage.
    (root / "claims" / "second.md").rename(root / "claims" / "second-new.md")
    page = root / "claims" / "second-new.md"
    page.write_text(page.read_text().replace("{claim} second", "{claim} second-new"))
    first = root / "claims" / "first.md"
    first.write_text(first.read_text().replace(":related: second", ":related: second-new"))
    source = root / "sources" / "treaty.yaml"
    text = source.read_text()
    art5 = text.index("  - locator: Art. 5")
    source.write_text(text[:art5])
    shutil.rmtree(out)
    out = _build(root)
    problems = verify(Manifest.load(manifest_file), out)
    assert "claims/second.html: page no longer built (add a redirect or a withdrawn entry)" in problems
    assert "source-texts.html#treaty-art-5: anchor no longer on the page" in problems

    # The fixes: a redirect for the moved page, a tombstone for the withdrawn passage.
    manifest = Manifest.load(manifest_file)
    manifest.redirects["claims/second.html"] = "claims/second-new.html"
    manifest.save(manifest_file)
    source.write_text(
        source.read_text()
        + "  - locator: Art. 5\n    withdrawn: 2026-11-23\n    reason: The transcription could not be confirmed.\n"
    )
    shutil.rmtree(out)
    out = _build(root)
    assert verify(Manifest.load(manifest_file), out) == []
    redirect = (out / "claims" / "second.html").read_text()
    assert 'href="second-new.html"' in redirect and "window.location.hash" in redirect
    texts = (out / "source-texts.html").read_text()
    assert 'id="treaty-art-5"' in texts and "withdrawn on 2026-11-23" in texts

    if chromium_path():
        with Browser() as browser:
            landed = browser.evaluate(
                (out / "claims" / "second.html").as_uri() + "#the-record",
                "location.pathname.split('/').slice(-2).join('/') + location.hash",
                wait_for="location.pathname.endsWith('second-new.html')",
            )
        assert landed == "claims/second-new.html#the-record"


def test_withdrawn_claim_keeps_its_page_as_a_tombstone(rootdir: Path, tmp_path: Path) -> None:
    root = tmp_path / "anchors"
    shutil.copytree(rootdir / "test-anchors", root)
    out = _build(root)
    manifest, _ = update(Manifest(), out)
    (root / "claims" / "second.md").write_text(
        "# Title of second\n\n```{claim-withdrawn} second\n:date: 2026-11-23\n"
        ":reason: The claim duplicated another page.\n```\n"
    )
    first = root / "claims" / "first.md"
    first.write_text(first.read_text().replace(":related: second", ":related:"))
    shutil.rmtree(out)
    out = _build(root)
    assert any("claims/second.html#the-record" in p for p in verify(manifest, out))
    manifest.withdrawn.append("claims/second.html")
    assert verify(manifest, out) == []
    assert "withdrawn on 2026-11-23" in (out / "claims" / "second.html").read_text()


def test_the_reference_keeps_every_published_anchor() -> None:
    """The committed manifest against a fresh build of docs/ (see scripts/anchors.py)."""
    manifest_file = REPO / "docs" / "anchors.json"
    if not manifest_file.exists():
        pytest.fail("docs/anchors.json is missing: run `make html && python scripts/anchors.py update`")
    out = Path(pytest.importorskip("tempfile").mkdtemp())
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(REPO / "docs"), str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert verify(Manifest.load(manifest_file), out) == []
    shutil.rmtree(out)
