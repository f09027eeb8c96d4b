"""External link checking: asyncio + aiohttp, polite per host, cached between runs.

What it does, per URL (each URL is fetched once, however many pages or anchors cite it):

* http and https only; anything else is ``skipped`` with its scheme.
* One streamed GET per URL (not HEAD: every HTML page's head is read, for soft
  404s, and a HEAD would cost a second request for nearly every link); the body
  is read only as far as needed. At most ``max_redirects`` redirects, loops
  detected; a permanent redirect (301/308) is reported with its new URL.
* ``#fragment`` anchors are looked for in HTML by streaming the body until all
  are found or ``max_body`` bytes are read. PDFs are accepted by content type.
* Every HTML page is read: a 200 page whose title or heading says it was not
  found is a suspected soft 404, and a body shorter than its declared
  ``Content-Length`` is broken (truncated).
* A connection or name-resolution failure is no answer from a server: the link
  is ``unchecked`` (network unreachable), never ``broken``, and never cached.
* Timeouts for connect, read and total; retries with exponential backoff for
  5xx, 429 and connection faults, honouring ``Retry-After`` up to a cap.
* At most ``per_host`` requests in flight to one host, ``host_delay`` apart.
* TLS is verified: a self-signed certificate is ``broken``, never accepted.
* Results are cached (JSON, written atomically) for ``cache_ttl`` seconds, so a
  re-run within the TTL sends no request.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import email.utils
import json
import os
import re
import ssl
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from enum import StrEnum
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import aiohttp


class Status(StrEnum):
    OK = "ok"
    REDIRECTED = "redirected"  # permanent redirect: works, but the citation should be updated
    BROKEN = "broken"
    TIMEOUT = "timeout"
    ANCHOR_MISSING = "anchor-missing"
    SOFT_404 = "soft-404"
    SKIPPED = "skipped"  # not http(s)
    UNCHECKED = "unchecked"  # offline: not checked, never counted as fine
    ARCHIVED = "archived"  # the live site refused the check (403/429); its archived copy resolves

    @property
    def passes(self) -> bool:
        return self in {Status.OK, Status.REDIRECTED, Status.SKIPPED, Status.ARCHIVED}


def blocks_automated_checks(result: LinkResult) -> bool:
    """A government site that refuses robots answers 403, or 429 however politely asked."""
    return result.status is Status.BROKEN and result.detail.startswith(("HTTP 403", "HTTP 429"))


@dataclasses.dataclass(frozen=True)
class LinkCheckConfig:
    """A frozen snapshot of every setting; the checker never sees the Sphinx app."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5  # first retry delay; doubles each time
    retry_after_cap: float = 30.0
    max_redirects: int = 10
    per_host: int = 4
    host_delay: float = 0.0
    max_body: int = 5 * 1024 * 1024
    cache_ttl: float = 24 * 3600.0
    user_agent: str = "claimref-linkcheck/1.0 (+scholarly reference link check)"
    ssl_context: ssl.SSLContext | None = None  # None: the system's verified default
    resolver_factory: Callable[[], Any] | None = None  # None: aiohttp's default resolver (tests inject one)


@dataclasses.dataclass(frozen=True)
class LinkResult:
    url: str  # without fragment
    status: Status
    detail: str = ""
    new_url: str = ""  # for a permanent redirect
    anchors_missing: tuple[str, ...] = ()
    from_cache: bool = False

    def for_anchor(self, anchor: str) -> tuple[Status, str]:
        """The verdict for one citation of this URL with ``#anchor`` (or none)."""
        if anchor and anchor in self.anchors_missing and self.status.passes:
            return Status.ANCHOR_MISSING, f"#{anchor} not found in the page"
        return self.status, self.detail


_NOT_FOUND = re.compile(r"\b(page not found|not found|404|does not exist|no longer available)\b", re.I)


class _PageScanner(HTMLParser):
    """Collects ids/names and the title and first heading, fed chunk by chunk."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.title = ""
        self.heading = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"id", "name"} and value:
                self.ids.add(value)
        if tag in {"title", "h1"}:
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title" and len(self.title) < 300:
            self.title += data
        elif self._in == "h1" and len(self.heading) < 300:
            self.heading += data


class ResultCache:
    """URL -> result, with a timestamp; a corrupt file is reported and rebuilt."""

    def __init__(self, path: Path | None, ttl: float, warn: Callable[[str], None]) -> None:
        self.path, self.ttl, self.entries = path, ttl, {}
        if path is None or not path.exists():
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("results"), dict):
                raise ValueError("not a claimref link cache")
            self.entries = data["results"]
        except (OSError, ValueError) as exc:
            warn(f"{path}:1: unreadable link cache ({exc}); it will be rebuilt")
            self.entries = {}

    def get(self, url: str, anchors: Iterable[str], now: float) -> LinkResult | None:
        entry = self.entries.get(url)
        if not entry or now - entry["checked"] > self.ttl:
            return None
        if not set(anchors) <= set(entry["anchors_checked"]):
            return None
        missing = tuple(a for a in entry["anchors_missing"] if a in set(anchors))
        return LinkResult(url, Status(entry["status"]), entry["detail"], entry["new_url"], missing, from_cache=True)

    def put(self, result: LinkResult, anchors: Iterable[str], now: float) -> None:
        # Transient verdicts are not cached: they are worth trying again next run.
        if result.status in {Status.TIMEOUT, Status.UNCHECKED, Status.SKIPPED}:
            return
        self.entries[result.url] = {
            "status": str(result.status),
            "detail": result.detail,
            "new_url": result.new_url,
            "anchors_checked": sorted(set(anchors)),
            "anchors_missing": list(result.anchors_missing),
            "checked": now,
        }

    def save(self) -> None:
        if self.path is None:
            return
        atomic_write(self.path, json.dumps({"version": 1, "results": self.entries}, indent=1, sort_keys=True))


def atomic_write(path: Path, text: str, *, durable: bool = True) -> None:
    """Write *text* to *path* so that an interrupted run leaves the old file intact.

    *durable* also syncs to disk (caches, source files); build outputs, which a
    rebuild recreates, skip that cost. An unchanged file is not rewritten.
    """
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class _RetryableError(Exception):
    def __init__(self, detail: str, wait: float | None = None, *, unreachable: bool = False) -> None:
        super().__init__(detail)
        self.detail, self.wait, self.unreachable = detail, wait, unreachable


class LinkChecker:
    """Check many URLs concurrently, at most ``per_host`` in flight to each host."""

    def __init__(
        self,
        config: LinkCheckConfig,
        cache: ResultCache | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.config = config
        self.cache = cache
        self.progress = progress
        self.requests_sent = 0
        self._host_locks: dict[str, asyncio.Semaphore] = {}
        self._host_last: dict[str, float] = defaultdict(float)

    def check(self, wanted: dict[str, set[str]]) -> dict[str, LinkResult]:
        """*wanted*: URL without fragment -> anchors cited with it. Returns one result per URL."""
        return asyncio.run(self._check_all(wanted))

    async def _check_all(self, wanted: dict[str, set[str]]) -> dict[str, LinkResult]:
        results: dict[str, LinkResult] = {}
        now = time.time()
        todo = []
        for url, anchors in sorted(wanted.items()):
            scheme = urlsplit(url).scheme.lower()
            if scheme not in {"http", "https"}:
                results[url] = LinkResult(url, Status.SKIPPED, f"{scheme or 'no'} scheme is not checked")
                continue
            cached = self.cache.get(url, anchors, now) if self.cache else None
            if cached is not None:
                results[url] = cached
            else:
                todo.append((url, anchors))
        timeout = aiohttp.ClientTimeout(
            total=None, connect=self.config.connect_timeout, sock_read=self.config.read_timeout
        )
        resolver = self.config.resolver_factory() if self.config.resolver_factory else None
        connector = aiohttp.TCPConnector(limit=0, ssl=self.config.ssl_context or True, resolver=resolver)
        done = 0
        async with aiohttp.ClientSession(
            timeout=timeout,
            connector=connector,
            headers={"User-Agent": self.config.user_agent},
            auto_decompress=True,
        ) as session:

            async def one(url: str, anchors: set[str]) -> None:
                nonlocal done
                try:
                    result = await asyncio.wait_for(self._check_url(session, url, anchors), self.config.total_timeout)
                except TimeoutError:
                    result = LinkResult(url, Status.TIMEOUT, f"no answer within {self.config.total_timeout:g} s in all")
                results[url] = result
                if self.cache:
                    self.cache.put(result, anchors, time.time())
                done += 1
                if self.progress:
                    self.progress(done, len(todo))

            await asyncio.gather(*(one(url, anchors) for url, anchors in todo))
        if self.cache:
            self.cache.save()
        return results

    def _host_lock(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).netloc.lower()
        if host not in self._host_locks:
            self._host_locks[host] = asyncio.Semaphore(self.config.per_host)
        return self._host_locks[host]

    async def _polite(self, url: str) -> None:
        if self.config.host_delay <= 0:
            return
        host = urlsplit(url).netloc.lower()
        loop = asyncio.get_running_loop()
        wait = self._host_last[host] + self.config.host_delay - loop.time()
        self._host_last[host] = max(loop.time(), self._host_last[host] + self.config.host_delay)
        if wait > 0:
            await asyncio.sleep(wait)

    async def _check_url(self, session: aiohttp.ClientSession, url: str, anchors: set[str]) -> LinkResult:
        attempt = 0
        while True:
            try:
                return await self._follow(session, url, anchors)
            except _RetryableError as retry:
                attempt += 1
                if attempt > self.config.retries:
                    if retry.unreachable:
                        return LinkResult(url, Status.UNCHECKED, f"network unreachable: {retry.detail}")
                    status = Status.TIMEOUT if "timed out" in retry.detail else Status.BROKEN
                    return LinkResult(url, status, f"{retry.detail} (after {attempt} attempts)")
                wait = self.config.backoff * 2 ** (attempt - 1)
                if retry.wait is not None:
                    wait = min(max(retry.wait, 0.0), self.config.retry_after_cap)
                await asyncio.sleep(wait)

    async def _follow(self, session: aiohttp.ClientSession, url: str, anchors: set[str]) -> LinkResult:
        current, seen, permanent_to = url, {url}, ""
        use_get = True
        for _hop in range(self.config.max_redirects + 1):
            async with self._host_lock(current):
                await self._polite(current)
                outcome = await self._request(session, current, use_get, anchors)
            kind, payload = outcome
            if kind == "retry-get":
                use_get = True
                async with self._host_lock(current):
                    await self._polite(current)
                    kind, payload = await self._request(session, current, True, anchors)
            if kind == "redirect":
                code, location = payload
                target = urldefrag(urljoin(current, location))[0]
                if target in seen:
                    return LinkResult(url, Status.BROKEN, f"redirect loop at {target}")
                seen.add(target)
                if code in (301, 308) and not permanent_to and current == url:
                    permanent_to = target
                elif code in (301, 308) and permanent_to:
                    permanent_to = target
                current = target
                continue
            status, detail, missing = payload
            if status is Status.OK and permanent_to:
                return LinkResult(url, Status.REDIRECTED, f"permanently moved to {permanent_to}", permanent_to, missing)
            if status is not Status.OK and len(seen) > 1:
                detail = f"{detail} (after redirect to {current})"
            return LinkResult(url, status, detail, "", missing)
        return LinkResult(url, Status.BROKEN, f"more than {self.config.max_redirects} redirects")

    async def _request(
        self, session: aiohttp.ClientSession, url: str, use_get: bool, anchors: set[str]
    ) -> tuple[str, Any]:
        method = "GET" if use_get else "HEAD"
        self.requests_sent += 1
        try:
            async with session.request(method, url, allow_redirects=False) as response:
                code = response.status
                if code in (301, 302, 303, 307, 308):
                    location = response.headers.get("Location")
                    if not location:
                        return "done", (Status.BROKEN, f"{code} without a Location header", ())
                    return "redirect", (code, location)
                if code == 429 or code >= 500:
                    raise _RetryableError(f"HTTP {code}", _retry_after(response.headers.get("Retry-After")))
                if method == "HEAD" and code in (400, 403, 405, 501):
                    return "retry-get", None
                if code >= 400:
                    return "done", (Status.BROKEN, f"HTTP {code}", ())
                return "done", await self._inspect(response, method, anchors)
        except _RetryableError:
            raise
        except aiohttp.ClientConnectorCertificateError as exc:
            return "done", (Status.BROKEN, f"TLS certificate not trusted: {exc.certificate_error}", ())
        except aiohttp.ClientSSLError as exc:
            return "done", (Status.BROKEN, f"TLS error: {exc}", ())
        except aiohttp.ClientPayloadError as exc:
            return "done", (Status.BROKEN, f"body ended early or was malformed: {exc}", ())
        except aiohttp.ClientConnectorError as exc:
            # No connection was made (refused, no route, no name): no server answered anything.
            raise _RetryableError(f"connection failed: {exc}", unreachable=True) from None
        except (aiohttp.ClientConnectionError, aiohttp.ServerTimeoutError, TimeoutError) as exc:
            detail = (
                "timed out"
                if isinstance(exc, (TimeoutError, aiohttp.ServerTimeoutError))
                else f"connection failed: {exc}"
            )
            raise _RetryableError(detail) from None

    async def _inspect(
        self, response: aiohttp.ClientResponse, method: str, anchors: set[str]
    ) -> tuple[Status, str, tuple[str, ...]]:
        ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if method == "HEAD":
            return Status.OK, f"HTTP {response.status} {ctype}".strip(), ()
        if ctype == "application/pdf":
            return Status.OK, "PDF (accepted by content type)", ()
        if "html" not in ctype:
            return Status.OK, f"HTTP {response.status} {ctype}", tuple(sorted(anchors))
        scanner = _PageScanner()
        read = 0
        declared = response.content_length
        # Read to the end when the length is declared and within max_body, so a truncated body shows.
        whole = declared is not None and declared <= self.config.max_body
        async for chunk in response.content.iter_chunked(64 * 1024):
            read += len(chunk)
            scanner.feed(chunk.decode(response.charset or "utf-8", errors="replace"))
            if not whole and anchors and anchors <= scanner.ids and scanner.title:
                break
            if not whole and not anchors and (scanner.title or read > 64 * 1024):
                break
            if read >= self.config.max_body:
                break
        encoded = response.headers.get("Content-Encoding", "identity").lower() not in {"", "identity"}
        if whole and declared is not None and not encoded and read < declared:
            return Status.BROKEN, f"body truncated: {read} of {declared} declared bytes", ()
        missing = tuple(sorted(anchors - scanner.ids))
        if _NOT_FOUND.search(scanner.title) or _NOT_FOUND.search(scanner.heading):
            title = " ".join((scanner.title or scanner.heading).split())
            return Status.SOFT_404, f"HTTP 200 but the page says {title!r}", missing
        detail = f"HTTP {response.status}"
        if missing and read >= self.config.max_body:
            detail += f"; stopped reading at {self.config.max_body} bytes"
        return Status.OK, detail, missing


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    when = email.utils.parsedate_to_datetime(value)
    return max(0.0, when.timestamp() - time.time()) if when else None
