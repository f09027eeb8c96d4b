"""The memory of a build: Python's cycle collector tuned for each phase, and doctrees freed early.

Docutils trees are full of reference cycles (every node points to its parent
and the document's tables point back at the nodes), so a build allocates
objects by the million, and the collector's full sweeps walk the whole heap.
Measured on 1,000 real claim pages, full sweeps took 16.9 s of a 140 s build:
6 s of them while the documents were read, when nothing old is garbage (every
doctree read is kept for the writing phase), and the rest while they were
written, to free each written doctree, which by then is old.

So, while the builder runs:

* the objects alive when it starts (modules, the configuration, the loaded
  environment) are frozen out of collection, and the youngest generation is
  collected every 10,000 allocations instead of 700;
* while documents are read, the oldest generation is not swept at all
  (:data:`READ_THRESHOLD2`): young garbage is still collected;
* when writing starts, full sweeps are back, and each doctree, once its page is
  written, is taken apart (:func:`release_doctree`), so that reference counting
  frees it at once instead of waiting for a sweep: memory falls as the pages
  are written, and the sweeps find little to do.

And no doctree waits in memory for the writing phase (:func:`drop_read_doctrees`):
each is loaded back from its pickle when its page is written. Around each fork of
a parallel build the heap is frozen, so that the worker's sweeps leave what it
inherited alone.

Everything is put back when the build finishes, so a process that builds twice
(the tests) is left as it was.
"""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

#: Allocations between collections of the youngest generation while a build runs (Python's default: 700).
BUILD_THRESHOLD = 10_000
#: Collections of the middle generation between full sweeps while documents are read: never, in practice.
READ_THRESHOLD2 = 1_000_000_000
#: After every other listener of the page (Sphinx's and the themes' run at 500).
RELEASE_PRIORITY = 10_000


#: Builds running in this process (a test process runs many, one after another).
_running = [0]


def _before_fork() -> None:
    # A parallel build forks a worker per chunk of documents: frozen, the inherited heap is not
    # walked by the worker's sweeps, which would otherwise copy every page of it (copy-on-write).
    if _running[0]:
        gc.freeze()


def _after_fork_in_parent() -> None:
    # Back to the oldest generation, the objects frozen at builder-inited among them: the parent's
    # sweeps must still free the doctrees it resolved and handed to the worker.
    if _running[0]:
        gc.unfreeze()


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent)


class BuildCollector:
    """Tunes the collector at ``builder-inited`` and ``write-started``; restores it at ``build-finished``."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None

    def start(self, app: Sphinx) -> None:
        if self._saved is None:
            _running[0] += 1
            self._saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(BUILD_THRESHOLD, self._saved[1], READ_THRESHOLD2)

    def writing(self, app: Sphinx, builder: Builder) -> None:
        # Not frozen: the nodes that post-transforms cut out of a doctree are old cyclic garbage,
        # which only a full sweep frees.
        if self._saved is not None:
            gc.set_threshold(BUILD_THRESHOLD, *self._saved[1:])

    def finish(self, app: Sphinx, exception: Any) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            gc.unfreeze()
            self._saved = None
            _running[0] -= 1


def release_doctree(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Take a written page's doctree apart: nothing uses it after its page is rendered (this is the
    last listener of the page), and without its cycles reference counting frees it at once."""
    if not isinstance(doctree, nodes.document):
        return
    # An explicit stack: docutils' findall() yields each node through a generator per ancestor.
    stack: list[nodes.Node] = [doctree]
    while stack:
        node = stack.pop()
        node.parent = None
        if isinstance(node, nodes.Element):
            stack.extend(node.children)
            node.children = []
    for value in vars(doctree).values():
        if isinstance(value, (dict, list)):
            value.clear()
    doctree.document = None  # the document is its own document: a cycle of one


def drop_read_doctrees(app: Sphinx, doctree: nodes.document) -> None:
    """Keep no read doctree in memory until the writing phase: the writer loads each from its pickle.

    Sphinx keeps every doctree it reads in memory for the writer (``_write_doc_doctree_cache``),
    which is most of a build's memory: 0.8 MB for each real claim page, 1.1 GB at 1,000 pages.
    Loading a doctree back from its pickle costs 5 ms; with the smaller heap the collector's
    sweeps cost less than that (measured by ``make bench``). Run as each document has been read,
    this drops the one read before it (Sphinx caches a doctree just after this event).
    """
    cache = getattr(app.env, "_write_doc_doctree_cache", None)
    if isinstance(cache, dict):
        cache.clear()


def setup_collector(app: Sphinx) -> None:
    collector = BuildCollector()
    app.connect("builder-inited", collector.start)
    app.connect("write-started", collector.writing)
    app.connect("build-finished", collector.finish)
    app.connect("html-page-context", release_doctree, priority=RELEASE_PRIORITY)
    app.connect("doctree-read", drop_read_doctrees)
