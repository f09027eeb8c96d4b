"""The frozen copy of a release: its Zenodo metadata (``.zenodo.json``) and its own anchor manifest.

Both are written only by the frozen build (``claimref_frozen``, set by ``make release``):
``.zenodo.json`` is what Zenodo's GitHub integration reads to mint a DOI for the
release, and ``anchors.json`` records every anchor the frozen copy offers, so a
citation of that release can always be checked against what it offered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .anchors import Manifest, update
from .check.links import atomic_write
from .config import get_config
from .domain import ClaimDomain
from .releases import all_releases
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

ZENODO_FILE = ".zenodo.json"
RELEASE_MANIFEST = "anchors.json"
#: Fields Zenodo's deposit metadata requires (developers.zenodo.org, "Deposit metadata").
ZENODO_REQUIRED = ("upload_type", "publication_date", "title", "creators", "description", "access_right")


def zenodo_metadata(app: Sphinx) -> dict[str, Any] | None:
    """The release's deposit metadata, or None when the changelog has no entry for it."""
    config = get_config(app.config)
    domain = cast(ClaimDomain, app.env.get_domain("claim"))
    record = next((r for r in all_releases(domain) if r.version == config.release), None)
    if record is None:
        return None
    metadata: dict[str, Any] = {
        "upload_type": "publication",
        "publication_type": "other",
        "title": f"{app.config.project}, release {record.version}",
        "version": record.version,
        "publication_date": record.date,
        "creators": [{"name": app.config.author}],
        "description": _description(len(domain.claims_by_id())),
        "access_right": "open",
        # The deposit is the reference's text and data, under their licence (Zenodo takes lowercase SPDX ids).
        "license": config.license.lower(),
        "language": "eng",
        "keywords": ["NATO", "Russia", "claims", "fact-checking", "citation reference"],
        "notes": record.text,
    }
    if config.base_url:
        # The frozen copy is the published form of exactly this release.
        metadata["related_identifiers"] = [
            {"identifier": config.base_url, "relation": "isIdenticalTo", "resource_type": "publication-other"},
            {
                "identifier": f"{config.base_url}claims.json",
                "relation": "hasPart",
                "resource_type": "dataset",
            },
        ]
    return metadata


def _description(count: int) -> str:
    return (
        f"An annotated citation reference of {count} claims that Russian officials have made about NATO: "
        "each claim on its own page with a permanent anchor, its annotation footnoted to primary sources, "
        "and every quotation checked word for word against a stored passage of its source."
    )


def write_frozen_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not get_config(app.config).frozen:
        return
    out = Path(app.outdir)
    metadata = zenodo_metadata(app)
    if metadata is not None:
        atomic_write(out / ZENODO_FILE, json.dumps(metadata, indent=1, ensure_ascii=False) + "\n", durable=False)
    # A fresh manifest of this copy alone: what this release offered, whatever later releases add.
    update(Manifest(), out)[0].save(out / RELEASE_MANIFEST)


def check_release_noted(app: Sphinx, env: BuildEnvironment) -> None:
    """Once every page is read: a frozen release must have its entry on the changelog."""
    config = get_config(app.config)
    domain = cast(ClaimDomain, env.get_domain("claim"))
    if config.frozen and not any(r.version == config.release for r in all_releases(domain)):
        warn(
            Subtype.RELEASE,
            f"release {config.release!r} has no release-note on the changelog: a release cannot be frozen without one",
            None,
        )


def setup_zenodo(app: Sphinx) -> None:
    app.connect("env-check-consistency", check_release_noted)
    app.connect("build-finished", write_frozen_files)
