"""The cycle collector is tuned while a build runs and put back as it was when the build finishes."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

from conftest import warnings_of

from claimref.collector import BUILD_THRESHOLD


def test_collector_tuned_during_the_build_and_restored(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    before = gc.get_threshold()
    assert before[0] != BUILD_THRESHOLD
    seen: list[tuple[tuple[int, int, int], int]] = []
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.connect("env-updated", lambda app, env: seen.append((gc.get_threshold(), gc.get_freeze_count())))
    app.build()
    assert warnings_of(app._warning) == ""
    assert seen and seen[0][0] == (BUILD_THRESHOLD, *before[1:]) and seen[0][1] > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
