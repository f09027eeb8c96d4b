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
