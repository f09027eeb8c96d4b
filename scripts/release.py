#!/usr/bin/env python3
"""Make a release: the live site plus the frozen copy of this release under /<release>/.

Usage: python scripts/release.py [--site docs/_build/site] [--base-url URL] [--replace]

The release is docs/conf.py's `release`; its changelog entry (release-note) must exist.
--base-url (default: $CLAIMREF_BASE_URL) is the live site's published address, ending in '/';
the frozen copy's permalinks and citations then name <base-url><release>/.
Writes .zenodo.json (Zenodo deposit metadata) and releases/<release>/anchors.json.
Exit status: 0 released, 2 the release could not be made (nothing is copied into the site).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from claimref.release_site import ReleaseError, ReleasePlan, make_release

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=REPO / "docs")
    parser.add_argument("--site", type=Path, default=REPO / "docs" / "_build" / "site")
    parser.add_argument("--base-url", default=os.environ.get("CLAIMREF_BASE_URL", ""))
    parser.add_argument("--repo", type=Path, default=REPO, help="where .zenodo.json and releases/ are written")
    parser.add_argument("--replace", action="store_true", help="rebuild a frozen copy not yet published")
    args = parser.parse_args(argv)
    if args.base_url and not args.base_url.endswith("/"):
        print(f"release: --base-url must end in '/', got {args.base_url!r}", file=sys.stderr)
        return 2
    plan = ReleasePlan(args.docs, args.site, args.base_url, args.repo, args.replace)
    try:
        release = make_release(plan)
    except ReleaseError as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 2
    print(f"release: {release} built: live site in {args.site}, frozen copy in {args.site / release}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
