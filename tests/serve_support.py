"""A real ``plandocs serve`` on a free port, and a real headless Chromium to look at it.

The server runs uvicorn in a thread on a socket bound before it starts (so the port is known and free);
the browser is Debian's ``chromium`` driven by Debian's ``chromedriver`` through Selenium — nothing is
downloaded (Selenium Manager is told to stay offline).
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chromium_driver import start_chromium

WAIT = 15.0
"""Seconds a test waits for the page to show a change before it fails (the goal is under one)."""


@dataclass
class Served:
    url: str
    root: Path

    def get(self, path: str, host: str = "") -> tuple[int, bytes, dict[str, str]]:
        """GET ``path`` as written (no normalisation of ``..``), with the status of errors too."""
        conn = http.client.HTTPConnection("127.0.0.1", int(self.url.rsplit(":", 1)[1]), timeout=120)
        conn.putrequest("GET", path, skip_host=bool(host), skip_accept_encoding=True)  # the path goes as it is
        if host:
            conn.putheader("Host", host)
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        return resp.status, body, {k.lower(): v for k, v in resp.getheaders()}

    def state(self, rel: str = "") -> dict[str, Any]:
        from urllib.parse import quote

        path = f"/api/view/{quote(rel)}" if rel else "/api/index"
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as resp:
                result: dict[str, Any] = json.loads(resp.read())
                return result
        except urllib.error.HTTPError as exc:  # a file the server has not seen (yet)
            return {"http_status": exc.code, "key": "", "panel": "", "version": -1}

    def wait_state(self, rel: str, cond: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT
        state = self.state(rel)
        while not cond(state):
            if time.monotonic() > deadline:
                raise AssertionError(f"after {WAIT} s still not {what}; the page state is {state}")
            time.sleep(0.05)
            state = self.state(rel)
        return state


@contextmanager
def running_server(root: Path) -> Iterator[Served]:
    from plandocs.serve import listen, server

    sock = listen()
    port = sock.getsockname()[1]
    srv = server(root, sock)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not srv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise AssertionError("plandocs serve did not start")
        time.sleep(0.05)
    try:
        yield Served(url, root)
    finally:
        srv.should_exit = True
        thread.join(timeout=30)
        sock.close()
        assert not thread.is_alive(), "plandocs serve did not stop"


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=120) as resp:
            data: bytes = resp.read()
            return data
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{url}: HTTP {exc.code}: {exc.read().decode('utf-8', 'replace')}") from None


@contextmanager
def chromium(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """Headless Debian Chromium under Selenium (:func:`chromium_driver.start_chromium`), quit at the end."""
    driver = start_chromium(width, height)
    try:
        yield driver
    finally:
        driver.quit()


def frame_text(driver: Any) -> str:
    """The visible text of the document frame (the rendered plan)."""
    text: str = driver.execute_script(
        "const f = document.getElementById('doc');"
        "return f && f.contentDocument && f.contentDocument.body ? f.contentDocument.body.innerText : '';")
    return text


def wait_for(driver: Any, cond: Callable[[], bool], what: str, timeout: float = WAIT) -> float:
    """Poll ``cond`` until true; returns the seconds it took."""
    started = time.monotonic()
    while not cond():
        if time.monotonic() - started > timeout:
            panel = driver.execute_script("return document.getElementById('panel').innerText")
            raise AssertionError(f"after {timeout} s the page still does not show {what}; its panel says:\n{panel}")
        time.sleep(0.02)
    return time.monotonic() - started
