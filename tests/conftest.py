"""Shared fixtures: Sphinx's own testing fixtures with this project's roots."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


def warnings_of(warning) -> str:  # type: ignore[no-untyped-def]
    """The build's warnings with colour codes stripped."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue())


def build_html(make_app, srcdir: Path, builddir: Path, check_app=None, **kwargs) -> Path:  # type: ignore[no-untyped-def]
    """A fresh HTML build of *srcdir* that must not warn; returns its output folder. *check_app*,
    if given, is called with the app after the build; docutils' registries are global, so the app
    is cleaned up for the next one of the test."""
    app = make_app("html", srcdir=srcdir, builddir=builddir, freshenv=True, **kwargs)
    app.build()
    assert warnings_of(app._warning) == ""
    if check_app is not None:
        check_app(app)
    outdir = Path(app.outdir)
    app.cleanup()
    return outdir


def html_pages(outdir: Path) -> dict[str, bytes]:
    """Every HTML page of a build, by its path in the output folder."""
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*.html"))}
