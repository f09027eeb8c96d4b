#!/usr/bin/env python3
"""The anchor manifest (docs/anchors.json): every published anchor, which no build may lose.

Usage: python scripts/anchors.py check|update [--build-dir docs/_build/html] [--manifest docs/anchors.json]

check   exit 1 if the build no longer provides an anchor of the manifest (unless the
        manifest records a redirect for its page, or the page as withdrawn)
update  add every citable anchor of the build to the manifest (never removes one), and record
        each new page and passage as first published in the build's release (from claims.json)
Run after `make html`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from claimref.anchors import Manifest, ManifestError, update, verify


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["check", "update"])
    parser.add_argument("--build-dir", type=Path, default=Path("docs/_build/html"))
    parser.add_argument("--manifest", type=Path, default=Path("docs/anchors.json"))
    args = parser.parse_args(argv)
    if not (args.build_dir / "index.html").exists():
        print(f"anchors: {args.build_dir}: no HTML build; run `make html` first", file=sys.stderr)
        return 2
    try:
        manifest = Manifest.load(args.manifest)
    except ManifestError as exc:
        print(f"anchors: {exc}", file=sys.stderr)
        return 2
    if args.command == "update":
        try:
            release = json.loads((args.build_dir / "claims.json").read_text(encoding="utf-8"))["release"]
        except (OSError, ValueError, KeyError) as exc:
            print(
                f"anchors: {args.build_dir / 'claims.json'}:1: cannot read the build's release ({exc})", file=sys.stderr
            )
            return 2
        manifest, added = update(manifest, args.build_dir, release)
        manifest.save(args.manifest)
        print(f"anchors: {added} new anchors added to {args.manifest}")
    problems = verify(manifest, args.build_dir)
    for problem in problems:
        print(f"{args.manifest}: {problem}")
    total = sum(len(f) for f in manifest.pages.values())
    print(f"anchors: {total} published anchors on {len(manifest.pages)} pages; {len(problems)} broken")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
