#!/usr/bin/env python3
"""Print how much of the reference rests on the record itself, each figure against its target.

Usage: python scripts/source_stats.py [--build-dir docs/_build/html] [--strict]

Reads the HTML build (`make html` first). Exit status: 0, or 1 with --strict when a
target is missed; 2 when there is no build.
"""

import sys

from claimref.check.stats import main

if __name__ == "__main__":
    sys.exit(main())
