"""A parallel build (-j 2) writes what a serial build writes: every HTML page, claims.json, objects.inv,
searchindex.js."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import build_html, html_pages


def _outputs(outdir: Path) -> dict[str, bytes]:
    names = ["claims.json", "objects.inv", "searchindex.js"]
    return {**html_pages(outdir), **{name: (outdir / name).read_bytes() for name in names}}


def test_parallel_writer_is_claimrefs_and_writes_what_a_serial_build_writes(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    """With -j 2 the workers resolve and write (claimref.parallel), and the pages, the data and the
    merged search index are what one process writes; Sphinx's own parallel writer, switched back
    on, writes the same."""
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    outputs = {}
    for name, parallel, overrides in (
        ("serial", 1, {}),
        ("claimref", 2, {}),
        ("sphinx", 2, {"claimref_parallel_write": False}),
    ):

        def writer(app, name=name, parallel=parallel) -> None:  # type: ignore[no-untyped-def]
            assert app.builder.parallel_ok is (parallel > 1)  # Sphinx really wrote in parallel, or did not
            assert ("_write_parallel" in vars(app.builder)) is (name == "claimref")

        outdir = build_html(
            make_app,
            srcdir,
            tmp_path / name,
            check_app=writer,
            parallel=parallel,
            confoverrides={"html_theme": "furo", **overrides},
        )
        outputs[name] = _outputs(outdir)
    serial = outputs["serial"]
    assert len(serial) > 10 and b"sidebar-tree" in serial["claims/first.html"] and b"first" in serial["searchindex.js"]
    for name in ("claimref", "sphinx"):
        assert outputs[name].keys() == serial.keys()
        assert [f for f in serial if serial[f] != outputs[name][f]] == []


def test_parallel_writer_verified_against_this_sphinx() -> None:
    import sphinx

    from claimref import parallel

    # A new Sphinx: run the test above with it, check its _write_parallel and IndexBuilder tables
    # against claimref.parallel, then update VERIFIED_SPHINX_VERSION.
    assert sphinx.__version__ == parallel.VERIFIED_SPHINX_VERSION, (
        f"Sphinx {sphinx.__version__} is not the verified {parallel.VERIFIED_SPHINX_VERSION}: "
        "compare the parallel and serial builds again and update the constant"
    )
