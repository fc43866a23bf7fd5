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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the reference data
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
    page.wait_for_selector("#by-city canvas")  # no string predicate: the page's CSP refuses eval
    assert "各市开发区数量" in page.content()


@pytest.fixture
def evaluation_world(world):
    """Statistics and energy already in for 2025; the tax file is what the test uploads."""
    from jiju.assessment.models import EnterpriseYear

    for key in ("zz", "gy", "ly"):
        EnterpriseYear.objects.create(enterprise=world.enterprises[key], year=2025, revenue=5_000_000, energy_tce=8.0)
    return world


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the reference data
def test_upload_fix_evaluate_and_open_a_score_card(live_server, evaluation_world, tmp_path):
    import io
    from pathlib import Path

    from openpyxl import load_workbook
    from playwright.sync_api import sync_playwright

    world = evaluation_world
    good = [world.enterprises[k] for k in ("zz", "gy", "ly")]
    bad_code = good[1].credit_code[:-1] + ("0" if good[1].credit_code[-1] != "0" else "1")
    rows = [(e.credit_code, e.name, tax) for e, tax in zip(good, (90, 30, 60), strict=True)]
    broken = tmp_path / "税务.csv"
    broken.write_bytes(
        (
            "纳税人识别号,纳税人名称,入库税收(万元)\n"
            + "\n".join(f"{bad_code if i == 1 else c},{n},{t}" for i, (c, n, t) in enumerate(rows))
            + "\n"
        ).encode("gbk")
    )
    fixed = tmp_path / "税务-已更正.csv"
    fixed.write_bytes(
        ("纳税人识别号,纳税人名称,入库税收(万元)\n" + "\n".join(f"{c},{n},{t}" for c, n, t in rows) + "\n").encode(
            "gbk"
        )
    )

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="zh-CN", accept_downloads=True)
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "province")
        page.fill("input[name=password]", world.password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

        page.goto(f"{live_server.url}/assessment/upload/?department=tax")
        page.fill("input[name=year]", "2025")
        page.set_input_files("input[name=file]", str(broken))
        page.click("#upload-submit")
        report = page.locator("#upload-report").inner_text()
        assert "文件未写入" in report and "校验位不符" in report
        with page.expect_download() as download:
            page.click("#marked-download")
        marked = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
        assert "校验位不符" in marked["A3"].comment.text

        page.fill("input[name=year]", "2025")
        page.set_input_files("input[name=file]", str(fixed))
        page.click("#upload-submit")
        assert "上传成功" in page.locator(".messages").inner_text()

        page.goto(f"{live_server.url}/assessment/runs/")
        page.select_option("select[name=scheme]", "huaian_2024")
        page.select_option("select[name=year]", "2025")
        page.click("#run-submit")
        page.wait_for_url("**/assessment/runs/*/")
        assert "待审核" in page.locator("main").inner_text()  # the queued run is done and awaits review
        page.locator("table.grid td a").first.click()
        page.wait_for_selector("#contributions canvas")
        assert page.locator("h1").inner_text() == world.enterprises["zz"].name
        assert "亩均税收" in page.locator("main").inner_text()
        browser.close()
