"""Drive Debian's headless Chromium over the DevTools protocol (aiohttp websocket), no extra packages."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--allow-file-access-from-files",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium; ``evaluate(url, js)`` loads a page and returns a JS expression's value."""

    def __enter__(self) -> Browser:
        exe = chromium_path()
        assert exe, "chromium is not installed (Debian package chromium)"
        self.profile = tempfile.mkdtemp(prefix="claimref-chromium-")
        self.process = subprocess.Popen(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.time() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert time.time() < deadline, "chromium did not start"
            time.sleep(0.1)
        self.port = int(port_file.read_text().split()[0])
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)

    def evaluate(self, url: str, expression: str, *, dark: bool = False, wait_for: str = "true") -> Any:
        return asyncio.run(self._evaluate(url, expression, dark, wait_for))

    async def _evaluate(self, url: str, expression: str, dark: bool, wait_for: str) -> Any:
        async with aiohttp.ClientSession() as session:
            async with session.put(f"http://127.0.0.1:{self.port}/json/new?about:blank") as response:
                target = json.loads(await response.text())
            async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                ids = iter(range(1, 10_000))

                async def call(method: str, **params: Any) -> dict[str, Any]:
                    message_id = next(ids)
                    await ws.send_json({"id": message_id, "method": method, "params": params})
                    while True:
                        reply = await ws.receive_json(timeout=30)
                        if reply.get("id") == message_id:
                            assert "error" not in reply, reply
                            return reply["result"]

                if dark:
                    await call(
                        "Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "dark"}]
                    )
                await call("Page.enable")
                await call("Page.navigate", url=url)
                deadline = time.time() + 20
                while True:
                    ready = await call(
                        "Runtime.evaluate",
                        expression=f"document.readyState === 'complete' && ({wait_for})",
                        returnByValue=True,
                    )
                    if ready["result"].get("value") is True:
                        break
                    assert time.time() < deadline, f"page never satisfied {wait_for!r}"
                    await asyncio.sleep(0.2)
                result = await call("Runtime.evaluate", expression=expression, returnByValue=True)
                await session.get(f"http://127.0.0.1:{self.port}/json/close/{target['id']}")
                return result["result"].get("value")
