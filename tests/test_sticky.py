"""A failed check stays failed: an unchanged rebuild warns again until the page is fixed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CASES = [
    ("unknown-key", "claims/first.md", "unknown citation key 'no-such-key'"),
    ("unknown-theme", "claims/first.md", "unknown theme 'gamma'"),
    ("duplicate-id", "claims/second.md", "duplicate claim ID 'first'"),
    ("bad-quote", "claims/first.md", "quotation does not match"),
]


def _build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(root), str(out)],
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(("root", "page", "message"), CASES, ids=[c[0] for c in CASES])
def test_unchanged_rebuild_fails_again_until_fixed(
    rootdir: Path, tmp_path: Path, root: str, page: str, message: str
) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / f"test-{root}", src)
    out = tmp_path / "out"
    for attempt in (1, 2, 3):
        result = _build(src, out)
        assert result.returncode != 0, f"build {attempt} passed"
        assert message in result.stderr and page in result.stderr, f"build {attempt}: {result.stderr}"
    # Fixed (every file as the good root has it): the build passes, and stays passing.
    shutil.rmtree(src)
    shutil.copytree(rootdir / "test-basic", src)
    for attempt in (1, 2):
        result = _build(src, out)
        assert result.returncode == 0, f"fixed build {attempt}: {result.stderr}"


def test_dataset_lists_a_duplicate_id_once(rootdir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-duplicate-id", src)
    out = tmp_path / "out"
    _build(src, out)
    _build(src, out)
    ids = [c["id"] for c in json.loads((out / "claims.json").read_text())["claims"]]
    assert ids.count("first") == 1


def test_build_interrupted_while_writing_is_redone_whole(rootdir: Path, tmp_path: Path) -> None:
    import re
    import signal
    import time

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", src)
    pages = src / "pages" / "many"
    pages.mkdir()
    for n in range(600):
        (pages / f"p{n:03}.md").write_text(f"# Page {n}\n\nWord{n} and some text to index.\n")
    index = src / "index.md"
    index.write_text(index.read_text().replace("pages/*", "pages/*\npages/many/*"))
    out = tmp_path / "out"
    build = subprocess.Popen(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.time() + 120
    while not list((out / "pages" / "many").glob("p*.html")) and time.time() < deadline:
        time.sleep(0.02)
    build.send_signal(signal.SIGINT)  # Ctrl-C, once the writing has begun
    assert build.wait(60) != 0, "the build finished before it could be interrupted"
    for attempt in (1, 2):
        result = _build(src, out)
        assert result.returncode == 0, f"build {attempt} after the interruption: {result.stderr}"
    searchindex = (out / "searchindex.js").read_text()
    docnames = re.search(r'"docnames":\[(.*?)\]', searchindex)
    assert docnames is not None and docnames.group(1).count('"pages/many/p') == 600
    assert len(list((out / "pages" / "many").glob("p*.html"))) == 600
