"""Real headless Chromium: a city office makes a zone officer, who changes the password and sees one zone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.pages import log_in

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = Path(os.environ.get("JIJU_SCREENSHOTS", "/tmp/jiju-screenshots"))

if not shutil.which(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must run the browser tests, but {CHROMIUM} is missing")
    pytest.skip(f"{CHROMIUM} is not installed: browser tests skipped (CI installs it)", allow_module_level=True)

pytestmark = pytest.mark.browser


def _log_out(page) -> None:
    page.context.clear_cookies()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the reference data
def test_city_office_makes_a_zone_officer_who_sees_only_that_zone(live_server, world):
    from playwright.sync_api import sync_playwright

    url = live_server.url
    gongyi, zhengzhou, luoyang = world.zones["gy"], world.zones["zz"], world.zones["ly"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})

        log_in(page, url, "city", world.password)
        page.goto(f"{url}/accounts/users/")
        assert page.locator("h1").inner_text() == "账号管理"
        page.screenshot(path=str(SHOTS / "users.png"), full_page=True)
        page.emulate_media(media="print")  # printed: the table and its title, no navigation or buttons
        assert page.locator("table.grid").is_visible() and page.locator("h1").is_visible()
        assert not page.locator("header.top").is_visible() and not page.locator("text=新增账号").is_visible()
        page.screenshot(path=str(SHOTS / "users_print.png"), full_page=True)
        page.emulate_media(media="screen")
        page.click("text=新增账号")
        page.wait_for_url(f"{url}/accounts/users/new/")
        # The city office is offered only the zone officer's role and only its own city's zones.
        assert page.locator("select[name=role] option").all_inner_texts() == ["园区管理员"]
        offered = page.locator("select[name=zones] option").all_inner_texts()
        assert any(gongyi.name in o for o in offered) and not any(luoyang.name in o for o in offered)

        # A zone of the other city, forced into the form, is refused in Chinese and nothing is created.
        page.fill("input[name=username]", "gy_officer")
        page.fill("input[name=name]", "巩义市产业集聚区管委会")
        page.fill("input[name=password1]", "Gongyi-first-2026")
        page.fill("input[name=password2]", "Gongyi-first-2026")
        page.locator("select[name=zones]").evaluate(
            "(select, pk) => { const o = new Option('洛阳', pk, true, true); select.add(o); }", str(luoyang.pk)
        )
        page.click("form.card button[type=submit]")
        page.wait_for_load_state()
        errors = page.locator("form.card .errorlist").all_inner_texts()
        assert "请修改下面标出的错误后再保存。" in errors
        assert "所选开发区超出您的管辖范围，请从列表中选择" in errors, errors  # no record id shown
        page.screenshot(path=str(SHOTS / "user_create_refused.png"), full_page=True)
        page_after_refusal = page.url

        # Now the officer of 巩义, with a first password.
        page.select_option("select[name=zones]", value=str(gongyi.pk))
        page.fill("input[name=password1]", "Gongyi-first-2026")
        page.fill("input[name=password2]", "Gongyi-first-2026")
        page.click("form.card button[type=submit]")
        page.wait_for_load_state()
        assert "/accounts/users/" in page.url and "/new/" not in page.url
        page.screenshot(path=str(SHOTS / "user_created.png"), full_page=True)
        page.goto(f"{url}/accounts/users/?q=gy_officer")
        row = page.locator("table.grid tr").nth(1).inner_text()
        assert "gy_officer" in row and "园区管理员" in row and gongyi.name in row
        _log_out(page)

        # The officer logs in, changes the password on the own password page, and logs in again.
        log_in(page, url, "gy_officer", "Gongyi-first-2026")
        page.goto(f"{url}/account/password/")
        page.screenshot(path=str(SHOTS / "password_change.png"), full_page=True)
        page.fill("input[name=old_password]", "Gongyi-first-2026")
        page.fill("input[name=new_password1]", "Gongyi-second-2026")
        page.fill("input[name=new_password2]", "Gongyi-second-2026")
        page.click("form.card button[type=submit]")
        page.wait_for_url(f"{url}/account/")
        assert "密码已修改" in page.locator("body").inner_text()
        page.screenshot(path=str(SHOTS / "account.png"), full_page=True)
        _log_out(page)
        page.goto(f"{url}/login/")
        page.fill("input[name=username]", "gy_officer")
        page.fill("input[name=password]", "Gongyi-first-2026")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "/login/" in page.url  # the old password no longer opens the account
        log_in(page, url, "gy_officer", "Gongyi-second-2026")

        # Only 巩义: one zone in the list, and another zone's page answers 404.
        page.goto(f"{url}/zones/")
        names = page.locator("table.grid tr td:nth-child(2)").all_inner_texts()
        assert names == [gongyi.name], names
        response = page.goto(f"{url}/zones/{zhengzhou.pk}/")
        assert response is not None and response.status == 404
        assert "不存在" in page.locator("body").inner_text()
        assert page.goto(f"{url}/zones/{gongyi.pk}/").status == 200
        assert page.goto(f"{url}/accounts/users/").status == 403  # a zone officer manages no accounts
        browser.close()
    from django.contrib.auth import get_user_model

    assert page_after_refusal.endswith("/accounts/users/new/")
    officer = get_user_model().objects.get(username="gy_officer")
    assert list(officer.profile.zones.all()) == [gongyi] and officer.check_password("Gongyi-second-2026")
