"""Every validation error fails the build and names the file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import warnings_of

CASES = [
    ("duplicate-id", "claims/second.md:3", "duplicate claim ID 'first': also declared at"),
    ("unknown-theme", "claims/first.md:3", "unknown theme 'gamma'"),
    ("unknown-related", "claims/first.md:3", "unknown related claim 'nowhere'"),
    ("unknown-key", "claims/first.md:", "unknown citation key 'no-such-key'"),
    ("missing-locator", "claims/first.md:", "citation of 'treaty' has no locator"),
    ("missing-field", "claims/first.md:3", "missing required field(s): summary"),
    ("missing-section", "claims/first.md:3", "has no 'the-record' section"),
    ("bad-quote", "claims/first.md:", "quotation does not match treaty{Art. 10}"),
    ("unknown-passage", "claims/first.md:", "has no passage 'Art. 99'"),
    ("unmarked-quote", "claims/first.md:", "unverified quotation"),
]


def _copy(rootdir: Path, root: str, tmp_path: Path) -> Path:
    """A copy of the root, so that builds never write into tests/roots/."""
    import shutil

    dest = tmp_path / root
    shutil.copytree(rootdir / f"test-{root}", dest)
    return dest


@pytest.mark.parametrize(("root", "where", "message"), CASES, ids=[c[0] for c in CASES])
def test_validation_warning_names_file_and_line(
    make_app, rootdir: Path, tmp_path: Path, root: str, where: str, message: str
) -> None:
    app = make_app("html", srcdir=_copy(rootdir, root, tmp_path), freshenv=True)
    app.build()
    output = warnings_of(app._warning)
    line = next((ln for ln in output.splitlines() if message in ln), None)
    assert line is not None, output
    assert where in line, line


def test_bad_quote_report_shows_the_word_diff(make_app, rootdir: Path, tmp_path: Path) -> None:
    app = make_app("html", srcdir=_copy(rootdir, "bad-quote", tmp_path), freshenv=True)
    app.build()
    assert "any [-other-] European State in a position" in warnings_of(app._warning)


@pytest.mark.parametrize("root", ["unknown-theme", "bad-quote"])
def test_warnings_as_errors_fail_the_build(rootdir: Path, tmp_path: Path, root: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-W",
            "--keep-going",
            "-n",
            "-q",
            str(rootdir / f"test-{root}"),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0


def test_malformed_source_file_stops_the_build_naming_file_and_line(rootdir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(rootdir / "test-bad-source"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "sources/treaty.yaml:5: provenance.method must be one of" in result.stderr
    assert "Traceback" not in result.stderr and result.returncode == 2
    assert not (tmp_path / "out" / "index.html").exists()


def test_bad_config_value_is_a_config_error_naming_the_key(rootdir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-D",
            "claimref_base_url=not-a-url",
            str(rootdir / "test-basic"),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "claimref_base_url" in result.stderr


def _bib_project(tmp_path: Path, bib: str) -> Path:
    root = tmp_path / "bib"
    root.mkdir()
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "claimref"]\nbibtex_bibfiles = ["refs.bib"]\nclaimref_themes = {"a": "A"}\n'
    )
    (root / "refs.bib").write_text(bib)
    (root / "index.md").write_text("# Index\n\nText.{fn}`x{p. 1}`\n")
    return root


def test_malformed_bib_entries_warn_at_their_line(tmp_path: Path) -> None:
    bib = (
        "@misc{x, kind = {treaty}, title = {T}, date = {2011-13-45}}\n"
        "@misc{y, title = {No kind}, date = {2011}}\n"
        "@misc{z, kind = {un}, title = {Z}, date = {2011}, url = {ftp://example.org}}\n"
    )
    root = _bib_project(tmp_path, bib)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(root), str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "refs.bib:1: WARNING: entry 'x': date must be" in result.stderr
    assert "refs.bib:2: WARNING: entry 'y': kind must be one of" in result.stderr
    assert "refs.bib:3: WARNING: entry 'z': url is not an http(s) URL" in result.stderr


def test_a_bibliography_that_warned_is_checked_again_and_one_that_passed_is_not(tmp_path: Path) -> None:
    """A warning of references.bib stays on every build until it is fixed; a file that passed, as it
    is now, is not parsed again by the check (sphinxcontrib-bibtex keeps its own parse)."""
    root = _bib_project(tmp_path, "@misc{x, kind = {treaty}, title = {T}, date = {2011-13-45}}\n")
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(root), str(tmp_path / "o")]
    for _attempt in (1, 2):
        result = subprocess.run(command, capture_output=True, text=True)
        assert result.returncode != 0 and "refs.bib:1: WARNING: entry 'x': date must be" in result.stderr
    record = tmp_path / "o" / ".doctrees" / "claimref-bibcheck-passed"
    assert record.read_text() == ""
    (root / "refs.bib").write_text("@misc{x, kind = {treaty}, title = {T}, date = {2011-12-25}}\n")
    assert subprocess.run(command, capture_output=True, text=True).returncode == 0
    passed = record.read_text().split()
    assert len(passed) == 1
    # Passed and unchanged: a rebuild does not check it (a spoiled parser would fail the build if it did).
    (root / "index.md").write_text("# Index\n\nOther text.{fn}`x{p. 1}`\n")
    (root / "conf.py").write_text(
        (root / "conf.py").read_text() + "import claimref.bibcheck\nclaimref.bibcheck._check_file = lambda *a: 1 / 0\n"
    )
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert record.read_text().split() == passed


BAD_BIBS = [
    # An unbalanced brace is named at its own field's line, not where pybtex gives up.
    (
        "@misc{x, kind = {treaty}, title = {T}, date = {2011}}\n@misc{y,\n  kind = {un},\n  title = {Open,\n"
        "  date = {2011}\n}\n@misc{z, kind = {un}, title = {Z}, date = {2011}}\n",
        "refs.bib:4: unbalanced braces in field title",
    ),
    ("@misc{x, kind = {treaty}, title = {T}, date = {2011}}\n@misc{y, title = {Open\n", "refs.bib:2: unbalanced"),
    ("@misc{x, kind = {treaty}, title = {T} date = {2011}}\n", "refs.bib:1: "),
    (
        "@misc{x, kind = {treaty}, title = {T}, date = {2011}}\n"
        "@misc{x, kind = {treaty}, title = {U}, date = {2011}}\n",
        "refs.bib:2: ",
    ),
]


@pytest.mark.parametrize(("bib", "message"), BAD_BIBS, ids=["unbalanced", "unclosed", "syntax", "duplicate-key"])
def test_bib_syntax_error_stops_the_build_naming_file_and_line(tmp_path: Path, bib: str, message: str) -> None:
    root = _bib_project(tmp_path, bib)
    for _attempt in (1, 2):  # and it stays, on every later build, until fixed
        result = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(root), str(tmp_path / "o")],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 2
        lines = [ln for ln in result.stderr.splitlines() if ln.strip() and "matplotlib" not in ln]
        assert len(lines) == 1 and message in lines[0], result.stderr
        assert "Traceback" not in result.stderr and "report" not in result.stderr
        assert not (tmp_path / "o" / "index.html").exists()


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("{fn}`no-such-key{para. 1}`", "unknown citation key 'no-such-key'"),
        ("{quote}`any other European Country <treaty{Art. 10}>`", "quotation does not match treaty{Art. 10}"),
    ],
    ids=["fn", "quote"],
)
def test_role_inside_a_paragraph_is_reported_at_its_own_line(
    make_app, rootdir: Path, tmp_path: Path, role: str, message: str
) -> None:
    srcdir = _copy(rootdir, "basic", tmp_path)
    page = srcdir / "claims" / "first.md"
    text = page.read_text(encoding="utf-8")
    paragraph = "Someone said it.{fn}`seed-a{para. 1}`"
    lines = [paragraph, "The paragraph goes on,", "*and on* over **several", "lines**, and then", f"cites {role}."]
    page.write_text(text.replace(paragraph, "\n".join(lines)), encoding="utf-8")
    expected = text[: text.index(paragraph)].count("\n") + 1 + 4  # the fifth line of the paragraph
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    found = [ln for ln in warnings_of(app._warning).splitlines() if message in ln]
    assert len(found) == 1 and f"claims/first.md:{expected}:" in found[0], found


def test_one_word_misquotation_diff_shows_the_word(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = _copy(rootdir, "basic", tmp_path)
    page = srcdir / "claims" / "first.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "{quote}`any other European State <treaty{Art. 10}>`",
            "{quote}`any other European Country <treaty{Art. 10}>`",
        ),
        encoding="utf-8",
    )
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    warning = next(ln for ln in warnings_of(app._warning).splitlines() if "does not match" in ln)
    assert "[-State-]" in warning and "{+Country+}" in warning, warning
