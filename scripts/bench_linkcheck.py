#!/usr/bin/env python3
"""Benchmark: this checker against Sphinx's linkcheck on the same 300 loopback links.

Serves 300 distinct links spread over 10 loopback hosts (127.0.0.2 to 127.0.0.11),
every response delayed 100 ms, and prints: this checker's time, Sphinx's
``-b linkcheck`` time with its default settings, their ratio, the ideal time
(links x latency / (per-host limit x hosts)), start-up times apart, the number
of requests a warm re-run within the cache TTL sends, and the time of the quote
check of the whole reference.

Usage: python scripts/bench_linkcheck.py [--links 300] [--hosts 10] [--delay 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from aiohttp import web

from claimref.check.links import LinkCheckConfig, LinkChecker, ResultCache

REPO = Path(__file__).resolve().parent.parent


def start_servers(
    hosts: list[str], delay: float, hits: Counter[str]
) -> tuple[dict[str, int], asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    ports: dict[str, int] = {}
    ready = threading.Event()

    async def handler(request: web.Request) -> web.Response:
        hits[request.host] += 1
        await asyncio.sleep(delay)
        return web.Response(text="<html><head><title>ok</title></head><body>ok</body></html>", content_type="text/html")

    async def start() -> None:
        for host in hosts:
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", handler)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, host, 0, backlog=1024)
            await site.start()
            ports[host] = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()

    def main() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    threading.Thread(target=main, daemon=True).start()
    ready.wait(30)
    return ports, loop


def sphinx_linkcheck(urls: list[str], workdir: Path) -> tuple[float, float]:
    """Wall time of ``sphinx-build -b linkcheck`` on a page of *urls*, and on an empty page (start-up)."""
    times = []
    for name, links in (("empty", []), ("links", urls)):
        src = workdir / name
        src.mkdir()
        (src / "conf.py").write_text("project = 'bench'\n")
        body = "\n".join(f"- `link {i} <{url}>`_" for i, url in enumerate(links))
        (src / "index.rst").write_text(f"Bench\n=====\n\n{body}\n")
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "linkcheck", "-q", str(src), str(workdir / f"out-{name}")],
            check=False,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    return times[1], times[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=300)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.1)
    args = parser.parse_args()

    hosts = [f"127.0.0.{i}" for i in range(2, 2 + args.hosts)]
    hits: Counter[str] = Counter()
    ports, _ = start_servers(hosts, args.delay, hits)
    urls = [f"http://{hosts[i % len(hosts)]}:{ports[hosts[i % len(hosts)]]}/doc/{i}" for i in range(args.links)]
    config = LinkCheckConfig()
    print(f"{args.links} links on {args.hosts} loopback hosts, every response delayed {args.delay * 1000:.0f} ms")

    startup = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; t=time.perf_counter(); import claimref.check.cli; print(time.perf_counter()-t)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        cache_path = Path(tmp) / "cache.json"
        checker = LinkChecker(config, ResultCache(cache_path, config.cache_ttl, print))
        started = time.perf_counter()
        results = checker.check({url: set() for url in urls})
        ours = time.perf_counter() - started
        assert all(r.status.passes for r in results.values()), "some loopback link failed"
        before = sum(hits.values())
        warm_checker = LinkChecker(config, ResultCache(cache_path, config.cache_ttl, print))
        started = time.perf_counter()
        warm_checker.check({url: set() for url in urls})
        warm = time.perf_counter() - started
        warm_requests = sum(hits.values()) - before

        before = sum(hits.values())
        theirs, theirs_startup = sphinx_linkcheck(urls, Path(tmp))
        sphinx_requests = sum(hits.values()) - before

    ideal = args.links * args.delay / (config.per_host * args.hosts)
    sphinx_checking = theirs - theirs_startup
    print()
    print(f"{'':38} {'seconds':>9}")
    sent = checker.requests_sent
    print(f"{'this checker: checking':38} {ours:9.3f}   ({sent} requests, per-host limit {config.per_host})")
    print(f"{'this checker: import start-up':38} {float(startup.stdout):9.3f}")
    print(f"{'sphinx linkcheck: whole run':38} {theirs:9.3f}   ({sphinx_requests} requests, default settings)")
    print(f"{'sphinx linkcheck: start-up (no links)':38} {theirs_startup:9.3f}")
    print(f"{'sphinx linkcheck: checking':38} {sphinx_checking:9.3f}")
    print(f"{'ideal (links x latency / concurrency)':38} {ideal:9.3f}")
    print()
    print(f"speed-up over Sphinx linkcheck (checking times): {sphinx_checking / ours:6.1f}x  (target >= 5x)")
    print(f"this checker / ideal:                             {ours / ideal:6.2f}   (target <= 1.5)")
    print(f"warm re-run within the TTL: {warm_requests} requests in {warm:.3f} s  (target 0)")

    started = time.perf_counter()
    quotes = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "check_references.py"),
            "quotes",
            "--build-dir",
            str(REPO / "docs/_build/html"),
        ],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    inner = next(
        (ln for ln in quotes.stdout.splitlines() if "quotations checked" in ln), "no build: run `make html` first"
    )
    print(
        f"quote check of the whole reference: {inner}; {wall:.3f} s wall time with interpreter start-up (target < 1 s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
