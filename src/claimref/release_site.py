"""``make release``: the live site with the frozen copy of the current release under ``/<release>/``.

Two HTML builds of the same sources: the frozen copy (``claimref_frozen``; its permalinks,
citations and ClaimReview name ``<base>/<release>/``) and the live site
(``claimref_release_site``; every page links its frozen copy). They are assembled into one
site folder, in which the frozen copies of earlier releases stay untouched. The frozen
copy's ``.zenodo.json`` is copied to the repository root (Zenodo's GitHub integration reads
it from there when the release is tagged) and its anchor manifest to ``releases/<release>/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .zenodo import RELEASE_MANIFEST, ZENODO_FILE

SPHINX_OPTIONS = ("-W", "--keep-going", "-n", "-q")


class ReleaseError(RuntimeError):
    """A release that cannot be made; ``str()`` says why, naming the file."""


@dataclass(frozen=True)
class ReleasePlan:
    docs: Path  # the Sphinx source folder
    site: Path  # the assembled site
    base_url: str  # the live site's published address ("" for a local site)
    repo: Path  # where .zenodo.json and releases/ are kept
    replace: bool = False  # rebuild an already frozen copy


def release_of(docs: Path) -> str:
    """The ``release`` of ``docs/conf.py``."""
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    config = Config.read(docs.resolve(), overrides={}, tags=Tags())
    release = str(config.release or "")
    if not release:
        raise ReleaseError(f"{docs / 'conf.py'}: no release is set")
    return release


def _build(plan: ReleasePlan, outdir: Path, base_url: str, *overrides: str) -> None:
    env = dict(os.environ, CLAIMREF_BASE_URL=base_url)
    command = [sys.executable, "-m", "sphinx", "-b", "html", *SPHINX_OPTIONS]
    for override in overrides:
        command += ["-D", override]
    command += [str(plan.docs), str(outdir)]
    result = subprocess.run(command, env=env, check=False)
    if result.returncode != 0:
        raise ReleaseError(f"the HTML build into {outdir} failed (exit {result.returncode}); nothing was published")


def _copy_build(build: Path, target: Path) -> None:
    """A build's published files (not its pickled environment) into *target*."""
    shutil.copytree(build, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".doctrees", ".buildinfo"))


def make_release(plan: ReleasePlan) -> str:
    """Build and assemble; returns the release. Nothing is copied into the site unless both builds pass."""
    release = release_of(plan.docs)
    frozen_dir = plan.site / release
    if frozen_dir.exists() and not plan.replace:
        raise ReleaseError(
            f"{frozen_dir}: release {release} is already frozen; a frozen copy is never rebuilt "
            "(bump the release in docs/conf.py, or pass --replace before it is published)"
        )
    with tempfile.TemporaryDirectory(prefix="claimref-release-") as scratch:
        frozen, live = Path(scratch) / "frozen", Path(scratch) / "live"
        frozen_base = f"{plan.base_url}{release}/" if plan.base_url else ""
        _build(plan, frozen, frozen_base, "claimref_frozen=1")
        _build(plan, live, plan.base_url, "claimref_release_site=1")
        if not (frozen / ZENODO_FILE).exists():
            raise ReleaseError(f"the frozen build wrote no {ZENODO_FILE}; nothing was published")
        plan.site.mkdir(parents=True, exist_ok=True)
        if frozen_dir.exists():
            shutil.rmtree(frozen_dir)
        _copy_build(live, plan.site)
        _copy_build(frozen, frozen_dir)
        shutil.copyfile(frozen / ZENODO_FILE, plan.repo / ZENODO_FILE)
        kept = plan.repo / "releases" / release
        kept.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(frozen / RELEASE_MANIFEST, kept / RELEASE_MANIFEST)
    return release
