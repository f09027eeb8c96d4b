"""Print a seed document's paragraphs numbered as the reference cites them (``para. N``).

Usage: python scripts/seed_paragraphs.py SEED_FILE [WORD ...]
Paragraphs run blank line to blank line from the first line of text; with
WORDs, only paragraphs containing all of them (case-insensitive) are printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from claimref.seeds import seed_paragraphs


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    words = [w.lower() for w in argv[1:]]
    for number, text in enumerate(seed_paragraphs(Path(argv[0]).read_text(encoding="utf-8")), 1):
        if all(w in text.lower() for w in words):
            print(f"para. {number}: {text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
