"""A parallel HTML build whose workers do all the writing, the resolving included.

Sphinx's parallel writing (``Builder._write_parallel``) keeps one process busy
for itself: the main process loads every doctree, applies the post-transforms,
resolves the references and feeds the search index, serially, and hands each
resolved doctree to ``-j N - 1`` workers that only render it. On two cores that
is one worker beside a main process that has as much to do, and a 500-page
build writes hardly faster with ``-j 2`` than without (measured by ``make
bench``).

Here the workers do everything a page needs, each on its own chunk of pages:
load, resolve, index and render. What the main process needs from them comes
back with each chunk's result and is merged: the chunk's search-index entries
(``IndexBuilder``'s tables, word by word) and the images it found. The main
process only forks, waits and merges, so ``-j 2`` runs two workers.

Reading is Sphinx's own, in fewer chunks (:func:`_read_parallel`): Sphinx cuts
the documents into chunks of about 50 (ten at 500 pages on two cores) and forks
a process for each, which sends back the whole environment it has, pickled: the
environment as the main process had merged it so far, and its own chunk. Here
each process reads one chunk of an equal share of the documents (dealt out in
turn, so that the costly pages are shared), and the environment is pickled and
merged once a process. The writer's chunks are likewise two a worker: each chunk
is a fork whose first pages copy what they touch of the main process's memory.

This relies on Sphinx's internals (the builder's ``_read_parallel`` and ``_write_parallel``, the
``IndexBuilder`` tables), so it runs only with the Sphinx release it was
verified against (:data:`VERIFIED_SPHINX_VERSION`); any other release writes
with Sphinx's own parallel writer, and ``tests/test_parallel.py`` fails until
the comparison of serial and parallel output is re-run and the constant
updated. The same test compares every page, ``claims.json``, ``objects.inv``
and the search index of a serial and a parallel build.
"""

from __future__ import annotations

import pickle
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sphinx
from sphinx.builders import Builder, _write_docname
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.display import status_iterator
from sphinx.util.parallel import ParallelTasks

from .config import get_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: The Sphinx release whose parallel writer this module replaces (see the module docstring).
VERIFIED_SPHINX_VERSION = "9.0.4"

#: ``(docnames)`` -> the same docnames in the order they should be written, or None (as they are).
WRITE_ORDER_EVENT = "claimref-write-order"
#: ``(docnames)``: these pages have been written (by the serial writer or a parallel chunk).
PAGES_WRITTEN_EVENT = "claimref-pages-written"

#: ``IndexBuilder`` tables keyed by document: a chunk's entries are copied over.
_PER_DOCUMENT = ("_titles", "_filenames", "_all_titles", "_index_entries")
#: ``IndexBuilder`` tables of word -> documents: a chunk's documents are added word by word.
_PER_WORD = ("_mapping", "_title_mapping")


def _empty_index(indexer: Any) -> None:
    """Give the worker's copy of the index empty tables, so that what it returns is its chunk's alone."""
    for name in (*_PER_DOCUMENT, *_PER_WORD):
        setattr(indexer, name, {})


def _index_tables(indexer: Any) -> dict[str, dict[str, Any]]:
    return {name: getattr(indexer, name) for name in (*_PER_DOCUMENT, *_PER_WORD)}


def _merge_index(indexer: Any, tables: dict[str, dict[str, Any]]) -> None:
    for name in _PER_DOCUMENT:
        getattr(indexer, name).update(tables[name])
    for name in _PER_WORD:
        mapping: dict[str, set[str]] = getattr(indexer, name)
        for word, docnames in tables[name].items():
            mapping.setdefault(word, set()).update(docnames)


def _write_parallel(self: StandaloneHTMLBuilder, docnames: Sequence[str], nproc: int) -> None:
    """Replaces ``Builder._write_parallel`` on this builder: *nproc* (Sphinx's ``-j`` less one) is ignored."""
    # The first page in this process: templates compiled and caches (the navigation tree) filled
    # before forking, so that every worker inherits them.
    firstname, rest = docnames[0], docnames[1:]
    _write_docname(firstname, env=self.env, builder=self, tags=self.tags)
    if not rest:
        return
    workers = self._app.parallel
    tasks = ParallelTasks(workers)
    # In the order the search index wants them (WRITE_ORDER_EVENT), and each chunk announced once written.
    rest = self.events.emit_firstresult(WRITE_ORDER_EVENT, rest) or rest
    chunks = _contiguous_chunks(rest, 2 * workers)
    progress = status_iterator(chunks, "writing output... ", "darkgreen", len(chunks), self.config.verbosity)

    def write_chunk(chunk: list[str]) -> dict[str, Any]:
        images_before = dict(self.images)
        if self.indexer is not None:
            _empty_index(self.indexer)
        for docname in chunk:
            _write_docname(docname, env=self.env, builder=self, tags=self.tags)
        return {
            "index": _index_tables(self.indexer) if self.indexer is not None else None,
            "images": {uri: name for uri, name in self.images.items() if images_before.get(uri) != name},
        }

    def chunk_done(chunk: list[str], result: dict[str, Any]) -> None:
        if result["index"] is not None and self.indexer is not None:
            _merge_index(self.indexer, result["index"])
        self.images.update(result["images"])
        self.events.emit(PAGES_WRITTEN_EVENT, chunk)
        next(progress)

    for chunk in chunks:
        tasks.add_task(write_chunk, chunk, chunk_done)
    tasks.join()
    logger.info("")


def _contiguous_chunks(items: Sequence[str], count: int) -> list[list[str]]:
    """*items* in at most *count* chunks of (nearly) equal size, each a run of them in order: the
    writer's order is the search index's shard order, and a shard is indexed once its run is written."""
    size = -(-len(items) // max(1, count))
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def _read_parallel(self: Builder, docnames: list[str], nproc: int) -> None:
    """Replaces ``Builder._read_parallel``: Sphinx's, but one chunk a process (see the module's docstring)."""
    chunks = [docnames[start::nproc] for start in range(nproc) if docnames[start::nproc]]
    progress = status_iterator(chunks, __("reading sources... "), "purple", len(chunks), self.config.verbosity)

    # As Sphinx does: clear all outdated documents at once.
    for docname in docnames:
        self.events.emit("env-purge-doc", self.env, docname)
        self.env.clear_doc(docname)

    def read_process(docs: list[str]) -> bytes:
        self.env._app = self._app
        for docname in docs:
            self.read_doc(docname, _cache=False)
        return pickle.dumps(self.env, pickle.HIGHEST_PROTOCOL)

    def merge(docs: list[str], otherenv: bytes) -> None:
        env = pickle.loads(otherenv)
        self.env.merge_info_from(docs, env, self._app)
        next(progress)

    tasks = ParallelTasks(nproc)
    for chunk in chunks:
        tasks.add_task(read_process, chunk, merge)
    tasks.join()
    logger.info("")


def reads_in_parallel(app: Sphinx) -> bool:
    return sphinx.__version__ == VERIFIED_SPHINX_VERSION and type(app.builder)._read_parallel is Builder._read_parallel


def applies(app: Sphinx) -> bool:
    builder = app.builder
    return (
        get_config(app.config).parallel_write
        and isinstance(builder, StandaloneHTMLBuilder)
        and sphinx.__version__ == VERIFIED_SPHINX_VERSION
        and type(builder)._write_parallel is sphinx.builders.Builder._write_parallel
    )


def install_parallel_writer(app: Sphinx) -> None:
    if app.parallel > 1 and reads_in_parallel(app):
        app.builder._read_parallel = types.MethodType(_read_parallel, app.builder)  # type: ignore[method-assign]
    if app.parallel > 1 and applies(app):
        app.builder._write_parallel = types.MethodType(_write_parallel, app.builder)  # type: ignore[method-assign]


def setup_parallel(app: Sphinx) -> None:
    app.add_event(WRITE_ORDER_EVENT)
    app.add_event(PAGES_WRITTEN_EVENT)
    app.connect("builder-inited", install_parallel_writer)
