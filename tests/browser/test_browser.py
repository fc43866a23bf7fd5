"""Real headless Chromium: log in, open the zone list and an enterprise page, read the Chinese."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

if not shutil.which(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must run the browser tests, but {CHROMIUM} is missing")
    pytest.skip(f"{CHROMIUM} is not installed: browser tests skipped (CI installs it)", allow_module_level=True)

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page(live_server, world):
    """A Chromium page; Playwright runs an event loop in this thread, so data is built first."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="zh-CN")
        yield page
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_log_in_and_browse_in_chinese(live_server, world, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/zones/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "city")
    page.fill("input[name=password]", world.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/zones/")
    assert page.locator("h1").inner_text() == "开发区"
    rows = page.locator("table.grid tr")
    assert rows.count() == 3  # header + 郑州经开区 + 巩义; 洛阳 is outside the city's scope
    assert "郑州经济技术开发区" in page.content() and "洛阳经济技术开发区" not in page.content()

    page.goto(f"{live_server.url}/enterprises/")
    page.fill("input[name=q]", world.enterprises["gy"].credit_code)
    page.click("form.filters button[type=submit]")
    page.locator("table.grid td a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == world.enterprises["gy"].name
    body = page.locator("main").inner_text()
    assert "统一社会信用代码" in body and world.enterprises["gy"].credit_code in body and "变更记录" in body

    page.goto(f"{live_server.url}/")
    page.wait_for_function("document.querySelector('#by-city canvas') !== null")
    assert "各市开发区数量" in page.content()
