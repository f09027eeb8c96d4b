"""references.bib and sources/ as build inputs.

Source passages are loaded once per build (a malformed file stops the build
with its path and line). When the bibliography or a source file changes,
every page that cites, quotes or declares a claim is re-read.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, cast

from .config import get_config
from .domain import ClaimDomain
from .passages import SourceFileError, load_sources
from .people import load_people
from .warnings import stop_build

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def sources_dir(app: Sphinx) -> Path:
    return (Path(app.srcdir) / get_config(app.config).sources_dir).resolve()


def people_file(app: Sphinx) -> Path:
    return (Path(app.srcdir) / get_config(app.config).people_file).resolve()


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def input_files(app: Sphinx) -> list[Path]:
    bibfiles = [(Path(app.confdir) / f).resolve() for f in app.config.bibtex_bibfiles or []]
    folder = sources_dir(app)
    # The changelog and the anchor manifest date every page (see claimref.history).
    dated = [
        Path(app.srcdir) / get_config(app.config).changelog,
        Path(app.srcdir) / app.config.claimref_anchor_manifest,
    ]
    return bibfiles + (sorted(folder.glob("*.yaml")) if folder.is_dir() else []) + [people_file(app)] + dated


def load_inputs(app: Sphinx) -> None:
    domain = cast(ClaimDomain, app.env.get_domain("claim"))
    try:
        domain.source_files = load_sources(sources_dir(app))
        domain.people = load_people(people_file(app))
        domain._changed()
    except SourceFileError as exc:
        stop_build(str(exc))


def reread_on_input_change(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    digest = _digest(input_files(app))
    previous = getattr(env, "claimref_inputs_digest", None)
    env.claimref_inputs_digest = digest  # type: ignore[attr-defined]
    if previous is None or previous == digest:
        return []
    domain = cast(ClaimDomain, env.get_domain("claim"))
    readers = set(domain.data["citations"]) | set(domain.data["quotations"]) | set(domain.claims)
    readers |= set(domain.data["index_pages"]) | set(domain.data["person_pages"])
    return sorted(readers - removed)


def setup_inputs(app: Sphinx) -> None:
    # builder-inited: after sphinxcontrib-bibtex parsed references.bib (registered earlier).
    app.connect("builder-inited", load_inputs)
    app.connect("env-get-outdated", reread_on_input_change)
