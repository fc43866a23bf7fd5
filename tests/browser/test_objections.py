"""Real headless Chromium (issue 11, item 1): the office publishes after confirming; a zone officer records
its firm's objection with an evidence file; the office accepts it; the period ends; the office finalises
and the new version shows the firm's grade change with its reason."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser.pages import log_in

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = Path(os.environ.get("JIJU_SCREENSHOTS", "/tmp/jiju-screenshots"))
PDF = b"%PDF-1.4 stamped statement of the tax bureau"

if not shutil.which(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must run the browser tests, but {CHROMIUM} is missing")
    pytest.skip(f"{CHROMIUM} is not installed: browser tests skipped (CI installs it)", allow_module_level=True)

pytestmark = pytest.mark.browser


def _db(query):
    """Run an ORM query beside Playwright's event loop, where Django refuses synchronous queries."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(query).result()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the reference data
def test_an_objection_accepted_makes_a_new_version_with_the_firms_grade_change(live_server, world):
    from django.utils import timezone
    from playwright.sync_api import sync_playwright

    from jiju.assessment import evaluations
    from jiju.assessment.models import EnterpriseYear, EvaluationResult, EvaluationRun

    # 郑州经开区's firm paid little tax by the department's file; 巩义's more.
    for key, tax in (("zz", 30_000), ("gy", 900_000), ("ly", 600_000)):
        EnterpriseYear.objects.create(
            enterprise=world.enterprises[key], year=2025, tax=tax, revenue=tax * 10, energy_tce=10.0
        )
    city_user, firm = world.users["city"], world.enterprises["zz"]
    run = evaluations.execute(evaluations.new_run(city_user, "huaian_2024", 2025), city_user)
    before = EvaluationResult.objects.get(run=run, enterprise=firm)
    url = f"{live_server.url}/assessment/runs/{run.pk}/"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})

        log_in(page, live_server.url, "city", world.password)
        page.goto(url)
        page.click("text=审核通过并发布…")
        page.wait_for_load_state()
        assert "2 家企业的得分、排名和等级" in page.locator("#publish-confirm").inner_text()
        page.screenshot(path=str(SHOTS / "publish_confirm.png"), full_page=True)
        page.click("#publish-submit")
        page.wait_for_url(url)
        assert "公示中" in page.locator("#notice").inner_text()

        log_in(page, live_server.url, "zone", world.password)
        page.goto(url)
        page.fill("input[name=credit_code]", firm.credit_code)
        page.select_option("select[name=figure]", value="tax")
        page.fill("input[name=claimed]", "3000000")
        page.fill("input[name=claim]", "税务部门漏计第四季度入库税款")
        page.set_input_files(
            "input[name=evidence]", files=[{"name": "完税证明.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.click("#objection-submit")
        page.wait_for_load_state()
        row = page.locator("#objections tr", has_text=firm.name)
        assert "待处理" in row.inner_text() and "完税证明.pdf" in row.inner_text()
        page.screenshot(path=str(SHOTS / "objection_recorded.png"), full_page=True)

        log_in(page, live_server.url, "city", world.password)
        page.goto(url)
        row = page.locator("#objections tr", has_text=firm.name)
        row.locator("input[name=decision]").fill("经税务部门核实，予以采纳")
        row.locator("button.accept-objection").click()
        page.wait_for_load_state()
        assert "已采纳" in page.locator("#objections tr", has_text=firm.name).inner_text()
        assert _db(lambda: EnterpriseYear.objects.get(enterprise=firm, year=2025).tax) == 3_000_000  # corrected

        # The calendar moves on: the notice period ended yesterday.
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        week_before = yesterday - dt.timedelta(days=7)
        _db(lambda: EvaluationRun.objects.filter(pk=run.pk).update(notice_start=week_before, notice_end=yesterday))
        page.goto(url)
        page.click("#finalise")
        page.wait_for_load_state()
        version = _db(lambda: EvaluationRun.objects.get(revises=run))
        assert page.url.endswith(f"/assessment/runs/{version.pk}/")
        assert "第2版" in page.locator("#version").inner_text()
        after = _db(lambda: EvaluationResult.objects.get(run=version, enterprise=firm))
        assert after.grade != before.grade, (before.grade, after.grade)
        row = page.locator("#results tr", has_text=firm.name)
        text = row.inner_text()
        assert f"{before.grade} → {after.grade}" in text, text
        assert "采纳公示异议" in row.locator(".version-reason").inner_text()
        page.screenshot(path=str(SHOTS / "objection_new_version.png"), full_page=True)
        page.click("text=版本比较")  # firm by firm against the version it revises
        page.wait_for_load_state()
        row = page.locator("#comparison tr", has_text=firm.name)
        assert f"{before.grade} → {after.grade}" in row.inner_text() and "亩均税收" in row.inner_text()
        assert "采纳公示异议" in row.inner_text()
        page.screenshot(path=str(SHOTS / "versions_compared.png"), full_page=True)
        page.goto(url)
        assert "已被替代" in page.locator("h1").locator("..").inner_text()  # the old version, still readable
        browser.close()
