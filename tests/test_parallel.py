"""A parallel build (-j 2) writes what a serial build writes: every HTML page, claims.json, objects.inv,
searchindex.js."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import build_html, html_pages

from claimref import cite


def _outputs(outdir: Path) -> dict[str, bytes]:
    names = ["claims.json", "objects.inv", "searchindex.js"]
    cited = {str(p.relative_to(outdir)): p.read_bytes() for p in sorted((outdir / "_cite").iterdir())}
    return {**html_pages(outdir), **{name: (outdir / name).read_bytes() for name in names}, **cited}


def test_parallel_writer_is_claimrefs_and_writes_what_a_serial_build_writes(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With -j 2 the documents are read in one chunk a process and the workers resolve and write
    (claimref.parallel), and the pages, the data and the merged search index are what one process
    writes; Sphinx's own parallel writer, switched back on, writes the same."""
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    outputs = {}
    # The citation files this process writes (a worker's are written in the worker).
    here: dict[str, list[str]] = {}
    write = cite._write

    def noted(out, item, config):  # type: ignore[no-untyped-def]
        here.setdefault(str(out), []).append(item.ident)
        write(out, item, config)

    monkeypatch.setattr(cite, "_write", noted)
    for name, parallel, overrides in (
        ("serial", 1, {}),
        ("claimref", 2, {}),
        ("sphinx", 2, {"claimref_parallel_write": False}),
    ):

        def writer(app, name=name, parallel=parallel) -> None:  # type: ignore[no-untyped-def]
            assert app.builder.parallel_ok is (parallel > 1)  # Sphinx really wrote in parallel, or did not
            assert ("_write_parallel" in vars(app.builder)) is (name == "claimref")
            # Reading in parallel is claimref's too (one chunk a process), whichever the writer.
            assert ("_read_parallel" in vars(app.builder)) is (parallel > 1) and len(app.env.found_docs) > 5

        outdir = build_html(
            make_app,
            srcdir,
            tmp_path / name,
            check_app=writer,
            parallel=parallel,
            confoverrides={"html_theme": "furo", **overrides},
        )
        outputs[name] = _outputs(outdir)
        written = here[str(outdir)]
        claims = sorted(i for i in written if i.startswith("claim-"))
        passages = [i for i in written if i.startswith("passage-")]
        # The passages' files go with the source texts page: by this process once, or by a worker.
        assert len(passages) == len(set(passages)), name
        if name == "claimref":
            assert passages == []  # the source texts page is not the first: a worker wrote them
        if name == "claimref":
            # The workers wrote the claim pages' files; this process only the first page's (it writes
            # that page itself, before forking).
            assert len(claims) == 1
        else:
            # Serial: each with its page. Sphinx's writer reports nothing, so this process writes all
            # but the first page's at the end (again, after its workers). Each once.
            pages = sorted(p.stem for p in (outdir / "_cite").glob("claim-*.bib"))
            assert claims == pages and len(pages) > 1
    serial = outputs["serial"]
    assert any(f.startswith("_cite/claim-") for f in serial) and any(f.startswith("_cite/passage-") for f in serial)
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
