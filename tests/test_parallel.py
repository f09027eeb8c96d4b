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


def test_parallel_writer_is_claimrefs_and_its_search_index_is_the_serial_one(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    """With -j 2 the workers resolve and write (claimref.parallel), and the merged search index,
    the pages and the data are what one process writes; Sphinx's own parallel writer, switched
    back on, writes the same."""
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    outputs = {}
    for name, parallel, overrides in (
        ("serial", 1, {}),
        ("claimref", 2, {}),
        ("sphinx", 2, {"claimref_parallel_write": False}),
    ):
        app = make_app(
            "html",
            srcdir=srcdir,
            builddir=tmp_path / name,
            parallel=parallel,
            freshenv=True,
            confoverrides={"html_theme": "furo", **overrides},
        )
        app.build()
        assert warnings_of(app._warning) == ""
        installed = "_write_parallel" in vars(app.builder)
        assert installed is (name == "claimref")
        outdir = Path(app.outdir)
        app.cleanup()
        files = _outputs(outdir)
        files["searchindex.js"] = (outdir / "searchindex.js").read_bytes()
        outputs[name] = files
    assert b"first" in outputs["serial"]["searchindex.js"]
    for name in ("claimref", "sphinx"):
        assert outputs[name].keys() == outputs["serial"].keys()
        assert [f for f in outputs["serial"] if outputs["serial"][f] != outputs[name][f]] == []


def test_parallel_writer_verified_against_this_sphinx() -> None:
    import sphinx

    from claimref import parallel

    # A new Sphinx: run the test above with it, check its _write_parallel and IndexBuilder tables
    # against claimref.parallel, then update VERIFIED_SPHINX_VERSION.
    assert sphinx.__version__ == parallel.VERIFIED_SPHINX_VERSION, (
        f"Sphinx {sphinx.__version__} is not the verified {parallel.VERIFIED_SPHINX_VERSION}: "
        "compare the parallel and serial builds again and update the constant"
    )
