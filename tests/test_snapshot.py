"""A doctree snapshot of a claim page: the header, sections and footnotes the extension emits."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from conftest import warnings_of

SNAPSHOT = Path(__file__).parent / "snapshots" / "basic-claims-first.xml"


def _normalise(xml: str) -> str:
    return re.sub(r' source="[^"]*"', "", xml)


def test_claim_page_doctree_matches_snapshot(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = tmp_path / "basic"
    shutil.copytree(rootdir / "test-basic", srcdir)
    # The access date in "Cite this page" is the build date: pin it.
    app = make_app("html", srcdir=srcdir, freshenv=True, confoverrides={"today": "2026-11-23", "release": "2026.11"})
    app.build()
    assert warnings_of(app._warning) == ""
    doctree = app.env.get_and_resolve_doctree("claims/first", app.builder, tags=app.tags)
    actual = _normalise(doctree.pformat())
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(actual)
    assert actual == SNAPSHOT.read_text(), "run with UPDATE_SNAPSHOTS=1 after an intended change, and review the diff"
