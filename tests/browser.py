"""Debian's headless Chromium, driven by Selenium through Debian's chromedriver; axe-core from npm.

Selenium cannot download a browser here, and needs none: it is pointed at /usr/bin/chromium
and /usr/bin/chromedriver (Debian's ``chromium`` and ``chromium-driver``).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
#: The WCAG 2.1 A and AA rules of axe-core.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromedriver_path() -> str | None:
    return shutil.which("chromedriver")


class Browser:
    """One headless Chromium; ``evaluate(url, js)`` loads a page and returns a JS expression's value."""

    def __init__(self, width: int = 1280, height: int = 900, mobile: bool = False) -> None:
        self.width, self.height, self.mobile = width, height, mobile

    def __enter__(self) -> Browser:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        exe, driver = chromium_path(), chromedriver_path()
        assert exe and driver, "chromium and chromedriver are not installed (Debian: chromium chromium-driver)"
        options = webdriver.ChromeOptions()
        options.binary_location = exe
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            f"--window-size={self.width},{self.height}",
        ):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(executable_path=driver), options=options)
        self.driver.set_page_load_timeout(30)
        self.driver.set_script_timeout(60)
        if self.mobile:
            self.driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": self.width, "height": self.height, "deviceScaleFactor": 2, "mobile": True},
            )
        return self

    def __exit__(self, *exc: object) -> None:
        self.driver.quit()

    def load(self, url: str, *, dark: bool = False, wait_for: str = "true") -> None:
        """Open *url* in the light or dark colour scheme, and wait until *wait_for* holds."""
        from selenium.webdriver.support.ui import WebDriverWait

        scheme = "dark" if dark else "light"
        self.driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
        )
        self.driver.get(url)
        WebDriverWait(self.driver, 20).until(
            lambda d: d.execute_script(f"return document.readyState === 'complete' && !!({wait_for})"),
            f"page never satisfied {wait_for!r}",
        )

    def evaluate(self, url: str, expression: str, *, dark: bool = False, wait_for: str = "true") -> Any:
        self.load(url, dark=dark, wait_for=wait_for)
        return self.driver.execute_script(f"return ({expression});")

    def axe(self, url: str, *, dark: bool = False) -> list[dict[str, Any]]:
        """axe-core's WCAG 2.1 A/AA violations on the page: rule id, impact, and the elements."""
        assert AXE.is_file(), f"{AXE} is missing: run `npm ci --prefix tests` (make test does)"
        self.load(url, dark=dark)
        self.driver.execute_script(AXE.read_text(encoding="utf-8"))
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
            ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
            " nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}))))"
            ".catch(e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));",
            AXE_TAGS,
        )
        return list(result)


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A static HTTP server for *folder* on 127.0.0.1 (port 0) in a thread; yields its base URL.

    Pagefind loads its index with fetch() and WebAssembly, which need http: a file:// URL cannot run it.
    """
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


#: True once Pagefind's UI has finished a search (its message no longer says "Searching").
PAGEFIND_DONE = (
    "document.querySelector('.pagefind-ui__message')"
    " && !document.querySelector('.pagefind-ui__message').innerText.startsWith('Searching')"
)


def _more_results(shown: int) -> Any:
    return lambda d: d.execute_script("return document.querySelectorAll('.pagefind-ui__result-link').length") > shown


def pagefind_search(browser: Browser, search_page: str, query: str) -> tuple[str, list[str]]:
    """Run *query* on the search page as a reader would (``?q=``): Pagefind's message and every result's link."""
    from urllib.parse import quote

    from selenium.webdriver.support.ui import WebDriverWait

    browser.load(f"{search_page}?q={quote(query)}", wait_for=PAGEFIND_DONE)
    message = str(browser.driver.execute_script("return document.querySelector('.pagefind-ui__message').innerText"))
    found = int(m.group(1)) if (m := re.match(r"(\d+) results?", message)) else 0
    # Pagefind shows results in pages of five: ask for more until every result is listed.
    while True:
        links = browser.driver.execute_script(
            "return Array.from(document.querySelectorAll('.pagefind-ui__result-link')).map(a => a.href)"
        )
        if len(links) >= found:
            return message, [str(link) for link in links]
        browser.driver.execute_script("document.querySelector('.pagefind-ui__button').click()")
        WebDriverWait(browser.driver, 10).until(_more_results(len(links)))
