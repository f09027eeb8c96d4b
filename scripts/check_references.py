#!/usr/bin/env python3
"""Prove that every quotation matches its source and every link resolves.

Usage: python scripts/check_references.py quotes|links|all [--offline|--online] [--live [--refresh]]
       [--format text|json|junit] [--output FILE] [--build-dir docs/_build/html]

Reads the HTML build (`make html` first). Exit status: 0 everything resolves,
1 something does not, 2 a usage or configuration error.
"""

import sys

from claimref.check.cli import main

if __name__ == "__main__":
    sys.exit(main())
