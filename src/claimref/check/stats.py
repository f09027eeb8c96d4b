"""How much of the reference rests on the record itself: the figures of the content issues.

Read from the build (citations, quotations and statements in the pickled
environment), references.bib and sources/, as the checker reads them. Each
figure is printed with its target; ``--strict`` makes a missed target exit 1.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pybtex.database

from ..passages import judge_quotation
from .collect import BuildData, BuildNotFoundError, load_build

NO_LOCATOR = "n.p."


@dataclass(frozen=True)
class Figure:
    name: str
    count: int
    total: int  # 0: a plain count, not a share
    target: str  # e.g. "<= 25 %", ">= 45", ">= 40 %"; empty: a figure reported without a target

    @property
    def value(self) -> float:
        return 100 * self.count / self.total if self.total else float(self.count)

    @property
    def met(self) -> bool:
        if not self.target:
            return True
        op, number = self.target.split()[:2]
        limit = float(number)
        return self.value <= limit if op == "<=" else self.value >= limit

    def render(self) -> str:
        shown = f"{self.count} of {self.total} ({self.value:.0f} %)" if self.total else str(self.count)
        verdict = f"target {self.target:<8} {'met' if self.met else 'NOT MET'}" if self.target else "(no target)"
        return f"{self.name:<58} {shown:>20}   {verdict}"


def figures(build: BuildData) -> list[Figure]:
    entries = {}
    for bibfile in build.bibfiles:
        entries.update(pybtex.database.parse_file(str(bibfile)).entries)
    seeds = {k for k, e in entries.items() if e.fields.get("kind") == "seed"}
    # As the dataset lists them: each (page, key, locator) once, however often the page repeats it.
    citations = sorted({(c.docname, c.key, c.locator): c for c in build.citations}.values())
    quotations = build.quotations
    # A UN document has an Official Document System symbol (S/..., A/..., E/...); press releases
    # (SC/..., GA/...) and other bodies' symbols are not addressed by that scheme.
    un_no_url = [
        k
        for k, e in entries.items()
        if e.fields.get("kind") == "un"
        and re.match(r"^[SAE]/", str(e.fields.get("docsymbol", "")))
        and not e.fields.get("url")
    ]
    with_passages = [s for s in build.sources.values() if any(p.text for p in s.passages)]
    statements = build.statements
    originals = [
        s
        for s in statements
        if s.original and judge_quotation(build.sources, s.original_key, s.original_locator, s.original).ok
    ]
    per_claim = Counter(s.claim_id for s in statements)
    return [
        Figure(
            "citations that point to a seed document", sum(c.key in seeds for c in citations), len(citations), "<= 25 %"
        ),
        Figure(
            "quotations taken from a seed document", sum(q.key in seeds for q in quotations), len(quotations), "<= 30 %"
        ),
        Figure(
            "citations with no locator (n.p.)",
            sum(c.locator == NO_LOCATOR for c in citations),
            len(citations),
            "<= 10 %",
        ),
        Figure("source files with stored passages (sources/*.yaml)", len(with_passages), 0, ">= 45"),
        Figure(
            "references.bib entries with a URL",
            sum(bool(e.fields.get("url")) for e in entries.values()),
            len(entries),
            ">= 40 %",
        ),
        Figure("UN documents with a symbol but no URL", len(un_no_url), 0, "<= 0"),
        Figure("statements by named officials", len(statements), 0, ">= 70"),
        Figure("statements with the Russian original verified", len(originals), 0, ">= 20"),
        Figure(
            "claim pages naming the officials who made the claim",
            sum(per_claim[c] >= 1 for c in build.claim_ids),
            len(build.claim_ids),
            ">= 100 %",
        ),
        Figure(
            "claim pages with two or more statements",
            sum(per_claim[c] >= 2 for c in build.claim_ids),
            len(build.claim_ids),
            "",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="source_stats", description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=Path("docs/_build/html"), help="the HTML build to read")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    args = parser.parse_args(argv)
    try:
        build = load_build(args.build_dir)
    except BuildNotFoundError as exc:
        print(f"source_stats: {exc}")
        return 2
    rows = figures(build)
    for row in rows:
        print(row.render())
    missed = [r.name for r in rows if not r.met]
    targets = [r for r in rows if r.target]
    print(f"{len(targets) - len(missed)} of {len(targets)} targets met")
    return 1 if args.strict and missed else 0
