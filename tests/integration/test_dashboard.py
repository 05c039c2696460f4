"""The dashboard in a real headless browser (Debian's chromium through chromedriver): a cell per
shard, a killed instance and a paused shard shown within seconds, a phone-sized screen."""
import os
import pathlib
import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from conftest import ROOT

ADMIN_PORT = 23430
ARTIFACTS = pathlib.Path(os.environ.get("PRESHARD_TEST_ARTIFACTS", ROOT / "build" / "test-artifacts"))


@pytest.fixture
def browser(tmp_path):
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", f"--user-data-dir={tmp_path / 'chromium'}"):
        opts.add_argument(arg)
    service = Service("/usr/bin/chromedriver", log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=opts)
    try:
        yield driver
    finally:
        driver.quit()  # ends chromium and chromedriver, which this test started


def states(driver):
    return [c.get_attribute("data-state") for c in driver.find_elements(By.CSS_SELECTOR, "#grid .cell")]


def wait_for(check, timeout):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_dashboard_grid_follows_the_shards(make_proxy, clean, browser):
    p = make_proxy(admin_listen=f"127.0.0.1:{ADMIN_PORT}", monitor_interval_ms=250)
    c = p.client()
    for i in range(200):
        c.set(f"dash{i}", "x" * 100)
    browser.get(f"http://127.0.0.1:{ADMIN_PORT}/")
    assert browser.title == "preshard"
    assert wait_for(lambda: states(browser) == ["up"] * 128, 10), states(browser)
    assert wait_for(lambda: browser.find_element(By.ID, "t-keys").text == "200", 5)
    assert browser.find_element(By.ID, "t-up").text == "128 / 128"
    # Commands between two polls give a live p50/p99 (the chart's latest point).
    for i in range(200):
        c.get(f"dash{i}")
    assert wait_for(lambda: browser.find_element(By.ID, "t-p99").text.isdigit(), 5)

    victim, paused = 9, 12
    clean[victim].stop()
    assert wait_for(lambda: states(browser)[victim] == "down", 5), states(browser)[victim]
    c.execute_command("PROXY", "PAUSE", paused, "TIMEOUT", 5000)
    assert wait_for(lambda: states(browser)[paused] == "paused", 5)
    s = states(browser)
    assert s.count("up") == 126, s
    # The proxy's own event log: a page opened later shows what happened before it.
    assert wait_for(lambda: f"shard {victim} up → down" in
                    browser.find_element(By.ID, "events").text, 5)
    browser.refresh()
    assert wait_for(lambda: states(browser)[paused:paused + 1] == ["paused"], 5)  # grid refilled
    events = browser.find_element(By.ID, "events").text
    assert f"shard {victim} up → down" in events, events
    assert f"shard {paused} paused (PROXY PAUSE, 5000 ms at most)" in events, events
    cell = browser.find_elements(By.CSS_SELECTOR, "#grid .cell")[victim]
    assert f"127.0.0.1:{clean[victim].port}" in cell.get_attribute("title")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "dashboard.png"))

    # A phone: the grid wraps, nothing needs sideways scrolling.
    browser.set_window_size(390, 844)
    time.sleep(0.5)
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1")
    browser.save_screenshot(str(ARTIFACTS / "dashboard-phone.png"))
    c.execute_command("PROXY", "RESUME", paused)
