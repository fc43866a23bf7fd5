"""Real Chromium under the site's Content-Security-Policy: the dashboard's charts draw, the controls that
submit or navigate on change still do, and the browser reports no violation."""

from __future__ import annotations

import pytest

from tests.browser.pages import log_in
from tests.browser.test_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser

# Runs before any page script and outside the policy: collects every violation the page reports.
WATCH = "window.__violations = []; document.addEventListener('securitypolicyviolation', (e) =>"
WATCH += " window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_work_under_the_content_security_policy(live_server, world):
    from playwright.sync_api import sync_playwright

    from jiju.monitoring.models import Report, ReportForm

    form = ReportForm.objects.get(code="YB01")
    for zone, revenue in ((world.zones["zz"], 1200.0), (world.zones["gy"], 300.0)):
        for year, scale in ((2025, 1.0), (2026, 1.1)):
            values = {"revenue": revenue * scale, "tax": revenue * scale / 10, "fixed_investment": revenue / 2}
            Report.objects.create(form=form, zone=zone, year=year, month=3, state=Report.APPROVED, values=values)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="zh-CN")
        page.add_init_script(WATCH)
        console = []
        page.on("console", lambda message: console.append(message.text))
        log_in(page, live_server.url, "province", world.password)

        response = page.goto(f"{live_server.url}/dashboard/")
        assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
        page.wait_for_selector("#trend canvas")  # the inline chart script ran: it carries the nonce
        page.wait_for_selector("#top canvas")
        page.hover("#top canvas")  # ECharts' tooltip writes style attributes
        assert page.evaluate("window.__violations") == []

        page.goto(f"{live_server.url}/")
        page.wait_for_selector("#by-city canvas")
        assert page.evaluate("window.__violations") == []

        page.goto(f"{live_server.url}/import/")  # a select that navigates on change (data-navigate)
        page.select_option("select[name=kind]", index=1)
        page.wait_for_url("**/import/?kind=*")
        assert page.evaluate("window.__violations") == []

        page.goto(f"{live_server.url}/monitoring/rankings/")  # selects that clear fields and submit (data-submit)
        page.select_option("select[name=indicator]", index=1)
        page.wait_for_url("**/monitoring/rankings/?*indicator=*")
        assert page.evaluate("window.__violations") == []
        browser.close()
    assert [text for text in console if "Content Security Policy" in text] == []
