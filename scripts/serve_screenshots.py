"""Screenshots of ``plandocs serve`` for the README: a plan's page with its document, and with errors.

Serves a scratch copy of ``plans/``, opens the Kalush plan in Debian's headless chromium (through
chromedriver), saves ``docs/img/serve-document.png``; then saves two mistakes into the plan, waits for the
page to show them above the last good document and saves ``docs/img/serve-errors.png``.

    .venv/bin/python scripts/serve_screenshots.py
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

REPO = Path(__file__).resolve().parent.parent
PLAN = "kalush/2020-q2.yaml"
MISTAKES = [("            indicator: Кількість робочих зустрічей", "            indicatr: Кількість робочих зустрічей"),
            ("              - executor: bureau-dolyna", "              - executor: bureau-dolina")]


def main() -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from chromium_driver import start_chromium  # the one Chromium set-up, shared with the serve tests

    tmp = Path(tempfile.mkdtemp(prefix="plandocs-shots-"))
    root = tmp / "plans"
    shutil.copytree(REPO / "plans", root)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "plandocs", "serve", str(root), "--port", str(port)])
    driver = start_chromium(1280, 900, hide_scrollbars=True)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/index", timeout=5).close()
                break
            except OSError:
                time.sleep(0.1)
        driver.get(f"http://127.0.0.1:{port}/view/{PLAN}")
        wait(driver, "return document.body.dataset.shown === document.body.dataset.key")
        driver.save_screenshot(str(REPO / "docs/img/serve-document.png"))
        plan = root / PLAN
        text = plan.read_text(encoding="utf-8")
        for old, new in MISTAKES:
            assert old in text, old
            text = text.replace(old, new, 1)  # the first measure's
        plan.write_text(text, encoding="utf-8")
        wait(driver, "return document.querySelectorAll('#problems li.error').length === 3")
        time.sleep(0.3)
        driver.save_screenshot(str(REPO / "docs/img/serve-errors.png"))
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp)


def wait(driver: WebDriver, script: str) -> None:
    for _ in range(300):
        if driver.execute_script(script):
            return
        time.sleep(0.05)
    raise SystemExit(f"the page never satisfied: {script}")


if __name__ == "__main__":
    main()
