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

from tests.helpers import ROOT

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
    proc = subprocess.Popen(
        [str(natodata), "serve", str(ROOT), "--port", str(port), "--dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
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
@pytest.mark.skipif(
    not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)),
    reason="no browser: apt-get install chromium chromium-driver",
)
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


def _serving(port: int):
    """`natodata serve` of the shipped package in a temporary directory, once it answers:
    the process and that directory."""
    natodata = Path(sys.executable).parent / "natodata"
    proc = subprocess.Popen(
        [str(natodata), "serve", str(ROOT), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    line = proc.stdout.readline()
    assert line.startswith("serving ") and line.rstrip().endswith(f":{port}/natodata (Ctrl-C stops)"), line
    directory = Path(line.split()[1]).parent
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=1)
            return proc, directory
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("natodata serve did not answer within 30 s")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stop_signal_stops_datasette_and_removes_the_temporary_directory(sig):
    pytest.importorskip("datasette")
    port = free_port()
    proc, directory = _serving(port)
    assert directory.name.startswith("natodata-serve-") and (directory / "natodata.db").is_file()
    proc.send_signal(sig)  # to natodata only (Ctrl-C would reach Datasette too)
    assert proc.wait(timeout=30) == 0
    proc.stdout.close()
    assert not directory.exists()
    with pytest.raises(ConnectionRefusedError):  # nothing listens on the port: Datasette has stopped
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_serve_advice_names_its_own_option(tmp_path):
    """A package that does not validate: serve refuses it and names --no-validate, which it has."""
    from typer.testing import CliRunner

    from natodata.cli import app

    pytest.importorskip("datasette")
    (tmp_path / "datapackage.json").write_text('{"name": "BAD NAME", "resources": []}')
    result = CliRunner().invoke(app, ["serve", str(tmp_path), "--port", "1"])
    assert result.exit_code == 1
    assert "or give --no-validate to go on" in result.stderr
    assert "--no-validate" in CliRunner().invoke(app, ["serve", "--help"]).stdout
