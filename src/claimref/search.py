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

import os
import subprocess
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import sphinx

from .config import get_config
from .pagefind_index import SHARDS_FILE, UNINDEXED_PAGES, index_site, plan, update_shard
from .parallel import VERIFIED_SPHINX_VERSION
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder


class PagefindRun:
    """Pagefind indexes each shard in a thread of its own, beside the build.

    In a serial build the pages are written shard by shard (the order of the pages does not
    change what is written), and each shard is indexed as soon as its last page is written, by
    Pagefind's process, on the core the build leaves idle: at 1,000 claim pages, waiting for
    Pagefind at the end was a tenth of the build. At ``build-finished`` (started before the other
    listeners write their data files, waited for after them) what is left is done: the shards
    no page of which was written are checked, the shard list written. Writing in shard order
    replaces the builder's ``_write_serial``, so it is done only with the Sphinx release
    :mod:`.parallel` was verified against; with another, the shards are all indexed at the end.
    """

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._tasks: list[Future[object]] = []

    def install(self, app: Sphinx) -> None:
        """At builder-inited: a fresh run, and the serial writer that writes shard by shard."""
        self._executor, self._tasks = None, []
        builder = app.builder
        if builder.format != "html" or not get_config(app.config).pagefind:
            return
        if sphinx.__version__ == VERIFIED_SPHINX_VERSION:
            write_serial = builder._write_serial
            builder._write_serial = lambda docnames: self._write_by_shard(app, write_serial, docnames)  # type: ignore[method-assign]

    def _write_by_shard(
        self, app: Sphinx, write_serial: Callable[[Sequence[str]], None], docnames: Sequence[str]
    ) -> None:
        outdir, pages = Path(app.outdir), document_pages(app)
        shards = plan(sorted(pages.values()), get_config(app.config).pagefind_shard_pages)
        shard_of = {page: name for name, members in shards.items() for page in members}
        groups: dict[str | None, list[str]] = {}
        for docname in docnames:
            groups.setdefault(shard_of.get(pages.get(docname, "")), []).append(docname)
        write_serial(groups.pop(None, []))  # the pages that are not indexed
        for name, members in shards.items():
            if name in groups:
                write_serial(groups[name])
                self._submit(update_shard, outdir, name, members)

    def _submit(self, task: Callable[..., object], *args: object) -> None:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="claimref-pagefind", initializer=_yield_to_the_build
            )
        self._tasks.append(self._executor.submit(task, *args))

    def start(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is not None or app.builder.format != "html" or not get_config(app.config).pagefind:
            return
        outdir = Path(app.outdir)
        pages = sorted(page for page in document_pages(app).values() if (outdir / page).is_file())
        self._submit(index_site, outdir, pages, get_config(app.config).pagefind_shard_pages)

    def wait(self, app: Sphinx, exception: Exception | None) -> None:
        executor, tasks, self._executor, self._tasks = self._executor, self._tasks, None, []
        if executor is None:
            return
        executor.shutdown(wait=True)
        error = next((task.exception() for task in tasks if task.exception() is not None), None)
        if isinstance(error, subprocess.CalledProcessError):
            detail = (error.stderr or error.stdout or "").strip().splitlines()
            warn(Subtype.SEARCH, f"Pagefind failed (exit {error.returncode}): {' / '.join(detail[-3:])}", None)
        elif isinstance(error, OSError):
            warn(Subtype.SEARCH, f"Pagefind could not be run ({error}); install pagefind[bin]", None)
        elif error is not None:
            warn(Subtype.SEARCH, f"Pagefind failed: {type(error).__name__}: {error}", None)


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
    # Started before the other build-finished listeners (priority 500), waited for after them.
    app.connect("build-finished", run.start, priority=100)
    app.connect("build-finished", run.wait, priority=900)
