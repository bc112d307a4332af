"""Open a written HTML file in real headless Firefox (Debian's firefox-esr) with the network cut.

Playwright drives only its own patched Firefox, and its WebDriver BiDi mode (``channel="moz-firefox"``) asks
Firefox ESR for ``emulation.setMediaFeaturesOverride``, which ESR 153 does not know: every new context
fails. So this speaks WebDriver BiDi itself, the protocol Firefox serves with ``--remote-debugging-port``,
over websocket-client: a page opened from ``file://``, every request that is not a file recorded and failed
(and a proxy to a closed port behind that), console errors and uncaught exceptions recorded, then the same
measurements as :func:`tests.browser_util.visit`. Without firefox-esr the test fails with the command that
installs it; it is never skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser_util import _ALL_DRAWN_JS, _FIGURE_FACTS_JS, PageVisit

_PREFS = {
    # The network cut below the protocol's: anything not intercepted goes to a proxy on a closed port.
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.no_proxies_on": "",
    "network.proxy.allow_hijacking_localhost": True,
    "network.dns.disablePrefetch": True,
    "browser.shell.checkDefaultBrowser": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.auto": False,
    "app.normandy.enabled": False,
    "browser.safebrowsing.update.enabled": False,
}


def firefox_path() -> str:
    """Debian's firefox-esr, or fail the test with the command that installs it."""
    for candidate in (os.environ.get("KHANALYTICS_FIREFOX"), "/usr/bin/firefox-esr", shutil.which("firefox-esr"),
                      shutil.which("firefox")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail(
        "Firefox is not installed: this test needs Debian's firefox-esr at /usr/bin/firefox-esr "
        "(run `apt-get install -y firefox-esr`; .ci/run does it). Not skipping: reports must draw in Firefox too.",
        pytrace=False,
    )


class _Bidi:
    """A WebDriver BiDi session, one command at a time; events are handed to ``on_event`` as they come."""

    def __init__(self, url: str, on_event: Any) -> None:
        import websocket  # websocket-client (a dependency of jupyter_server, hence of the dev tools)

        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)  # Firefox refuses an Origin
        self.next_id = 0
        self.on_event = on_event

    def send(self, method: str, params: dict[str, Any] | None = None) -> int:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params or {}}))
        return self.next_id

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        wanted = self.send(method, params)
        while True:
            message = json.loads(self.ws.recv())
            if message.get("type") == "event":
                self.on_event(self, message["method"], message["params"])
            elif message.get("id") == wanted:
                if message.get("type") == "error":
                    raise RuntimeError(f"{method}: {message.get('error')}: {message.get('message')}")
                return message["result"]

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the browser may be gone already
            self.ws.close()


def _launch(exe: str, profile: Path, width: int, height: int) -> tuple[subprocess.Popen, str]:
    (profile / "user.js").write_text(
        "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in _PREFS.items()), encoding="utf-8")
    log = profile / "stderr.txt"
    proc = subprocess.Popen(
        [exe, "--headless", "--no-remote", "--profile", str(profile), "--remote-debugging-port=0",
         f"--window-size={width},{height}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=log.open("wb"), env={**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"WebDriver BiDi listening on (ws://\S+)", log.read_text(errors="replace"))
        if found:
            return proc, found.group(1).rstrip("/") + "/session"
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"Firefox did not start its WebDriver BiDi server: {log.read_text(errors='replace')[-2000:]}")


def _value(result: dict[str, Any]) -> Any:
    if result.get("type") == "exception":
        raise RuntimeError(f"script failed: {result['exceptionDetails'].get('text')}")
    return result["result"].get("value")


def visit_firefox(path: str | os.PathLike[str], *, width: int = 1200, height: int = 900,
                  timeout_ms: int = 30000) -> PageVisit:
    """Open ``path`` from ``file://`` in headless Firefox ESR with every other request failed and recorded;
    wait until every figure is drawn (or ``timeout_ms`` passed) and measure them as :func:`visit` does."""
    exe = firefox_path()
    result = PageVisit(url=Path(path).resolve().as_uri())

    def on_event(bidi: _Bidi, method: str, params: dict[str, Any]) -> None:
        if method == "log.entryAdded" and params.get("level") == "error":
            (result.page_errors if params.get("type") == "javascript" else result.console_errors).append(
                str(params.get("text")))
        elif method == "network.beforeRequestSent":
            url = params["request"]["url"]
            if not url.startswith(("file:", "data:", "blob:", "about:")) and url not in result.requests_out:
                result.requests_out.append(url)
            if params.get("isBlocked"):
                allowed = url.startswith(("file:", "data:", "blob:", "about:"))
                bidi.send("network.continueRequest" if allowed else "network.failRequest",
                          {"request": params["request"]["request"]})

    with tempfile.TemporaryDirectory(prefix="kha-firefox-") as tmp:
        proc, ws_url = _launch(exe, Path(tmp), width, height)
        bidi = None
        try:
            bidi = _Bidi(ws_url, on_event)
            bidi.call("session.new", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": False}}})
            context = bidi.call("browsingContext.getTree", {})["contexts"][0]["context"]
            bidi.call("session.subscribe", {"events": ["log.entryAdded", "network.beforeRequestSent"]})
            bidi.call("network.addIntercept", {"phases": ["beforeRequestSent"]})
            bidi.call("browsingContext.setViewport", {"context": context,
                                                      "viewport": {"width": width, "height": height}})
            bidi.call("browsingContext.navigate", {"context": context, "url": result.url, "wait": "complete"})

            def evaluate(js: str) -> Any:
                return _value(bidi.call("script.evaluate", {
                    "expression": f"JSON.stringify(({js})())", "target": {"context": context},
                    "awaitPromise": True, "resultOwnership": "none"}))

            deadline = time.monotonic() + timeout_ms / 1000
            while time.monotonic() < deadline:
                if json.loads(evaluate(_ALL_DRAWN_JS)):
                    result.drawn_in_time = True
                    break
                time.sleep(0.25)
            time.sleep(0.3)  # let geo subplots finish their async promise
            result.figures = json.loads(evaluate(_FIGURE_FACTS_JS))
            result.text = json.loads(evaluate("() => document.body.innerText"))
            result.fit = {"userAgent": json.loads(evaluate("() => navigator.userAgent"))}
            with contextlib.suppress(Exception):  # Firefox may close the socket before it answers
                bidi.call("session.end", {})
        finally:
            if bidi is not None:
                bidi.close()
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:  # pragma: no cover
                proc.kill()
                proc.wait()
    return result
