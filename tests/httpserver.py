"""A real HTTP(S) server on 127.0.0.1 for link-check tests, run in a thread, counting requests."""

from __future__ import annotations

import asyncio
import gzip
import ssl
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from aiohttp import web


class LoopbackServer:
    """Serves the endpoints the link checker must handle; ``hits[path]`` counts requests."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.methods: Counter[tuple[str, str]] = Counter()
        self._flaky: Counter[str] = Counter()
        self.base = ""

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._count])
        router = app.router

        class _Router:
            """Wraps plain callables as async handlers; an HTTPException returned is raised."""

            @staticmethod
            def add_route(method: str, path: str, handler):  # type: ignore[no-untyped-def]
                if asyncio.iscoroutinefunction(handler):
                    return router.add_route(method, path, handler)

                async def wrapped(request: web.Request) -> web.StreamResponse:
                    response = handler(request)
                    if isinstance(response, web.HTTPException):
                        raise response
                    return response

                return router.add_route(method, path, wrapped)

        r = _Router()
        r.add_route(
            "*",
            "/ok",
            lambda req: web.Response(
                text="<html><head><title>Fine</title></head><body>ok</body></html>", content_type="text/html"
            ),
        )
        r.add_route("*", "/404", lambda req: web.Response(status=404, text="no"))
        r.add_route("*", "/410", lambda req: web.Response(status=410, text="gone"))
        r.add_route("*", "/403", lambda req: web.Response(status=403, text="automated requests are not allowed"))
        r.add_route("*", "/500", lambda req: web.Response(status=500, text="boom"))
        r.add_route("*", "/301", lambda req: web.HTTPMovedPermanently("/ok"))
        r.add_route("*", "/302", lambda req: web.HTTPFound("/ok"))
        r.add_route("*", "/chain1", lambda req: web.HTTPFound("/chain2"))
        r.add_route("*", "/chain2", lambda req: web.HTTPFound("/chain3"))
        r.add_route("*", "/chain3", lambda req: web.HTTPFound("/ok"))
        r.add_route("*", "/loop-a", lambda req: web.HTTPFound("/loop-b"))
        r.add_route("*", "/loop-b", lambda req: web.HTTPFound("/loop-a"))
        r.add_route("*", "/to-404", lambda req: web.HTTPFound("/404"))
        r.add_route("*", "/429", self._rate_limited)
        r.add_route("*", "/503", self._recovers)
        r.add_route("*", "/slow", self._slow)
        r.add_route("*", "/no-head", self._no_head)
        r.add_route("*", "/anchors", lambda req: web.Response(text=_ANCHOR_PAGE, content_type="text/html"))
        r.add_route("*", "/gzip", self._gzip)
        r.add_route("*", "/huge", self._huge)
        r.add_route("*", "/short", self._short)
        r.add_route(
            "*",
            "/soft404",
            lambda req: web.Response(
                text="<html><head><title>Page not found</title></head><body>Sorry</body></html>",
                content_type="text/html",
            ),
        )
        r.add_route("*", "/doc.pdf", lambda req: web.Response(body=b"%PDF-1.4 fake", content_type="application/pdf"))
        r.add_route("*", "/live.html", lambda req: web.Response(text=self.live_page, content_type="text/html"))
        return app

    live_page = "<html><body><p>Article 1</p></body></html>"

    @web.middleware
    async def _count(self, request: web.Request, handler):  # type: ignore[no-untyped-def]
        self.hits[request.path] += 1
        self.methods[(request.method, request.path)] += 1
        return await handler(request)

    async def _rate_limited(self, request: web.Request) -> web.StreamResponse:
        self._flaky["429"] += 1
        if self._flaky["429"] == 1:
            return web.Response(status=429, headers={"Retry-After": "1"})
        return web.Response(text="<html><head><title>Now fine</title></head></html>", content_type="text/html")

    async def _recovers(self, request: web.Request) -> web.StreamResponse:
        self._flaky["503"] += 1
        if self._flaky["503"] <= 2:
            return web.Response(status=503)
        return web.Response(text="<html><head><title>Back</title></head></html>", content_type="text/html")

    async def _slow(self, request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(5)
        return web.Response(text="late")

    async def _no_head(self, request: web.Request) -> web.StreamResponse:
        if request.method == "HEAD":
            return web.Response(status=405)
        return web.Response(text="<html><head><title>GET only</title></head></html>", content_type="text/html")

    async def _gzip(self, request: web.Request) -> web.StreamResponse:
        body = gzip.compress(b"<html><head><title>Zipped</title></head><body><h2 id='inside'>x</h2></body></html>")
        return web.Response(body=body, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        await response.write(b"<html><head><title>Huge</title></head><body>")
        try:
            for _ in range(2000):  # up to 128 MB; the checker must stop long before
                await response.write(b"<p>" + b"x" * 65536 + b"</p>")
        except (ConnectionResetError, RuntimeError):
            pass
        return response

    async def _short(self, request: web.Request) -> web.StreamResponse:
        if request.method == "HEAD":
            return web.Response(status=405)
        response = web.StreamResponse(headers={"Content-Type": "text/html", "Content-Length": "1000"})
        await response.prepare(request)
        await response.write(b"<html><head><title>Short</title></head>")
        request.transport.close()  # type: ignore[union-attr]
        return response


_ANCHOR_PAGE = """<html><head><title>Anchors</title></head><body>
<h2 id="art-5">Article 5</h2><a name="art-10">Article 10</a></body></html>"""


@contextmanager
def serve(server: LoopbackServer, ssl_context: ssl.SSLContext | None = None, host: str = "127.0.0.1") -> Iterator[str]:
    """Run *server* on *host*, port 0, in a thread; yield its base URL."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, object] = {}

    async def start() -> None:
        runner = web.AppRunner(server.app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, 0, ssl_context=ssl_context)
        await site.start()
        state["runner"] = runner
        state["port"] = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()

    def main() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    ready.wait(10)
    scheme = "https" if ssl_context else "http"
    server.base = f"{scheme}://{host}:{state['port']}"
    try:
        yield server.base
    finally:
        asyncio.run_coroutine_threadsafe(state["runner"].cleanup(), loop).result(10)  # type: ignore[attr-defined]
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
