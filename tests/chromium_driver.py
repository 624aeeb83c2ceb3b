"""The one headless Chromium of the project: Debian's ``chromium`` driven by Debian's ``chromedriver`` through
Selenium, with the same flags for the serve tests, ``benchmarks/serve_latency.py`` and
``scripts/serve_screenshots.py`` (the last two put ``tests/`` on their path to import it).

Nothing is downloaded: Selenium Manager is told to stay offline.
"""

from __future__ import annotations

import os
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")
"""No display; no sandbox (containers and CI run as root); no GPU; /tmp instead of a small /dev/shm."""


def start_chromium(width: int = 1280, height: int = 900, *, hide_scrollbars: bool = False) -> Any:
    """A started Selenium driver of headless Chromium with a ``width`` × ``height`` window; the caller quits it.
    ``hide_scrollbars`` for screenshots, where a scroll bar would be part of the picture."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (*FLAGS, f"--window-size={width},{height}", *(["--hide-scrollbars"] if hide_scrollbars else [])):
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
