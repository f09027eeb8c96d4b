"""Phrase search: the built site indexed by Pagefind, which finds an exact phrase in quotation marks.

Sphinx's own search matches words, not phrases. With ``claimref_pagefind`` the HTML build ends
by running Pagefind (the binary from the ``pagefind[bin]`` wheel) over the output folder; the
search page then searches with Pagefind. Sphinx's index is still built, and the search page
falls back to it where Pagefind cannot run (a copy opened from disk: Pagefind needs http).
Only each page's content is indexed (``data-pagefind-body``, in ``templates/page.html``), not
the navigation that repeats every title, nor the citation boxes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import get_config
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

#: Parts of a page's content that are not its text: the citation boxes repeat the page's title in
#: four formats, and permalink marks are symbols.
EXCLUDED = (".claim-cite", ".headerlink", ".claim-permalink")
#: Pages whose content is no reader's text.
UNINDEXED_PAGES = frozenset({"search", "genindex", "404"})


def pagefind_command(outdir: str) -> list[str]:
    command = [sys.executable, "-m", "pagefind", "--site", outdir, "--silent"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    return command


def index_is_current(outdir: Path) -> bool:
    """No indexed page was written since the index was: a rebuild that changed nothing keeps it."""
    entry = outdir / "pagefind" / "pagefind-entry.json"
    if not entry.is_file():
        return False
    built = entry.stat().st_mtime
    for page in outdir.rglob("*.html"):
        relative = page.relative_to(outdir)
        if (
            relative.parts[0] in {"pagefind", "_static", "_sources"}
            or relative.with_suffix("").as_posix() in UNINDEXED_PAGES
        ):
            continue
        if page.stat().st_mtime >= built:
            return False
    return True


def run_pagefind(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not get_config(app.config).pagefind:
        return
    if index_is_current(Path(app.outdir)):
        return
    try:
        result = subprocess.run(pagefind_command(str(app.outdir)), capture_output=True, text=True, check=False)
    except OSError as exc:
        warn(Subtype.SEARCH, f"Pagefind could not be started ({exc}); install pagefind[bin]", None)
        return
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        warn(Subtype.SEARCH, f"Pagefind failed (exit {result.returncode}): {' / '.join(detail[-3:])}", None)


def search_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    context["claimref_pagefind"] = get_config(app.config).pagefind
    context["claimref_indexed"] = pagename not in UNINDEXED_PAGES


def setup_search(app: Sphinx) -> None:
    app.connect("html-page-context", search_context)
    # After the other build-finished handlers (priority 500) have written their files.
    app.connect("build-finished", run_pagefind, priority=900)
