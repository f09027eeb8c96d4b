"""Phrase search: the built site indexed by Pagefind, which finds an exact phrase in quotation marks.

Sphinx's own search matches words, not phrases. With ``claimref_pagefind`` the HTML build ends
by indexing the output folder with Pagefind (the binary from the ``pagefind[bin]`` wheel), in
shards that are indexed again only where a page changed (:mod:`claimref.pagefind_index`); the
search page then searches them all with Pagefind. Sphinx's index is still built, and the search
page falls back to it where Pagefind cannot run (a copy opened from disk: Pagefind needs http).
Only each page's content is indexed (``data-pagefind-body``, in ``templates/page.html``), not
the navigation that repeats every title, nor the citation boxes.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import sphinx

from .config import get_config
from .pagefind_index import SHARDS_FILE, UNINDEXED_PAGES, plan, update_shard, write_shard_list
from .parallel import PAGES_WRITTEN_EVENT, VERIFIED_SPHINX_VERSION, WRITE_ORDER_EVENT
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder


class PagefindRun:
    """Pagefind indexes each shard in a thread pool beside the build, as soon as it can.

    The pages are written shard by shard (the order of the pages does not change what is
    written), and each shard is indexed as soon as its last page is written, by Pagefind's
    process, at a lower priority: in a serial build on the core the build leaves idle (at 1,000
    claim pages, waiting for Pagefind at the end was a tenth of the build), in a parallel build
    in the gaps the workers leave. The writers ask for the order (:data:`.parallel.WRITE_ORDER_EVENT`)
    and say what they wrote (:data:`.parallel.PAGES_WRITTEN_EVENT`): :mod:`.parallel`'s workers by
    chunks, the serial writer (the builder's ``_write_serial``, replaced here) shard by shard. At
    ``build-finished`` (started before the other listeners write their data files, waited for
    after them) the shards not yet given to Pagefind are, on as many threads as the build had
    processes (those no page of which was written are only checked), and the shard list is
    written. Replacing ``_write_serial`` is done only with the Sphinx release :mod:`.parallel`
    was verified against; with another, a serial build's shards are all indexed at the end.
    """

    def __init__(self) -> None:
        self._reset(enabled=False)

    def _reset(self, enabled: bool) -> None:
        self._enabled = enabled
        self._executor: ThreadPoolExecutor | None = None
        self._shards: dict[str, tuple[list[str], Future[bool]]] = {}  # name -> (its pages, its indexing)
        self._planned_at_write: dict[str, list[str]] = {}  # the shards as planned when writing began
        self._planned: dict[str, list[str]] = {}  # the shards as planned at build-finished
        self._unwritten: dict[str, set[str]] = {}  # shard -> its documents still to be written
        self._shard_of: dict[str, str] = {}  # docname -> shard

    def install(self, app: Sphinx) -> None:
        """At builder-inited: a fresh run, and the serial writer that writes shard by shard."""
        builder = app.builder
        self._reset(enabled=builder.format == "html" and get_config(app.config).pagefind)
        if not self._enabled:
            return
        if sphinx.__version__ == VERIFIED_SPHINX_VERSION:
            write_serial = builder._write_serial
            builder._write_serial = lambda docnames: self._write_by_shard(app, write_serial, docnames)  # type: ignore[method-assign]

    def write_order(self, app: Sphinx, docnames: Sequence[str]) -> list[str] | None:
        """The :data:`.parallel.WRITE_ORDER_EVENT` listener (None: as they are, without Pagefind)."""
        return self._order(app, docnames) if self._enabled else None

    def _order(self, app: Sphinx, docnames: Sequence[str]) -> list[str]:
        """*docnames* shard by shard (the pages that are not indexed first); remembers what each
        shard waits for."""
        pages = document_pages(app)
        shards = plan(sorted(pages.values()), get_config(app.config).pagefind_shard_pages)
        shard_of_page = {page: name for name, members in shards.items() for page in members}
        self._shard_of = {d: shard_of_page[pages[d]] for d in docnames if pages.get(d) in shard_of_page}
        self._unwritten = {}
        for docname, name in self._shard_of.items():
            self._unwritten.setdefault(name, set()).add(docname)
        self._planned_at_write = shards
        position = {name: index for index, name in enumerate(shards)}
        return sorted(docnames, key=lambda d: (position[self._shard_of[d]] + 1 if d in self._shard_of else 0, d))

    def written(self, app: Sphinx, docnames: Sequence[str]) -> None:
        """Give Pagefind each shard whose last page to write is among *docnames*."""
        for docname in docnames:
            name = self._shard_of.get(docname)
            waiting = self._unwritten.get(name, set()) if name else set()
            waiting.discard(docname)
            if name and not waiting and name in self._unwritten:
                del self._unwritten[name]
                self._index(app, Path(app.outdir), name, self._planned_at_write[name])

    def _write_by_shard(
        self, app: Sphinx, write_serial: Callable[[Sequence[str]], None], docnames: Sequence[str]
    ) -> None:
        ordered = self._order(app, docnames)
        for _shard, group in itertools.groupby(ordered, key=lambda d: self._shard_of.get(d)):
            written = list(group)
            write_serial(written)
            self.written(app, written)

    def _index(self, app: Sphinx, outdir: Path, name: str, pages: list[str]) -> None:
        """Give the shard to Pagefind (after its previous indexing, if it had one with other pages)."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=max(1, app.parallel),
                thread_name_prefix="claimref-pagefind",
                initializer=_yield_to_the_build,
            )
        earlier = self._shards.get(name)

        def task() -> bool:
            if earlier is not None:
                earlier[1].result()
            return update_shard(outdir, name, pages)

        self._shards[name] = (pages, self._executor.submit(task))

    def start(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is not None or not self._enabled:
            return
        outdir = Path(app.outdir)
        pages = sorted(page for page in document_pages(app).values() if (outdir / page).is_file())
        self._planned = plan(pages, get_config(app.config).pagefind_shard_pages)
        for name, members in self._planned.items():
            if name not in self._shards or self._shards[name][0] != members:
                self._index(app, outdir, name, members)

    def wait(self, app: Sphinx, exception: Exception | None) -> None:
        executor, shards, planned = self._executor, self._shards, self._planned
        self._reset(enabled=self._enabled)
        if executor is None:
            return
        executor.shutdown(wait=True)
        error = next((future.exception() for _pages, future in shards.values() if future.exception()), None)
        if isinstance(error, subprocess.CalledProcessError):
            detail = (error.stderr or error.stdout or "").strip().splitlines()
            warn(Subtype.SEARCH, f"Pagefind failed (exit {error.returncode}): {' / '.join(detail[-3:])}", None)
        elif isinstance(error, OSError):
            warn(Subtype.SEARCH, f"Pagefind could not be run ({error}); install pagefind[bin]", None)
        elif error is not None:
            warn(Subtype.SEARCH, f"Pagefind failed: {type(error).__name__}: {error}", None)
        elif planned:
            present = [name for name in planned if shards[name][1].result()]
            write_shard_list(Path(app.outdir), planned, present)


def _yield_to_the_build() -> None:
    """Lower the priority of the indexing thread, and so of the Pagefind processes it starts (on
    Linux a thread has its own, and a child inherits it): while pages are written, Pagefind uses
    the core the build leaves idle instead of taking turns with the build on its own."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux: the same work, at the same priority
        pass


def document_pages(app: Sphinx) -> dict[str, str]:
    """Each indexed document's page, as a path relative to the output folder."""
    outdir = Path(app.outdir)
    return {
        docname: Path(cast("StandaloneHTMLBuilder", app.builder).get_outfilename(docname))
        .relative_to(outdir)
        .as_posix()
        for docname in sorted(app.env.found_docs)
        if docname not in UNINDEXED_PAGES
    }


def search_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    context["claimref_pagefind"] = get_config(app.config).pagefind
    context["claimref_pagefind_shards"] = SHARDS_FILE
    context["claimref_indexed"] = pagename not in UNINDEXED_PAGES


def setup_search(app: Sphinx) -> None:
    app.connect("html-page-context", search_context)
    run = PagefindRun()
    app.connect("builder-inited", run.install)
    app.connect(WRITE_ORDER_EVENT, run.write_order)
    app.connect(PAGES_WRITTEN_EVENT, run.written)
    # Started before the other build-finished listeners (priority 500), waited for after them.
    app.connect("build-finished", run.start, priority=100)
    app.connect("build-finished", run.wait, priority=900)
