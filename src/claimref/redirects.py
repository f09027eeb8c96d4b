"""Redirect pages for moved anchors, generated from the anchor manifest (HTML builds only).

Each old page becomes a small page that sends the reader on to the new one,
keeping the ``#fragment``: a meta refresh without script, a link for anyone.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .anchors import Manifest, ManifestError
from .warnings import stop_build

if TYPE_CHECKING:
    from sphinx.application import Sphinx

TEMPLATES = str(Path(__file__).parent / "templates")


def manifest_path(app: Sphinx) -> Path:
    return Path(app.srcdir) / app.config.claimref_anchor_manifest


def load_manifest(app: Sphinx) -> None:
    """Read the manifest while the builder starts, so a malformed one stops the build before any write."""
    try:
        app.env.claimref_manifest = Manifest.load(manifest_path(app))  # type: ignore[attr-defined]
    except ManifestError as exc:
        stop_build(str(exc))


def redirect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.format != "html":
        return
    manifest: Manifest = app.env.claimref_manifest  # type: ignore[attr-defined]
    for old, new in sorted(manifest.redirects.items()):
        pagename = old.removesuffix(".html")
        target = posixpath.relpath(new, posixpath.dirname(old) or ".")
        yield pagename, {"title": "Moved", "redirect_to": target}, "claimref-redirect.html"


def add_templates(app: Sphinx, config: Any) -> None:
    if TEMPLATES not in config.templates_path:
        config.templates_path.append(TEMPLATES)


def setup_redirects(app: Sphinx) -> None:
    app.add_config_value("claimref_anchor_manifest", "anchors.json", "html", types=frozenset({str}))
    app.connect("config-inited", add_templates)
    app.connect("builder-inited", load_manifest)
    app.connect("html-collect-pages", redirect_pages)
