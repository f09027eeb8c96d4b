#!/usr/bin/env python3
"""Write each claim's short verdict into its page: ``:verdict:`` after the claim's ``:summary:``.

Usage: python scripts/apply_verdicts.py VERDICTS.tsv [--claims docs/claims]

VERDICTS.tsv has one line per claim: the claim ID, a tab, the verdict (under 75 characters).
A page that already has a ``:verdict:`` gets the new one in its place. Every line is checked
before any page is written; a bad line is reported as FILE:LINE and nothing is changed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from claimref.check.links import atomic_write
from claimref.model import VERDICT_MAX


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("verdicts", type=Path)
    parser.add_argument("--claims", type=Path, default=Path("docs/claims"))
    args = parser.parse_args(argv)
    edits: dict[Path, str] = {}
    for number, line in enumerate(args.verdicts.read_text(encoding="utf-8").splitlines(), 1):
        claim_id, tab, verdict = line.partition("\t")
        page = args.claims / f"{claim_id}.md"
        problem = ""
        if not tab or not verdict.strip():
            problem = "expected: claim ID, a tab, the verdict"
        elif len(verdict.strip()) >= VERDICT_MAX:
            problem = f"the verdict has {len(verdict.strip())} characters; it must be under {VERDICT_MAX}"
        elif not page.is_file():
            problem = f"no claim page {page}"
        text = "" if problem else edits.get(page, page.read_text(encoding="utf-8"))
        summary = re.search(r"^:summary:.*\n(?P<next>.*)", text, re.M) if not problem else None
        if not problem and (summary is None or summary.group("next")[:1] in {" ", "\t"}):
            problem = f"{page} has no one-line :summary: to put the verdict after"
        if problem:
            print(f"{args.verdicts}:{number}: {problem}", file=sys.stderr)
            return 2
        text = re.sub(r"^:verdict:.*\n", "", text, flags=re.M)
        insert = f":verdict: {verdict.strip()}\n"
        edits[page] = re.sub(
            r"^(:summary:.*\n)", lambda m, insert=insert: m.group(1) + insert, text, count=1, flags=re.M
        )
    for page, text in edits.items():
        atomic_write(page, text)
    print(f"apply_verdicts: {len(edits)} pages given a verdict")
    return 0


if __name__ == "__main__":
    sys.exit(main())
