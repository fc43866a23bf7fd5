"""Take the README's screenshots from a running demo (make demo) with headless Chromium.

python scripts/screenshots.py [http://127.0.0.1:8000] [docs/screenshots]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = [
    ("home", "/"),
    ("zones", "/zones/"),
    ("zone", None),
    ("enterprises", "/enterprises/?scale=above"),
    ("enterprise", None),
    ("parcels", "/parcels/"),
    ("regions", "/regions/410000/"),
    ("import", "/import/"),
    ("dashboard", "/dashboard/"),
    ("report_status", "/monitoring/status/"),
    ("report", "/monitoring/status/?state=submitted"),
    ("rankings", "/monitoring/rankings/?indicator=revenue"),
    ("targets", "/monitoring/targets/"),
    ("zone_history", "/monitoring/evaluations/history/"),
    ("runs", "/assessment/runs/"),
    ("evaluation", None),  # the latest run's page: its results, grades and notice period
    ("scorecard", None),  # the first firm's score card
    ("accounts", "/accounts/users/"),
]


def main(base: str = "http://127.0.0.1:8000", out: str = "docs/screenshots") -> None:
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
        page.goto(f"{base}/login/")
        page.fill("input[name=username]", "province")
        page.fill("input[name=password]", "jiju2026")
        page.click("button[type=submit]")
        for name, path in PAGES:
            if path is None:
                page.locator("table.grid td a").first.click()
            else:
                page.goto(base + path)
            if name == "report":
                page.locator("#status td a").first.click()
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1200)  # let chart animations finish
            page.screenshot(path=str(target / f"{name}.png"), full_page=False)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
