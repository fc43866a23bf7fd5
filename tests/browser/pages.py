"""What every browser test does on the way in."""

from __future__ import annotations


def log_in(page, base: str, username: str, password: str) -> None:
    """Sign in afresh (any earlier session's cookies dropped) and fail with the page's words if refused."""
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login/" not in page.url, page.locator("main").inner_text()
