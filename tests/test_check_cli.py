"""scripts/check_references.py end to end: exit codes, reports, bad input, live drift."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from httpserver import LoopbackServer, serve

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "check_references.py"


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd)


def _build(root: Path, out: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(root), str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _copy_basic(rootdir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(rootdir / "test-basic", root)
    return root


@pytest.fixture
def project(rootdir: Path, tmp_path: Path) -> Path:
    """A copy of the `basic` root, built."""
    root = _copy_basic(rootdir, tmp_path)
    _build(root, root / "_build")
    return root


def test_all_offline_passes_and_counts_unchecked(project: Path) -> None:
    result = _run("all", "--offline", "--build-dir", str(project / "_build"), "--cache", str(project / "c.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "external links were NOT checked: --offline was given" in result.stdout
    assert "unchecked" in result.stdout


def test_json_report_lists_every_quotation_and_link(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.jsonl"
    result = _run("all", "--offline", "--format", "json", "--output", str(out), "--build-dir", str(project / "_build"))
    assert result.returncode == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    quotes = [r for r in rows if r["type"] == "quotation"]
    assert quotes and all({"file", "line", "key", "locator", "text", "status"} <= r.keys() for r in quotes)
    assert quotes[0]["status"] == "verified" and quotes[0]["file"].endswith("claims/first.md")
    links = [r for r in rows if r["type"] == "link"]
    assert {r["url"] for r in links} >= {"https://example.org/treaty", "https://example.org/copy"}
    assert all(r["status"] == "unchecked" for r in links)


def test_changed_source_passage_fails_with_file_line_and_diff(project: Path) -> None:
    source = project / "sources" / "treaty.yaml"
    source.write_text(source.read_text().replace("any other European State", "any European State"))
    result = _run("quotes", "--build-dir", str(project / "_build"))
    assert result.returncode == 1
    assert "claims/first.md:" in result.stdout and "mismatch" in result.stdout
    assert "{+other+}" in result.stdout


def test_missing_build_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("quotes", "--build-dir", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert "no build environment" in result.stderr


def test_corrupt_environment_is_a_clear_error(project: Path) -> None:
    (project / "_build" / ".doctrees" / "environment.pickle").write_bytes(b"not a pickle")
    result = _run("quotes", "--build-dir", str(project / "_build"))
    assert result.returncode == 2 and "cannot read the build environment" in result.stderr


def test_malformed_source_file_is_reported_with_file_and_line(project: Path) -> None:
    (project / "sources" / "treaty.yaml").write_text("key: treaty\nprovenance: [\n")
    result = _run("quotes", "--build-dir", str(project / "_build"))
    assert result.returncode == 2
    assert "treaty.yaml:" in result.stderr and "not valid YAML" in result.stderr


def test_usage_error_exits_2() -> None:
    assert _run("everything").returncode == 2
    assert _run("quotes", "--refresh").returncode == 2


def test_links_online_against_loopback_with_cache(rootdir: Path, tmp_path: Path) -> None:
    server = LoopbackServer()
    with serve(server) as base:
        root = _copy_basic(rootdir, tmp_path)
        bib = root / "refs.bib"
        bib.write_text(bib.read_text().replace("https://example.org/treaty", f"{base}/301"))
        for yaml_file in (root / "sources").glob("*.yaml"):
            text = yaml_file.read_text().replace("https://example.org/treaty", f"{base}/anchors#art-5")
            yaml_file.write_text(text.replace("https://example.org/copy", f"{base}/404"))
        _build(root, root / "_build")
        args = ("links", "--online", "--build-dir", str(root / "_build"), "--cache", str(tmp_path / "cache.json"))
        first = _run(*args)
        assert first.returncode == 1  # the /404 copy
        assert "sources/treaty.yaml:" in first.stdout and "HTTP 404" in first.stdout
        assert "refs.bib:1: link redirected" in first.stdout and f"permanently moved to {base}/ok" in first.stdout
        hits = sum(server.hits.values())
        second = _run(*args)
        assert second.returncode == 1 and "0 HTTP requests sent" in second.stdout
        assert sum(server.hits.values()) == hits  # the warm re-run sent nothing


def test_live_mode_detects_drift_and_refreshes_atomically(rootdir: Path, tmp_path: Path) -> None:
    server = LoopbackServer()
    server.live_page = "<html><body><p>The Parties may, by unanimous agreement, invite any other European State\nin a position to further the principles of this Treaty to accede to this Treaty.</p><p>The Parties agree that an armed attack against one or more of them shall be considered an attack against them all.</p></body></html>"  # noqa: E501
    with serve(server) as base:
        root = _copy_basic(rootdir, tmp_path)
        source = root / "sources" / "treaty.yaml"
        source.write_text(source.read_text().replace("url: https://example.org/treaty", f"url: {base}/live.html"))
        _build(root, root / "_build")
        ok = _run("quotes", "--live", "--refresh", "--offline", "--build-dir", str(root / "_build"))
        assert ok.returncode == 0, ok.stdout
        refreshed = source.read_text()
        assert "method: fetched" in refreshed and "sha256: " in refreshed
        assert not list(source.parent.glob(".treaty.yaml.*"))  # no temporary file left behind
        server.live_page = "<html><body><p>The Parties may invite any European State.</p></body></html>"
        drifted = _run("quotes", "--live", "--build-dir", str(root / "_build"))
        assert drifted.returncode == 1
        assert "drifted" in drifted.stdout and "Art. 10" in drifted.stdout


def test_site_blocking_checks_falls_back_to_the_archived_copy(rootdir: Path, tmp_path: Path) -> None:
    server = LoopbackServer()
    with serve(server) as base:
        root = _copy_basic(rootdir, tmp_path)
        bib = root / "refs.bib"
        text = bib.read_text().replace("url = {https://example.org/treaty}", f"url = {{{base}/403}}")
        text = text.replace(
            "urldate = {2026-11-23}",
            f"urldate = {{2026-11-23}}, archiveurl = {{{base}/ok}}, archivedate = {{2024-05-01}}",
        )
        bib.write_text(text)
        _build(root, root / "_build")
        page = (root / "_build" / "claims" / "first.html").read_text()
        assert f'data-originalurl="{base}/403"' in page and f'data-versionurl="{base}/ok"' in page
        assert 'data-versiondate="2024-05-01"' in page and "archived copy:" in page
        result = _run("links", "--online", "--build-dir", str(root / "_build"), "--cache", str(tmp_path / "c.json"))
        assert "link archived: " in result.stdout and "the live site refused the check (HTTP 403)" in result.stdout
        assert server.hits["/403"] >= 1 and server.hits["/ok"] >= 1


def test_internal_fragment_links_relative_and_root_absolute(tmp_path: Path) -> None:
    from claimref.check.collect import BuildData, check_internal_fragments

    out = tmp_path / "html"
    (out / "claims").mkdir(parents=True)
    (out / "index.html").write_text('<a href="claims/a.html#the-record">ok</a><a href="claims/a.html#gone">bad</a>')
    (out / "claims" / "a.html").write_text('<section id="the-record"></section><a href="../index.html">up</a>')
    (out / "404.html").write_text('<a href="/site/claims/a.html#the-record">ok</a><a href="/site/missing.html">bad</a>')
    build = BuildData(tmp_path, out, out / ".doctrees", [], [], {}, [], [], {}, site_path="/site/")
    problems = {(where.file, href): problem for where, href, problem in check_internal_fragments(build)}
    assert problems == {
        ("index.html", "claims/a.html#gone"): "no element with id 'gone' on a.html",
        ("404.html", "/site/missing.html"): "target page does not exist in the build",
    }


def test_junit_report_keeps_the_diff_and_unique_test_names(project: Path, tmp_path: Path) -> None:
    from xml.etree import ElementTree

    page = project / "claims" / "first.md"
    # The same misquotation twice on one line: two test cases, two names.
    bad = "{quote}`any European State <treaty{Art. 10}>`"
    page.write_text(page.read_text().replace("to join.", f"to join, {bad} and {bad}."))
    _build(project, project / "_build")
    out = tmp_path / "report.xml"
    result = _run("all", "--offline", "--format", "junit", "--output", str(out), "--build-dir", str(project / "_build"))
    assert result.returncode == 1
    suite = ElementTree.fromstring(out.read_text())
    names = [case.get("name") for case in suite.iter("testcase")]
    assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]
    failures = [case.find("failure") for case in suite.iter("testcase") if case.find("failure") is not None]
    assert len(failures) == 2
    assert all("diff: any [-other-] European State" in (f.text or "") for f in failures)
    assert int(suite.get("failures") or 0) == 2


def test_links_to_files_of_the_build_must_resolve(project: Path) -> None:
    out = project / "_build"
    page = out / "pages" / "texts.html"
    html = page.read_text()
    # As the Source texts page once linked the seed files it was never given: a file not in the build.
    page.write_text(
        html.replace("</body>", '<a href="../seeds/001.txt">seed</a><a href="../claims.json">data</a></body>')
    )
    result = _run("links", "--offline", "--build-dir", str(out))
    assert result.returncode == 1
    assert "../seeds/001.txt" in result.stdout and "target file does not exist in the build" in result.stdout
    assert "../claims.json" not in result.stdout  # claims.json is in the build
