"""Headless Chromium driven by Selenium, for tests of the pages qbank writes.

Debian's `chromium` and `chromium-driver` are used as installed (Selenium Manager never runs:
the machine has no network). Under CI (CI=true) a missing browser fails the test; elsewhere
it skips it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic",
)  # fmt: skip


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromedriver() -> str | None:
    return shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").is_file() else None
    )


def require_browser() -> tuple[str, str]:
    browser, driver = chromium(), chromedriver()
    if browser is None or driver is None:
        message = "Debian's chromium and chromium-driver are needed (apt-get install them)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must install them: {message}")
        pytest.skip(message)
    return browser, driver


def start_browser(profile: Path) -> WebDriver:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = require_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1200,900"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def open_page(driver: WebDriver, page: Path, width: int = 1200, height: int = 900) -> None:
    """Open a page from disk with empty local storage, at the given window size."""
    driver.set_window_size(width, height)
    driver.get(page.as_uri())
    driver.execute_script("localStorage.clear()")
    driver.refresh()


def script(driver: WebDriver, code: str, *args: Any) -> Any:
    return driver.execute_script(code, *args)
