"""Link checking against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import pytest
import trustme
from httpserver import LoopbackServer, serve

from claimref.check.links import LinkCheckConfig, LinkChecker, ResultCache, Status

FAST = LinkCheckConfig(
    connect_timeout=2, read_timeout=1.0, total_timeout=3.0, retries=3, backoff=0.05, retry_after_cap=2
)


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    srv = LoopbackServer()
    with serve(srv):
        yield srv


def check(
    server: LoopbackServer, paths: dict[str, set[str]], config: LinkCheckConfig = FAST, cache: ResultCache | None = None
):  # type: ignore[no-untyped-def]
    checker = LinkChecker(config, cache)
    results = checker.check({server.base + p: anchors for p, anchors in paths.items()})
    return {url.removeprefix(server.base): result for url, result in results.items()}, checker


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/ok", Status.OK, "HTTP 200"),
        ("/404", Status.BROKEN, "HTTP 404"),
        ("/410", Status.BROKEN, "HTTP 410"),
        ("/302", Status.OK, "HTTP 200"),
        ("/chain1", Status.OK, "HTTP 200"),
        ("/loop-a", Status.BROKEN, "redirect loop"),
        ("/to-404", Status.BROKEN, "HTTP 404 (after redirect to"),
        ("/soft404", Status.SOFT_404, "Page not found"),
        ("/doc.pdf", Status.OK, "PDF"),
        ("/gzip", Status.OK, "HTTP 200"),
    ],
)
def test_verdicts(server: LoopbackServer, path: str, status: Status, detail: str) -> None:
    # Cited without an anchor: every HTML page's head is read all the same, so a soft 404 shows.
    results, _ = check(server, {path: set()})
    assert results[path].status is status
    assert detail in results[path].detail


def test_permanent_redirect_reports_the_new_url(server: LoopbackServer) -> None:
    results, _ = check(server, {"/301": set()})
    assert results["/301"].status is Status.REDIRECTED
    assert results["/301"].new_url == server.base + "/ok"


def test_three_hop_chain_is_followed(server: LoopbackServer) -> None:
    results, _ = check(server, {"/chain1": set()})
    assert results["/chain1"].status is Status.OK
    assert [server.hits[p] for p in ("/chain1", "/chain2", "/chain3", "/ok")] == [1, 1, 1, 1]


def test_500_is_retried_then_broken(server: LoopbackServer) -> None:
    results, _ = check(server, {"/500": set()})
    assert results["/500"].status is Status.BROKEN
    assert server.hits["/500"] == FAST.retries + 1


def test_429_honours_retry_after_then_succeeds(server: LoopbackServer) -> None:
    import time

    started = time.perf_counter()
    results, _ = check(server, {"/429": set()})
    assert results["/429"].status is Status.OK
    assert server.hits["/429"] == 2
    assert time.perf_counter() - started >= 0.9  # waited for Retry-After: 1


def test_503_recovers_after_retries(server: LoopbackServer) -> None:
    results, _ = check(server, {"/503": set()})
    assert results["/503"].status is Status.OK
    assert server.hits["/503"] == 3


def test_slow_endpoint_times_out(server: LoopbackServer) -> None:
    config = LinkCheckConfig(read_timeout=0.3, total_timeout=1.5, retries=1, backoff=0.05)
    results, _ = check(server, {"/slow": set()}, config)
    assert results["/slow"].status is Status.TIMEOUT


def test_one_get_per_url_so_a_server_refusing_head_is_checked(server: LoopbackServer) -> None:
    results, _ = check(server, {"/no-head": set(), "/ok": set()})
    assert results["/no-head"].status is Status.OK
    assert server.methods[("HEAD", "/no-head")] == 0 and server.methods[("GET", "/no-head")] == 1
    assert server.methods[("GET", "/ok")] == 1


def test_anchors_present_and_missing_fetch_the_page_once(server: LoopbackServer) -> None:
    results, _ = check(server, {"/anchors": {"art-5", "art-10", "art-99"}})
    result = results["/anchors"]
    assert result.for_anchor("art-5") == (Status.OK, "HTTP 200")
    assert result.for_anchor("art-10")[0] is Status.OK
    assert result.for_anchor("art-99")[0] is Status.ANCHOR_MISSING
    assert server.hits["/anchors"] == 1


def test_pdf_fetched_for_an_anchor_is_accepted_by_content_type(server: LoopbackServer) -> None:
    results, _ = check(server, {"/doc.pdf": {"page=3"}})
    assert results["/doc.pdf"].for_anchor("page=3") == (Status.OK, "PDF (accepted by content type)")


def test_anchor_inside_gzip_page(server: LoopbackServer) -> None:
    results, _ = check(server, {"/gzip": {"inside"}})
    assert results["/gzip"].for_anchor("inside")[0] is Status.OK


def test_huge_body_is_not_read_to_the_end(server: LoopbackServer) -> None:
    config = LinkCheckConfig(max_body=256 * 1024, total_timeout=10, read_timeout=5, retries=0)
    results, _ = check(server, {"/huge": {"never-there"}}, config)
    result = results["/huge"]
    assert result.for_anchor("never-there")[0] is Status.ANCHOR_MISSING
    assert "stopped reading at 262144 bytes" in result.detail


@pytest.mark.parametrize("anchors", [{"x"}, set()], ids=["with-anchor", "without-anchor"])
def test_body_shorter_than_content_length_is_broken(server: LoopbackServer, anchors: set[str]) -> None:
    results, _ = check(server, {"/short": anchors}, LinkCheckConfig(retries=0, total_timeout=5))
    assert results["/short"].status is Status.BROKEN
    assert "truncated" in results["/short"].detail or "ended early" in results["/short"].detail


def test_non_http_schemes_are_skipped_not_fetched(server: LoopbackServer) -> None:
    checker = LinkChecker(FAST)
    results = checker.check({"mailto:someone@example.org": set(), "tel:+3227071010": set()})
    assert {r.status for r in results.values()} == {Status.SKIPPED}
    assert checker.requests_sent == 0


def test_cache_within_ttl_sends_no_request(server: LoopbackServer, tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    _, checker1 = check(server, {"/ok": set(), "/anchors": {"art-5"}}, cache=ResultCache(cache_file, 3600, print))
    assert checker1.requests_sent == 2
    hits = sum(server.hits.values())
    second, checker2 = check(server, {"/ok": set(), "/anchors": {"art-5"}}, cache=ResultCache(cache_file, 3600, print))
    assert checker2.requests_sent == 0 and sum(server.hits.values()) == hits
    assert all(r.from_cache for r in second.values())
    # an anchor not yet checked is a reason to fetch again
    _, checker3 = check(server, {"/anchors": {"art-10"}}, cache=ResultCache(cache_file, 3600, print))
    assert checker3.requests_sent == 1
    # past the TTL, everything is fetched again
    _, checker4 = check(server, {"/ok": set()}, cache=ResultCache(cache_file, 0, print))
    assert checker4.requests_sent == 1


def test_corrupt_cache_is_reported_and_rebuilt(server: LoopbackServer, tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    cache_file.write_text("{ not json")
    messages: list[str] = []
    results, _ = check(server, {"/ok": set()}, cache=ResultCache(cache_file, 3600, messages.append))
    assert results["/ok"].status is Status.OK
    assert messages and f"{cache_file}:1: unreadable link cache" in messages[0]
    assert json.loads(cache_file.read_text())["version"] == 1


def test_per_host_limit_is_respected(server: LoopbackServer) -> None:
    import asyncio

    from aiohttp import web

    in_flight = {"now": 0, "max": 0}

    async def counted(request: web.Request) -> web.Response:
        in_flight["now"] += 1
        in_flight["max"] = max(in_flight["max"], in_flight["now"])
        await asyncio.sleep(0.05)
        in_flight["now"] -= 1
        return web.Response(text="ok")

    srv = LoopbackServer()
    original = srv.app

    def app() -> web.Application:
        application = original()
        for i in range(20):
            application.router.add_route("*", f"/p{i}", counted)
        return application

    srv.app = app  # type: ignore[method-assign]
    with serve(srv):
        checker = LinkChecker(LinkCheckConfig(per_host=3))
        results = checker.check({f"{srv.base}/p{i}": set() for i in range(20)})
    assert all(r.status is Status.OK for r in results.values())
    assert in_flight["max"] == 3


def test_self_signed_certificate_is_broken_not_accepted(tmp_path: Path) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_context)
    srv = LoopbackServer()
    with serve(srv, ssl_context=server_context) as base:
        checker = LinkChecker(FAST)
        results = checker.check({base + "/ok": set()})
    result = results[base + "/ok"]
    assert result.status is Status.BROKEN
    assert "certificate" in result.detail.lower()


class _FailingResolver:
    """A resolver that answers nothing, as without a network; no DNS query leaves the machine."""

    async def resolve(self, host: str, port: int = 0, family: int = 0) -> list[dict[str, object]]:
        raise OSError(-3, f"Temporary failure in name resolution: {host}")

    async def close(self) -> None:
        return None


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:  # bound and closed again: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_no_network_is_unchecked_never_broken_and_never_cached(tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    refused = f"http://127.0.0.1:{_closed_port()}/page"
    unresolvable = "http://no-such-host.invalid/page"
    config = LinkCheckConfig(retries=1, backoff=0.01, resolver_factory=_FailingResolver)
    for _run in (1, 2):  # the second run is not answered from a cache of non-answers
        checker = LinkChecker(config, ResultCache(cache_file, 3600, print))
        results = checker.check({refused: set(), unresolvable: set()})
        assert checker.requests_sent == 4  # each URL tried, and retried, every run
        for url in (refused, unresolvable):
            assert results[url].status is Status.UNCHECKED, results[url]
            assert results[url].detail.startswith("network unreachable"), results[url].detail
            assert not results[url].from_cache
    assert json.loads(cache_file.read_text())["results"] == {}
