#!/usr/bin/env python3
"""Benchmark: the reference's own claim pages by the thousand (Furo, full navigation), and synthetic pages
with claimref's ``fn`` role against stock ``footcite``.

Real pages (issue 11): a copy of the project whose claim pages are the
reference's own, cloned (every citation, quotation and section kept; only the
ID and title changed) up to each size in ``--real`` (total claim pages), built
as the reference is built (Furo with its navigation, ``-W --keep-going -n``).
It prints, each against its target: the cost of each added page, serial (at
most 0.1 s); the growth from each size to the next (twice the pages, at most
2.1x the time); the memory at the largest size (under 1 GB); the claim
directives with their nested content per page (at most 20 ms); ``-j auto``
against one process at ``--parallel-at`` pages (at least 1.6x, and the same
HTML, claims.json and objects.inv); a one-page incremental rebuild at the
largest size (under 10 % of the full build); and a no-change rebuild of the
reference itself (under 2 s). The machine's load average is printed with the
figures: other processes on it slow the wall-clock figures down.

Synthetic pages (issue 2):
Each page has six locator citations and one quotation. The claimref pages are
full claim pages (header, sections, quotation checked against its passage,
"Cite this" box, generated indexes, dataset); a second claimref variant is the
stock page itself with ``fn`` in place of ``footcite``, the roles like for like;
a third has no citations at all, which is Sphinx's own cost. Prints, for both
versions, the full build time, the incremental rebuild time after one page
changes, and the full build time with ``-j auto``; then the speed-up and the
incremental/full ratio. Targets (issue 2): at 1,000 pages at least 10x faster
than stock footcite, and an incremental rebuild within 10 % of a full build.

Usage: python scripts/bench_build.py [--real 250,500,1000] [--parallel-at 500] [--pages 1000] [--keep DIR]
(``--real ''`` or ``--pages 0`` skips that part.)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEYS = 60
# Both variants build without the sidebar's global table of contents: Sphinx renders it
# for every page (O(N^2) in N pages, the same for both), which would hide what is measured.
SIDEBARS = "html_sidebars = {'**': []}\n"


def write_bib(path: Path) -> None:
    entries = [
        f"@misc{{src-{k}, kind = {{treaty}}, author = {{{{Body {k}}}}}, title = {{Document {k}}}, "
        f"address = {{Geneva}}, date = {{2001-01-{1 + k % 28:02d}}}, "
        f"url = {{https://example.org/doc/{k}}}, year = {{2001}}}}"
        for k in range(KEYS)
    ]
    entries.append("@misc{seed-a, kind = {seed}, author = {{NATO}}, title = {Seed}, date = {2014-04}, year = {2014}}")
    path.write_text("\n".join(entries) + "\n")


PASSAGE = "The Parties may, by unanimous agreement, invite any other European State to accede to this Treaty."


def claimref_page(i: int) -> str:
    cites = [f"src-{(i + n) % KEYS}{{Art. {n + 1}}}" for n in range(6)]
    return f"""# Synthetic claim {i}

```{{claim}} synthetic-{i}
:statement: Synthetic statement number {i}.
:themes: alpha
:seeds: seed-a
:summary: The record of synthetic claim {i}.
```

```{{claim-section}} the-claim
An official made claim {i}.{{fn}}`{cites[0]}`
```

```{{claim-section}} the-record
The first source says one thing.{{fn}}`{cites[1]}` The second says another.{{fn}}`{cites[2]}`
A third agrees.{{fn}}`{cites[3]}` A fourth disagrees.{{fn}}`{cites[4]}` A fifth settles it.{{fn}}`{cites[5]}`
The treaty allows states to {{quote}}`invite any other European State <src-0{{Art. 10}}>` to join.
```

```{{claim-section}} sources
```
"""


def stock_page(i: int) -> str:
    keys = [f"src-{(i + n) % KEYS}" for n in range(6)]
    return f"""# Synthetic claim {i}

## The claim

An official made claim {i}.{{footcite}}`{keys[0]}`

## The record

The first source says one thing.{{footcite}}`{keys[1]}` The second says another.{{footcite}}`{keys[2]}`
A third agrees.{{footcite}}`{keys[3]}` A fourth disagrees.{{footcite}}`{keys[4]}`
A fifth settles it.{{footcite}}`{keys[5]}`
The treaty allows states to "invite any other European State" to join.{{footcite}}`src-0`

## Sources

```{{footbibliography}}
```
"""


def plain_page(i: int) -> str:
    """The same prose with no citation or quotation markup: what Sphinx costs on its own."""
    return f"""# Synthetic claim {i}

## The claim

An official made claim {i}.

## The record

The first source says one thing. The second says another.
A third agrees. A fourth disagrees.
A fifth settles it.
The treaty allows states to invite any other European State to join.

## Sources

None.
"""


def fn_only_page(i: int) -> str:
    """The stock page with ``{fn}`key{locator}``` in place of ``{footcite}``: the roles compared like for like."""
    page = stock_page(i).replace("```{footbibliography}\n```\n", "")
    for n in range(6):
        key = f"src-{(i + n) % KEYS}"
        page = page.replace(f"{{footcite}}`{key}`", f"{{fn}}`{key}{{Art. {n + 1}}}`", 1)
    return page.replace("{footcite}`src-0`", "{fn}`src-0{Art. 10}`")


def make_fn_only_project(root: Path, pages: int) -> None:
    (root / "claims").mkdir(parents=True)
    write_bib(root / "refs.bib")
    (root / "conf.py").write_text(
        "extensions = ['myst_parser', 'claimref']\nbibtex_bibfiles = ['refs.bib']\n"
        "claimref_themes = {'alpha': 'Alpha'}\n" + SIDEBARS
    )
    (root / "index.md").write_text("# Bench\n\n```{toctree}\n:glob:\n\nclaims/*\n```\n")
    for i in range(pages):
        (root / "claims" / f"synthetic-{i}.md").write_text(fn_only_page(i))


def make_plain_project(root: Path, pages: int) -> None:
    (root / "claims").mkdir(parents=True)
    (root / "conf.py").write_text("extensions = ['myst_parser']\n" + SIDEBARS)
    (root / "index.md").write_text("# Bench\n\n```{toctree}\n:glob:\n\nclaims/*\n```\n")
    for i in range(pages):
        (root / "claims" / f"synthetic-{i}.md").write_text(plain_page(i))


def make_project(root: Path, pages: int, stock: bool) -> None:
    (root / "claims").mkdir(parents=True)
    write_bib(root / "refs.bib")
    if stock:
        (root / "conf.py").write_text(
            "extensions = ['myst_parser', 'sphinxcontrib.bibtex']\nbibtex_bibfiles = ['refs.bib']\n" + SIDEBARS
        )
        (root / "index.md").write_text("# Bench\n\n```{toctree}\n:glob:\n\nclaims/*\n```\n")
    else:
        (root / "conf.py").write_text(
            "extensions = ['myst_parser', 'claimref']\nbibtex_bibfiles = ['refs.bib']\n"
            "claimref_themes = {'alpha': 'Alpha'}\nclaimref_sources_dir = 'sources'\n" + SIDEBARS
        )
        (root / "sources").mkdir()
        (root / "sources" / "src-0.yaml").write_text(
            "key: src-0\nprovenance:\n  url: https://example.org/doc/0\n  obtained: 2026-11-23\n"
            f"  method: transcribed\n  note: synthetic\npassages:\n  - locator: Art. 10\n    text: {PASSAGE}\n"
        )
        (root / "alpha.md").write_text("# Alpha\n\n```{claim-index}\n:theme: alpha\n```\n")
        (root / "sources.md").write_text("# Sources\n\n```{source-list}\n```\n")
        (root / "texts.md").write_text("# Source texts\n\n```{source-texts}\n```\n")
        (root / "index.md").write_text("# Bench\n\n```{toctree}\n:glob:\n\nalpha\nsources\ntexts\nclaims/*\n```\n")
    for i in range(pages):
        (root / "claims" / f"synthetic-{i}.md").write_text(stock_page(i) if stock else claimref_page(i))


def build(root: Path, out: Path, *extra: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", *extra, str(root), str(out)],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stderr[-3000:]}")
    return elapsed


def measure(root: Path, pages: int, stock: bool) -> dict[str, float]:
    make_project(root, pages, stock)
    out = root / "_build"
    full = build(root, out)
    page = root / "claims" / "synthetic-0.md"
    page.write_text(page.read_text().replace("An official made", "A minister made"))
    incremental = build(root, out)
    shutil.rmtree(out)
    parallel = build(root, out, "-j", "auto")
    return {"full": full, "incremental": incremental, "parallel": parallel}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", default="250,500,1000", help="sizes of the real-page projects (claim pages)")
    parser.add_argument("--parallel-at", type=int, default=500, help="size at which -j auto is compared")
    parser.add_argument("--pages", type=int, default=1000, help="synthetic pages (0: skip)")
    parser.add_argument("--keep", type=Path, help="keep the generated projects here")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="claimref-bench-"))
    try:
        sizes = [int(size) for size in args.real.split(",") if size.strip()]
        if sizes:
            from bench_real import measure_real

            measure_real(base, sizes, args.parallel_at)
            print()
        if args.pages:
            synthetic(base, args.pages)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


def synthetic(base: Path, pages: int) -> None:
    """The synthetic comparison against stock footcite (issue 2)."""
    print(f"{pages} synthetic claim pages, six locator citations and one quotation each", flush=True)
    print("(both variants: default theme, html_sidebars empty, one process unless -j auto)", flush=True)
    ours = measure(base / "claimref", pages, stock=False)
    print(f"claimref done: {ours}", flush=True)
    stock = measure(base / "footcite", pages, stock=True)
    make_plain_project(base / "plain", pages)
    floor = build(base / "plain", base / "plain" / "_build")
    make_fn_only_project(base / "fn-only", pages)
    fn_only = build(base / "fn-only", base / "fn-only" / "_build")
    print()
    print(f"{'':28} {'claimref fn':>12} {'stock footcite':>15} {'speed-up':>9}")
    for name, label in (
        ("full", "full build"),
        ("incremental", "one page changed"),
        ("parallel", "full build, -j auto"),
    ):
        print(f"{label:28} {ours[name]:11.1f}s {stock[name]:14.1f}s {stock[name] / ours[name]:8.1f}x")
    print()
    like_for_like = stock["full"] / fn_only
    print(f"{'stock pages, fn for footcite':28} {fn_only:11.1f}s {stock['full']:14.1f}s {like_for_like:8.1f}x")
    print(f"{'same pages, no citations':28} {floor:11.1f}s   (what Sphinx itself costs: the floor)")
    print()
    print(f"full build speed-up over stock footcite: {stock['full'] / ours['full']:.1f}x (target >= 10x)")
    print(
        f"citation cost above the floor: claimref {ours['full'] - floor:.1f}s, stock footcite "
        f"{stock['full'] - floor:.1f}s ({(stock['full'] - floor) / max(ours['full'] - floor, 0.01):.1f}x); "
        f"the largest speed-up any citation role could reach here: {stock['full'] / floor:.1f}x"
    )
    ratio = ours["incremental"] / ours["full"]
    print(f"claimref incremental / full build: {ratio:.1%} (target <= 10 %)")


if __name__ == "__main__":
    sys.exit(main())
