"""Another Sphinx project cites claims and passages through the reference's objects.inv."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def _consumer(tmp_path: Path, inventory: Path, extensions: str, body: str) -> str:
    consumer = tmp_path / "consumer"
    shutil.rmtree(consumer, ignore_errors=True)
    consumer.mkdir()
    (consumer / "conf.py").write_text(
        f'extensions = ["myst_parser", "sphinx.ext.intersphinx"{extensions}]\n'
        f'intersphinx_mapping = {{"claims": ("https://example.org/reference/", {str(inventory)!r})}}\n'
        'bibtex_bibfiles = []\nclaimref_themes = {"x": "X"}\n'
    )
    (consumer / "index.md").write_text(f"# Essay\n\n{body}\n")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", str(consumer), str(consumer / "_build")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return (consumer / "_build" / "index.html").read_text()


def _reference(rootdir: Path, tmp_path: Path) -> Path:
    reference = tmp_path / "reference"
    shutil.copytree(rootdir / "test-basic", reference)
    built = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(reference), str(reference / "_build")]
    )
    assert built.returncode == 0
    return reference / "_build" / "objects.inv"


def test_plain_sphinx_project_links_through_std_labels(rootdir: Path, tmp_path: Path) -> None:
    inventory = _reference(rootdir, tmp_path)
    html = _consumer(
        tmp_path,
        inventory,
        "",
        "See {external+claims:ref}`claim-first`, the passage {external+claims:ref}`passage-treaty-art-10`,\n"
        "the source {external+claims:ref}`source-treaty` and the theme {external+claims:ref}`theme-alpha`.",
    )
    assert 'href="https://example.org/reference/claims/first.html#claim-first"' in html
    assert 'href="https://example.org/reference/pages/texts.html#treaty-art-10"' in html
    assert 'href="https://example.org/reference/pages/sources.html#treaty"' in html
    assert 'href="https://example.org/reference/themes/alpha.html"' in html


def test_project_loading_claimref_links_with_the_claim_roles(rootdir: Path, tmp_path: Path) -> None:
    inventory = _reference(rootdir, tmp_path)
    html = _consumer(
        tmp_path,
        inventory,
        ', "claimref"',
        "On the pledge, see {external+claims:claim:claim}`first`,\n"
        "the passage {external+claims:claim:passage}`treaty-art-10`,\n"
        "the source {external+claims:claim:source}`treaty`\n"
        "and the theme {external+claims:claim:theme}`alpha`.",
    )
    assert 'href="https://example.org/reference/claims/first.html"' in html
    assert 'href="https://example.org/reference/pages/texts.html#treaty-art-10"' in html
    assert 'href="https://example.org/reference/pages/sources.html#treaty"' in html
    assert 'href="https://example.org/reference/themes/alpha.html"' in html
