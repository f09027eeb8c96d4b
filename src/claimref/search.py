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

import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import get_config
from .pagefind_index import SHARDS_FILE, UNINDEXED_PAGES, index_site
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx


class PagefindRun:
    """Pagefind indexes the site while the other build-finished listeners write their data files:
    it is started first, in a thread, and waited for last (it reads only the HTML pages, all
    written before build-finished)."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self, app: Sphinx, exception: Exception | None) -> None:
        self._thread, self._error = None, None
        if exception is not None or app.builder.format != "html" or not get_config(app.config).pagefind:
            return
        outdir = Path(app.outdir)
        shard_pages = get_config(app.config).pagefind_shard_pages
        self._thread = threading.Thread(target=self._run, args=(outdir, shard_pages), name="claimref-pagefind")
        self._thread.start()

    def _run(self, outdir: Path, shard_pages: int) -> None:
        try:
            index_site(outdir, shard_pages)
        except BaseException as exc:  # reported in the main thread, as a warning
            self._error = exc

    def wait(self, app: Sphinx, exception: Exception | None) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.join()
        if self._error is not None:
            error = self._error
            if isinstance(error, subprocess.CalledProcessError):
                detail = (error.stderr or error.stdout or "").strip().splitlines()
                warn(Subtype.SEARCH, f"Pagefind failed (exit {error.returncode}): {' / '.join(detail[-3:])}", None)
            elif isinstance(error, OSError):
                warn(Subtype.SEARCH, f"Pagefind could not be run ({error}); install pagefind[bin]", None)
            else:
                warn(Subtype.SEARCH, f"Pagefind failed: {type(error).__name__}: {error}", None)


def search_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    context["claimref_pagefind"] = get_config(app.config).pagefind
    context["claimref_pagefind_shards"] = SHARDS_FILE
    context["claimref_indexed"] = pagename not in UNINDEXED_PAGES


def setup_search(app: Sphinx) -> None:
    app.connect("html-page-context", search_context)
    run = PagefindRun()
    # Started before the other build-finished listeners (priority 500), waited for after them.
    app.connect("build-finished", run.start, priority=100)
    app.connect("build-finished", run.wait, priority=900)
