"""A month's report in real Chromium: a zone fills it, explains its one warning and submits; the city
office returns it with a comment; the zone submits again; the office approves and it is locked."""

from __future__ import annotations

import pytest

from tests.browser.pages import log_in
from tests.browser.test_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fill_explain_submit_return_approve(live_server, world):
    from playwright.sync_api import sync_playwright

    from jiju.monitoring.models import Report, ReportForm

    form = ReportForm.objects.get(code="YB01")
    zone = world.zones["zz"]
    last_year = {"revenue": 1000.0, "output": 900.0, "value_added": 250.0, "tax": 80.0, "fixed_investment": 400.0}
    last_year |= {"industrial_investment": 250.0, "fdi": 50.0, "domestic_capital": 100.0, "trade": 120.0}
    Report.objects.create(form=form, zone=zone, year=2025, month=3, state=Report.APPROVED, values=last_year)
    # This year every figure grows by 10 % except 营业收入, which is typed at +90 %: one warning.
    typed = {code: round(value * 1.1, 2) for code, value in last_year.items()} | {"revenue": 1900.0}
    url = f"{live_server.url}/monitoring/reports/YB01/{zone.pk}/2026/3/"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="zh-CN")
        log_in(page, live_server.url, "zone", world.password)
        page.goto(f"{live_server.url}/monitoring/status/?form=YB01&year=2026&month=3")
        row = page.locator("#status tr", has_text="郑州经济技术开发区")
        assert "未填报" in row.inner_text()
        row.get_by_role("link", name="填报").click()
        page.wait_for_url(url)
        for code, value in typed.items():
            page.fill(f"input[name={code}]", str(value))
        page.click("#submit-report")
        page.wait_for_load_state()
        # Refused: the one warning needs an explanation; the form keeps what was typed.
        assert "请说明：营业收入同比增长90.0%" in page.locator(".messages").inner_text()
        flagged = page.locator("#report-lines tr.flagged")
        assert flagged.count() == 1 and "增速超出合理区间" in flagged.inner_text()
        assert page.input_value("input[name=revenue]") == "1900.0"
        page.fill("textarea[name='explain:growth:revenue']", "新投产的整车项目一季度集中释放产能")
        page.click("#submit-report")
        page.wait_for_load_state()
        assert page.locator("#report-state").inner_text() == "待审核"
        assert page.locator("input[name=revenue]").count() == 0  # no longer editable

        log_in(page, live_server.url, "city", world.password)
        page.goto(url)
        assert "新投产的整车项目一季度集中释放产能" in page.locator("#report-lines").inner_text()
        page.fill("#review textarea[name=comment]", "请附项目投产证明后重新报送")
        page.click("#return")
        page.wait_for_load_state()
        assert page.locator("#report-state").inner_text() == "已退回"

        log_in(page, live_server.url, "zone", world.password)
        page.goto(url)
        assert "请附项目投产证明后重新报送" in page.locator("#review-comment").inner_text()
        assert page.input_value("textarea[name='explain:growth:revenue']") == "新投产的整车项目一季度集中释放产能"
        page.click("#submit-report")
        page.wait_for_load_state()
        assert page.locator("#report-state").inner_text() == "待审核"

        log_in(page, live_server.url, "city", world.password)
        page.goto(url)
        page.click("#approve")
        page.wait_for_load_state()
        assert page.locator("#report-state").inner_text() == "已审核（锁定）"
        assert page.locator("#review").count() == 0 and page.locator("#unlock").count() == 0
        history = page.locator("table.history").inner_text()
        assert "状态：待审核 → 已审核（锁定）" in history.replace("\n", "")
        browser.close()

    report = Report.objects.get(form=form, zone=zone, year=2026, month=3)
    assert report.state == Report.APPROVED and report.values["revenue"] == 1900.0
    assert report.explanations == {"growth:revenue": "新投产的整车项目一季度集中释放产能"}
