#!/usr/bin/env python3
"""Append a seed document's paragraph(s) to its source file, word for word from the seed.

Usage: python scripts/add_seed_passage.py SOURCE_KEY N [M]

Adds ``para. N`` (or ``paras N–M``) of the seed that ``sources/SOURCE_KEY.yaml``
was supplied as, unless that locator is already there. The text is derived from
the seed file, never typed by hand; tests/test_passages.py re-derives it. The
passage is appended in one write, so the file is never left half-written.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from claimref.passages import load_source_file
from claimref.seeds import seed_paragraphs

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3) or not all(a.isdigit() for a in argv[1:]):
        print(__doc__, file=sys.stderr)
        return 2
    key, first = argv[0], int(argv[1])
    last = int(argv[2]) if len(argv) == 3 else first
    path = REPO / "sources" / f"{key}.yaml"
    source = load_source_file(path)
    if source.provenance.method != "supplied":
        print(f"{path}:1: not a seed document (method is {source.provenance.method})", file=sys.stderr)
        return 2
    seed = REPO.parent / source.provenance.copy
    paragraphs = seed_paragraphs(seed.read_text(encoding="utf-8"))
    if not 1 <= first <= last <= len(paragraphs):
        print(f"{seed}: has paragraphs 1 to {len(paragraphs)}", file=sys.stderr)
        return 2
    locator = f"para. {first}" if first == last else f"paras {first}\u2013{last}"
    if source.passage(locator) is not None:
        print(f"{path}: already has {locator}")
        return 0
    text = " ".join(paragraphs[first - 1 : last])
    entry = f"  - locator: {locator}\n    text: {json.dumps(text, ensure_ascii=False)}\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, entry.encode("utf-8"))
    finally:
        os.close(fd)
    load_source_file(path)  # still well formed
    print(f"{path}: added {locator}: {text[:80]}...")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
