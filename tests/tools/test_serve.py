"""natodata serve: the database in a running Datasette, seen through a real headless browser."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """`natodata serve` running in its own process group; its base URL."""
    pytest.importorskip("datasette")
    port = free_port()
    natodata = Path(sys.executable).parent / "natodata"
    proc = subprocess.Popen([str(natodata), "serve", str(ROOT), "--port", str(port), "--dir", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/-/versions.json", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"natodata serve exited {proc.returncode}: {proc.stdout.read()}")
                time.sleep(0.1)
        else:
            pytest.fail("natodata serve did not answer within 30 s")
        yield url, tmp_path
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # natodata and the Datasette it started
        proc.wait(timeout=30)
        proc.stdout.close()


@pytest.mark.slow
def test_serve_builds_the_database_and_datasette_serves_it(served):
    url, directory = served
    assert {p.name for p in directory.iterdir()} == {"natodata.db", "metadata.json"}
    page = urllib.request.urlopen(url + "/natodata/quotes?_search=welcome").read().decode()
    assert "2 rows where search matches" in page


@pytest.mark.slow
@pytest.mark.skipif(not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)),
                    reason="no browser: apt-get install chromium chromium-driver")
def test_in_a_headless_browser_pages_show_names_and_search_finds_the_quotation(served):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.common.by import By

    url, _ = served
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    try:
        browser.get(url + "/natodata/quotes")
        speakers = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "td.col-speaker_id a")}
        assert "Jens Stoltenberg" in speakers and "jens-stoltenberg" not in speakers
        box = browser.find_element(By.CSS_SELECTOR, "input[name=_search]")
        box.send_keys("welcome")
        box.submit()
        assert "2 rows where search matches" in browser.find_element(By.TAG_NAME, "body").text
        texts = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "td.col-text")]
        assert len(texts) == 2 and all("as long as we are welcome" in t for t in texts)
        browser.get(url + "/natodata/event_participants?event_id=nato-summit-warsaw-2016")
        events = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "td.col-event_id a")}
        assert events == {"Warsaw summit"}
    finally:
        browser.quit()
