"""Furo's navigation, computed once per build (claimref.navigation), is byte for byte Furo's own."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import furo
import pytest
from conftest import warnings_of
from sphinx.builders.html import StandaloneHTMLBuilder

from claimref import navigation


def _build(make_app, srcdir: Path, outdir: Path, **overrides: object) -> tuple[dict[str, str], int]:  # type: ignore[no-untyped-def]
    """Every HTML page of a fresh build, and how often Sphinx rendered the global toctree for a page."""
    calls = 0
    original = StandaloneHTMLBuilder._get_local_toctree

    def counting(self, docname, collapse=True, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return original(self, docname, collapse, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(StandaloneHTMLBuilder, "_get_local_toctree", counting)
        app = make_app("html", srcdir=srcdir, builddir=outdir, freshenv=True, confoverrides=overrides)
        app.build()
    assert warnings_of(app._warning) == ""
    pages = {str(path.relative_to(app.outdir)): path.read_text() for path in sorted(Path(app.outdir).rglob("*.html"))}
    app.cleanup()  # docutils' registries are global: the next app of this test starts clean
    return pages, calls


def _sidebar(page: str) -> str:
    match = re.search(r'<div class="sidebar-tree">.*?</div>', page, re.S)
    assert match, "no Furo sidebar tree"
    return match.group(0)


def test_furo_is_the_verified_version() -> None:
    # The fast path reproduces furo._compute_navigation_tree and furo.navigation.get_navigation_tree
    # of this release. A new Furo release falls back to Furo's own (slow) navigation: re-run
    # test_navigation_is_furos_own with the new release, then update VERIFIED_FURO_VERSION.
    assert furo.__version__ == navigation.VERIFIED_FURO_VERSION, (
        f"Furo {furo.__version__} is installed; claimref.navigation was verified against "
        f"{navigation.VERIFIED_FURO_VERSION}: compare the navigation again and update the constant"
    )


@pytest.mark.skipif(
    furo.__version__ != navigation.VERIFIED_FURO_VERSION, reason="see test_furo_is_the_verified_version"
)
def test_navigation_is_furos_own(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-navigation", srcdir)
    ours, ours_calls = _build(make_app, srcdir, tmp_path / "ours")
    furos, furos_calls = _build(make_app, srcdir, tmp_path / "furo", claimref_furo_navigation=False)
    assert ours_calls == 0, "Sphinx rendered a global toctree for a page: the fast path did not run"
    assert furos_calls == len(furos) > 8
    assert ours.keys() == furos.keys()
    assert ours != _build(make_app, srcdir, tmp_path / "changed", html_title="Changed")[0]  # the comparison can fail
    for page in furos:
        assert _sidebar(ours[page]) == _sidebar(furos[page]), page
        assert ours[page] == furos[page], page
    # The cases the root is made of are really there.
    about = _sidebar(furos["about.html"])
    assert 'class="toctree-l1 current current-page"' in about and 'href="#"' in about
    assert "<em>this</em> &amp; <code" in about or "<em>this</em> &amp; <span" in about
    deep = _sidebar(furos["guide/deep/c.html"])
    assert deep.count(' checked=""') == 2 and 'href="../../about.html"' in deep
    assert 'href="https://example.org/a?b=1&amp;c=2"' in deep
    assert _sidebar(furos["notes/one.html"]).count("current-page") == 1
    assert "Note 1 &lt; 2 &amp; 3" in _sidebar(furos["index.html"])
