"""A parallel build (-j 2) writes what a serial build writes: every HTML page, claims.json, objects.inv."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import warnings_of


def _build(make_app, srcdir: Path, outdir: Path, parallel: int) -> Path:  # type: ignore[no-untyped-def]
    app = make_app(
        "html", srcdir=srcdir, builddir=outdir, parallel=parallel, freshenv=True, confoverrides={"html_theme": "furo"}
    )
    app.build()
    assert warnings_of(app._warning) == ""
    assert app.builder.parallel_ok is (parallel > 1)  # Sphinx really wrote in parallel, or really did not
    app.cleanup()  # docutils' registries are global: the next app of this test starts clean
    return Path(app.outdir)


def _outputs(outdir: Path) -> dict[str, bytes]:
    names = [str(path.relative_to(outdir)) for path in sorted(outdir.rglob("*.html"))]
    return {name: (outdir / name).read_bytes() for name in [*names, "claims.json", "objects.inv"]}


def test_parallel_build_writes_what_a_serial_build_writes(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    serial = _outputs(_build(make_app, srcdir, tmp_path / "serial", parallel=1))
    parallel = _outputs(_build(make_app, srcdir, tmp_path / "parallel", parallel=2))
    assert len(serial) > 10 and b"sidebar-tree" in serial["claims/first.html"]
    assert serial.keys() == parallel.keys()
    assert [name for name in serial if serial[name] != parallel[name]] == []
