"""``check_references quotes|links|all``: exit 0 when everything resolves, 1 when not, 2 on misuse."""

from __future__ import annotations

import argparse
import dataclasses
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from ..passages import SourceFileError
from .collect import (
    BuildData,
    BuildNotFoundError,
    archived_copies,
    bib_urls,
    check_internal_fragments,
    collect_links,
    element_fragment,
    external_targets,
    load_build,
)
from .links import (
    LinkCheckConfig,
    LinkChecker,
    LinkResult,
    ResultCache,
    Status,
    atomic_write,
    blocks_automated_checks,
)
from .quotes import check_live, check_quotations, fragment_links
from .report import RENDERERS, Row


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="check_references",
        description="Prove that every quotation matches its source and every link resolves.",
    )
    parser.add_argument("what", choices=["quotes", "links", "all"])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--offline", action="store_true", help="check no external link (they are reported as unchecked)")
    mode.add_argument(
        "--online", action="store_true", help="check external links even if the network looks unreachable"
    )
    parser.add_argument(
        "--live", action="store_true", help="fetch each source's URL and check its stored passages are still there"
    )
    parser.add_argument(
        "--refresh", action="store_true", help="with --live: update the provenance of sources found intact"
    )
    parser.add_argument("--format", choices=sorted(RENDERERS), default="text")
    parser.add_argument("--output", type=Path, help="write the report here (atomically) instead of standard output")
    parser.add_argument("--build-dir", type=Path, default=Path("docs/_build/html"), help="the HTML build to check")
    parser.add_argument("--cache", type=Path, default=Path(".cache/linkcheck.json"), help="link results cache")
    parser.add_argument(
        "--cache-ttl", type=float, default=LinkCheckConfig.cache_ttl, help="seconds a cached result stays valid"
    )
    parser.add_argument(
        "--per-host", type=int, default=LinkCheckConfig.per_host, help="requests in flight to one host (at most 8)"
    )
    parser.add_argument(
        "--host-delay", type=float, default=LinkCheckConfig.host_delay, help="seconds between requests to one host"
    )
    parser.add_argument("--timeout", type=float, default=LinkCheckConfig.total_timeout, help="total seconds per link")
    parser.add_argument("--retries", type=int, default=LinkCheckConfig.retries)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    return parser


def network_reachable(urls: list[str]) -> bool:
    """Can any of the first few hosts be resolved? (No network: name resolution fails at once.)"""
    hosts = []
    for url in urls:
        host = urlsplit(url).hostname
        if host and host not in hosts:
            hosts.append(host)
    for host in hosts[:5]:
        try:
            socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
            return True
        except OSError:
            continue
    return False


def _progress(done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\rchecking links [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def run(args: argparse.Namespace) -> tuple[list[Row], list[str]]:
    build = load_build(args.build_dir)
    rows: list[Row] = []
    notes: list[str] = []
    if args.what in {"quotes", "all"}:
        started = time.perf_counter()
        for v in check_quotations(build.quotations, build.unmarked, build.sources, build.doc_paths):
            fields = {"key": v.key, "locator": v.locator, "text": v.text, "nearest": v.nearest, "diff": v.diff}
            rows.append(Row("quotation", v.file, v.line, "verified" if v.ok else "mismatch", v.reason, fields, v.ok))
        notes.append(f"{len(build.quotations)} quotations checked in {time.perf_counter() - started:.3f} s")
        if args.live:
            at_source = fragment_links(build.sources, build.quotations, bib_urls(build))
            for d in check_live(build.sources, args.refresh, links=at_source, doc_paths=build.doc_paths):
                fields = {"key": d.key, "locator": d.locator, "url": d.url}
                if d.kind == "fragment":
                    status = "found" if d.ok else "not-found"
                else:
                    status = "intact" if d.ok else "drifted"
                rows.append(Row(d.kind, d.file, d.line, status, d.reason, fields, d.ok))
    if args.what in {"links", "all"}:
        for where, href, problem in check_internal_fragments(build):
            rows.append(Row("anchor", where.file, where.line, "broken", problem, {"url": href}, False))
        links = collect_links(build)
        wanted = external_targets(links)
        http = [u for u in wanted if urlsplit(u).scheme in {"http", "https"}]
        offline_reason = ""
        if args.offline:
            offline_reason = "--offline was given"
        elif not args.online and http and not network_reachable(http):
            offline_reason = "no network could be reached (name resolution failed)"
        if offline_reason:
            results = {}
            notes.append(
                f"{len(http)} external links were NOT checked: {offline_reason}. "
                "They are reported as unchecked, not as fine."
            )
        else:
            config = LinkCheckConfig(
                per_host=min(max(args.per_host, 1), 8),
                host_delay=args.host_delay,
                total_timeout=args.timeout,
                retries=args.retries,
                cache_ttl=args.cache_ttl,
            )
            cache = ResultCache(args.cache, config.cache_ttl, lambda message: notes.append(message))
            show = sys.stderr.isatty() and not args.no_progress
            checker = LinkChecker(config, cache, _progress if show else None)
            results = checker.check(wanted)
            results.update(_archived_fallback(build, results, config, cache))
            cached = sum(r.from_cache for r in results.values())
            notes.append(f"{checker.requests_sent} HTTP requests sent; {cached} results from the cache")
        for url, places in sorted(links.items()):
            base, _, fragment = url.partition("#")
            anchor = element_fragment(fragment)
            result = results.get(base)
            scheme = urlsplit(base).scheme
            for place in places:
                if result is None and scheme in {"http", "https"}:
                    rows.append(
                        Row(
                            "link",
                            place.file,
                            place.line,
                            str(Status.UNCHECKED),
                            offline_reason,
                            {"url": url},
                            False,
                            True,
                        )
                    )
                    continue
                if result is None:
                    rows.append(
                        Row(
                            "link",
                            place.file,
                            place.line,
                            str(Status.SKIPPED),
                            f"{scheme} links are not checked",
                            {"url": url},
                            True,
                        )
                    )
                    continue
                status, detail = result.for_anchor(anchor)
                fields = {"url": url, "new_url": result.new_url}
                unchecked = status is Status.UNCHECKED  # no server answered: not a verdict on the link
                rows.append(Row("link", place.file, place.line, str(status), detail, fields, status.passes, unchecked))
    return rows, notes


def _archived_fallback(
    build: BuildData, results: dict[str, LinkResult], config: LinkCheckConfig, cache: ResultCache
) -> dict[str, LinkResult]:
    """Where a site blocks automated checks, check the archived copy references.bib records instead."""
    copies = archived_copies(build)
    blocked = {url: copies[url] for url, result in results.items() if url in copies and blocks_automated_checks(result)}
    if not blocked:
        return {}
    archive_results = LinkChecker(config, cache).check({archived: set() for archived in blocked.values()})
    fallback = {}
    for url, archived in blocked.items():
        live, copy = results[url], archive_results[archived]
        if copy.status.passes:
            detail = f"the live site refused the check ({live.detail}); the archived copy {archived} resolves"
            fallback[url] = dataclasses.replace(live, status=Status.ARCHIVED, detail=detail)
        else:
            detail = f"{live.detail}; the archived copy {archived} failed too ({copy.detail})"
            fallback[url] = dataclasses.replace(live, detail=detail)
    return fallback


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.refresh and not args.live:
        parser.error("--refresh needs --live")
    try:
        rows, notes = run(args)
    except (BuildNotFoundError, SourceFileError) as exc:
        print(f"check_references: {exc}", file=sys.stderr)
        return 2
    report = RENDERERS[args.format](rows, notes)
    if args.output:
        atomic_write(args.output, report)
        if args.format != "text":
            sys.stdout.write(RENDERERS["text"](rows, notes))
    else:
        sys.stdout.write(report)
    return 1 if any(not r.passes and not r.unchecked for r in rows) else 0
