"""A failed check stays failed, and an interrupted build is never taken for a finished one.

Sphinx re-reads only changed pages, so a warning raised while a page was read
or written is not raised again by an unchanged rebuild, and ``-W`` would pass.
Every warning that names a document is recorded here (in a file beside the
pickled environment, which parallel readers and writers can append to), and
``env-get-outdated`` returns those documents on the next build: they are read
and written again and warn again, until they are fixed.

A build interrupted while writing (Ctrl-C) leaves an environment that says
every page is up to date beside a search index and pages that are not. A
marker written when the builder starts and removed when the build finishes
shows the next build that the last one never finished: it then reads and
writes every page, so the search index is whole again.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_FILE = "claimref-warned-docs.txt"
_UNFINISHED = "claimref-build-unfinished"


def _record_file(app: Sphinx) -> Path:
    return Path(app.doctreedir) / _FILE


class WarnedDocsRecorder(logging.Handler):
    """Collects the docname of every warning that names a document."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__(logging.WARNING)
        self.app = app

    def _docname(self, location: Any) -> str | None:
        env = self.app.env
        if isinstance(location, tuple) and location and isinstance(location[0], str):
            return location[0]
        path = None
        if isinstance(location, nodes.Node):
            path = location.source or (location.document and location.document.get("source"))
        elif isinstance(location, str):
            path = location.rsplit(":", 1)[0] if ":" in location else location
        if not path:
            return None
        return env.path2doc(str(path).split(":docstring of ")[0])

    def emit(self, record: logging.LogRecord) -> None:
        docname = self._docname(getattr(record, "location", None))
        if docname is None:
            docname = self.app.env.temp_data.get("docname")  # no location, but a page is being read
        if docname:
            path = _record_file(self.app)
            path.parent.mkdir(parents=True, exist_ok=True)
            # One short append per warning: safe from parallel readers and writers.
            with path.open("a", encoding="utf-8") as out:
                out.write(docname + "\n")


def _start(app: Sphinx) -> None:
    # Sphinx clears the handlers of its "sphinx" logger for every new application.
    logging.getLogger("sphinx").addHandler(WarnedDocsRecorder(app))
    marker = Path(app.doctreedir) / _UNFINISHED
    app.env.claimref_last_build_unfinished = marker.exists()  # type: ignore[attr-defined]
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()


def _finish(app: Sphinx, exception: BaseException | None) -> None:
    if exception is None:
        (Path(app.doctreedir) / _UNFINISHED).unlink(missing_ok=True)


def warned_last_time(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """The pages that warned in the previous build, or every page if it never finished: read them again."""
    if getattr(env, "claimref_last_build_unfinished", False):
        return sorted(env.found_docs - removed)
    path = _record_file(app)
    if not path.is_file():
        return []
    docnames = set(path.read_text(encoding="utf-8").split())
    os.unlink(path)  # this build records afresh
    return sorted(d for d in docnames if d in env.found_docs and d not in removed)


def setup_sticky(app: Sphinx) -> None:
    app.connect("builder-inited", _start)
    app.connect("build-finished", _finish)
    app.connect("env-get-outdated", warned_last_time)
