"""scripts/source_stats.py: the content figures, computed from a real build of a small root."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _stats(build: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    script = REPO / "scripts" / "source_stats.py"
    return subprocess.run(
        [sys.executable, str(script), "--build-dir", str(build), *extra], capture_output=True, text=True
    )


def test_figures_match_the_root(rootdir: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(rootdir / "test-statements", root)
    page = root / "claims" / "first.md"
    # One seed citation with no locator's stand-in (n.p.) beside the treaty citation.
    page.write_text(
        page.read_text().replace("to join.{fn}`treaty{Art. 10}`", "to join.{fn}`treaty{Art. 10}`{fn}`seed-a{n.p.}`")
    )
    build = root / "_build"
    built = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(root), str(build)], capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    result = _stats(build)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = {line[:58].strip(): line[58:] for line in result.stdout.splitlines()}
    # Citations: treaty Art. 10 (fn and quote share it), seed-a n.p., agency-en, agency-ru para. 2 and 5.
    assert "1 of 5 (20 %)" in lines["citations that point to a seed document"]
    assert "1 of 5 (20 %)" in lines["citations with no locator (n.p.)"]
    assert "0 of 4 (0 %)" in lines["quotations taken from a seed document"]
    assert lines["source files with stored passages (sources/*.yaml)"].split()[0] == "3"
    assert "3 of 4 (75 %)" in lines["references.bib entries with a URL"]
    assert lines["statements by named officials"].split()[0] == "2"
    assert lines["statements with the Russian original verified"].split()[0] == "2"
    assert "1 of 1 (100 %)" in lines["claim pages naming the officials who made the claim"]
    strict = _stats(build, "--strict")
    assert strict.returncode == 1  # 2 statements is short of the 70 the reference needs


def test_no_build_is_exit_2(tmp_path: Path) -> None:
    assert _stats(tmp_path / "nothing").returncode == 2
