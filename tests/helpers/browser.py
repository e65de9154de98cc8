"""Debian's chromium, driven headless by selenium: the browser tests skip without it
(apt-get install chromium chromium-driver; CI's .ci/run installs them)."""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
HAVE_BROWSER = os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)
needs_browser = pytest.mark.skipif(not HAVE_BROWSER, reason="no browser: apt-get install chromium chromium-driver")

#: The window of the view's screenshots (docs/view.png).
WINDOW = (1200, 1000)


@contextmanager
def chromium(window: tuple[int, int] = WINDOW):
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={window[0]},{window[1]}",
    ):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    try:  # exactly this viewport, whatever the window's frame takes
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": window[0], "height": window[1], "deviceScaleFactor": 1, "mobile": False},
        )
        yield browser
    finally:
        browser.quit()


def tab_to(browser, css: str, limit: int = 60):
    """Press Tab until an element matching ``css`` has the focus; return it."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(limit):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        active = browser.switch_to.active_element
        if browser.execute_script("return arguments[0].matches(arguments[1])", active, css):
            return active
    raise AssertionError(f"no element matching {css!r} within {limit} presses of Tab")
