"""The real-page part of bench_build.py: the reference's own claim pages, cloned by the thousand.

A copy of the project (docs/, references.bib, sources/) gets clones of every
claim page in docs/claims/ until it has N claim pages: every citation,
quotation and section kept, only the claim ID and the title changed. Each copy
is built as the reference is built: Furo with its full navigation,
``-W --keep-going -n``. A small extension (written into the copy, never into
the project) times the claim directives with their nested content.
"""

from __future__ import annotations

import filecmp
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD_OPTIONS = ("-W", "--keep-going", "-n")
# Options of claim pages that the extension no longer accepts; pages still carrying them are cleaned in the copy.

TIMER = '''"""Bench only: total time in the claim directives (with their nested content), written at the end."""
import json, time
from pathlib import Path
from claimref import model

_spent = [0.0]

def _timed(run):
    def wrapper(self):
        started = time.process_time()  # CPU time: other processes on the machine do not count
        try:
            return run(self)
        finally:
            _spent[0] += time.process_time() - started
    return wrapper

def _write(app, exc):
    pages = len(app.env.get_domain("claim").claims)
    Path(app.outdir, "bench-directives.json").write_text(json.dumps({"seconds": _spent[0], "pages": pages}))

def setup(app):
    for directive in (model.ClaimDirective, model.ClaimSectionDirective):
        directive.run = _timed(directive.run)
    app.connect("build-finished", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


@dataclass
class Build:
    """One sphinx-build run: wall-clock and CPU seconds, peak memory (MB)."""

    wall: float
    cpu: float
    max_rss_mb: float


_STATEMENT = re.compile(r"(?<=\{claim-statement\} )[a-z0-9-]+")


def make_real_project(root: Path, claim_pages: int) -> Path:
    """A copy of the project with *claim_pages* claim pages (the originals and clones); returns its docs dir."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("_build"))
    shutil.copy(REPO / "references.bib", root / "references.bib")
    shutil.copytree(REPO / "sources", root / "sources")
    claims = root / "docs" / "claims"
    originals = sorted(claims.glob("*.md"))
    for number in range(max(claim_pages - len(originals), 0)):
        page = originals[number % len(originals)]
        claim_id, clone_id = page.stem, f"{page.stem}-clone-{number}"
        text = page.read_text()
        title, _, rest = text.partition("\n")
        text = f"{title} (clone {number})\n{rest}"
        text = text.replace(f"```{{claim}} {claim_id}\n", f"```{{claim}} {clone_id}\n", 1)
        # Statement IDs are unique across the reference: each clone's statements get their own.
        text = _STATEMENT.sub(rf"\g<0>-clone-{number}", text)
        (claims / f"{clone_id}.md").write_text(text)
    (root / "docs" / "claimref_bench_timer.py").write_text(TIMER)
    conf = root / "docs" / "conf.py"
    conf.write_text(
        conf.read_text() + "\nimport sys\nsys.path.insert(0, str(__import__('pathlib').Path(__file__).parent))\n"
        "extensions.append('claimref_bench_timer')\n"
    )
    return root / "docs"


def run_build(docs: Path, out: Path, *extra: str) -> Build:
    """Build *docs* into *out*; fail loudly with the build's own error."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", *BUILD_OPTIONS, *extra, str(docs), str(out)]
    env = {**os.environ, "CLAIMREF_DATE": "2026-12-01", "CLAIMREF_BASE_URL": ""}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    _stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    # communicate() has reaped the child; its usage is in RUSAGE_CHILDREN, counted per child below.
    if process.returncode != 0:
        raise SystemExit(f"build failed in {docs}:\n{stderr[-3000:]}")
    return Build(wall, *_child_usage())


_seen_cpu = [0.0]


def _child_usage() -> tuple[float, float]:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    spent, _seen_cpu[0] = cpu - _seen_cpu[0], cpu
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: builds run in increasing size.
    return spent, usage.ru_maxrss / 1024


def directive_ms_per_page(out: Path) -> float:
    data = json.loads((out / "bench-directives.json").read_text())
    return 1000 * data["seconds"] / max(data["pages"], 1)


def same_output(one: Path, other: Path) -> list[str]:
    """The files among the HTML pages, claims.json, objects.inv and the search index that differ between two builds."""
    names = [
        *sorted(str(p.relative_to(one)) for p in one.rglob("*.html")),
        "claims.json",
        "objects.inv",
        "searchindex.js",
    ]
    differ = [name for name in names if not (other / name).exists() or not filecmp.cmp(one / name, other / name, False)]
    missing = {str(p.relative_to(other)) for p in other.rglob("*.html")} - set(names)
    return differ + sorted(missing)


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def measure_real(base: Path, sizes: list[int], parallel_at: int) -> None:
    """Build each size serially, then the parallel comparison, the incremental and no-change rebuilds."""
    print(
        f"Real claim pages: clones of the reference's {len(list((REPO / 'docs' / 'claims').glob('*.md')))} pages, "
        f"Furo with navigation, {' '.join(BUILD_OPTIONS)}; {load()}",
        flush=True,
    )
    builds: dict[int, Build] = {}
    directives: dict[int, float] = {}
    for size in sorted(set(sizes) | {parallel_at}):
        docs = make_real_project(base / f"real-{size}", size)
        builds[size] = run_build(docs, docs / "_build" / "serial")
        directives[size] = directive_ms_per_page(docs / "_build" / "serial")
        print(
            f"  {size:5} pages, serial: {builds[size].wall:7.1f} s wall, {builds[size].cpu:7.1f} s CPU, "
            f"{builds[size].max_rss_mb:6.0f} MB; claim directives {directives[size]:.1f} ms CPU a page",
            flush=True,
        )
    ordered = sorted(builds)
    print()
    for small, large in itertools.pairwise(ordered):
        per_page = (builds[large].wall - builds[small].wall) / (large - small)
        cpu_per_page = (builds[large].cpu - builds[small].cpu) / (large - small)
        print(
            f"each added page, {small} -> {large}: {per_page:.3f} s wall, {cpu_per_page:.3f} s CPU "
            f"(target <= 0.1 s: {verdict(per_page <= 0.1)})"
        )
    for small, large in itertools.pairwise(ordered):
        if large == 2 * small:
            growth = builds[large].wall / builds[small].wall
            print(
                f"growth {small} -> {large} pages: {growth:.2f}x wall, "
                f"{builds[large].cpu / builds[small].cpu:.2f}x CPU (target <= 2.1x: {verdict(growth <= 2.1)})"
            )
    largest = ordered[-1]
    memory = builds[largest].max_rss_mb
    print(f"memory at {largest} pages: {memory:.0f} MB peak (target < 1 GB at 1,000: {verdict(memory < 1024)})")
    worst = max(directives.values())
    print(
        f"claim directives with nested content: {worst:.1f} ms a page at most (target <= 20 ms: {verdict(worst <= 20)})"
    )

    docs = base / f"real-{parallel_at}" / "docs"
    parallel = run_build(docs, docs / "_build" / "parallel", "-j", "auto")
    speedup = builds[parallel_at].wall / parallel.wall
    differ = same_output(docs / "_build" / "serial", docs / "_build" / "parallel")
    print(
        f"-j auto at {parallel_at} pages ({os.cpu_count()} cores): {parallel.wall:.1f} s against "
        f"{builds[parallel_at].wall:.1f} s serial, {speedup:.2f}x (target >= 1.6x: {verdict(speedup >= 1.6)}); "
        "HTML, claims.json, objects.inv, searchindex.js "
        + ("identical" if not differ else "DIFFER: " + ", ".join(differ[:5]))
    )

    docs = base / f"real-{largest}" / "docs"
    page = next((docs / "claims").glob("*-clone-0.md"))
    page.write_text(
        page.read_text().replace("\n```{claim-section} the-record\n", "\n```{claim-section} the-record\nA change.\n", 1)
    )
    incremental = run_build(docs, docs / "_build" / "serial")
    ratio = incremental.wall / builds[largest].wall
    print(
        f"one page changed at {largest} pages: {incremental.wall:.1f} s, {ratio:.1%} of the full build "
        f"(target < 10 %: {verdict(ratio < 0.1)})"
    )

    docs = make_real_project(base / "reference", 0)
    run_build(docs, docs / "_build" / "html")
    unchanged = run_build(docs, docs / "_build" / "html")
    print(f"no-change rebuild of the reference: {unchanged.wall:.2f} s (target < 2 s: {verdict(unchanged.wall < 2)})")
    print(load(), flush=True)
