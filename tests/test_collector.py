"""The cycle collector is tuned for each phase of a build and put back as it was when the build finishes;
a written page's doctree is freed by reference counting, without a sweep."""

from __future__ import annotations

import gc
import pickle
import shutil
import weakref
from pathlib import Path

from conftest import warnings_of
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from claimref.census import census
from claimref.collector import BUILD_THRESHOLD, READ_THRESHOLD2, release_doctree


def test_collector_tuned_during_the_build_and_restored(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    before = gc.get_threshold()
    assert before[0] != BUILD_THRESHOLD
    seen: dict[str, tuple[tuple[int, int, int], int]] = {}
    app = make_app("html", srcdir=srcdir, freshenv=True)

    def note(phase: str) -> None:
        seen[phase] = (gc.get_threshold(), gc.get_freeze_count())

    app.connect("env-updated", lambda app, env: note("read"))
    cached: list[int] = []
    app.connect("env-updated", lambda app, env: cached.append(len(env._write_doc_doctree_cache)))
    app.connect("write-started", lambda app, builder: note("write"), priority=900)
    app.build()
    assert warnings_of(app._warning) == ""
    # Reading: no full sweeps; writing: Python's own full sweeps again.
    assert seen["read"][0] == (BUILD_THRESHOLD, before[1], READ_THRESHOLD2) and seen["read"][1] > 0
    assert seen["write"][0] == (BUILD_THRESHOLD, *before[1:])
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    # Of the documents read, only the last is still in memory when writing starts.
    assert len(app.env.found_docs) > 1 and cached == [1]


def _parsed(text: str) -> nodes.document:
    """A parsed document as Sphinx hands it to the writer: read back from its pickle."""
    document = new_document("<test>", get_default_settings(Parser))
    Parser().parse(text, document)
    document.reporter = document.transformer = None  # type: ignore[assignment]
    return pickle.loads(pickle.dumps(document))


def test_a_released_doctree_is_freed_without_the_collector() -> None:
    text = (
        "Title\n=====\n\nA paragraph with a footnote [#note]_ and a `link <https://example.org>`_.\n\n"
        ".. [#note] The note.\n"
    )
    kept = _parsed(text)
    released = _parsed(text)
    kept_ref, released_ref = weakref.ref(kept), weakref.ref(released)
    census(released)  # a post-transform asked what the page has: that makes no cycle either
    gc.disable()
    try:
        release_doctree(None, "page", "page.html", {}, released)  # type: ignore[arg-type]
        assert released.children == [] and not released.ids
        del kept, released
        # Reference counting alone frees the released tree; the other still waits for a sweep (its cycles).
        assert released_ref() is None
        assert kept_ref() is not None
    finally:
        gc.enable()
        gc.collect()
    assert kept_ref() is None


def test_only_doctrees_are_released() -> None:
    # Pages without a doctree (genindex, search) pass None; any other node is left as it is.
    release_doctree(None, "genindex", "genindex.html", {}, None)  # type: ignore[arg-type]
    section = _parsed("Title\n=====\n\nA paragraph.\n").children[0]
    release_doctree(None, "page", "page.html", {}, section)  # type: ignore[arg-type]
    assert section.astext() == "Title\n\nA paragraph." and all(child.parent is section for child in section.children)
