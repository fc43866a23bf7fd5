"""Every list sorts by its columns, jumps to a page, prints without its controls and shows one page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jiju.monitoring.models import Indicator, Target

pytestmark = pytest.mark.django_db


def cells(page: str, table_id: str, column: int) -> list[str]:
    table = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
    return [re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[column]).strip() for row in rows]


def test_the_targets_page_shows_one_page_sorted_as_asked_and_jumps(world, settings):
    settings.PAGE_SIZE = 3
    indicators = list(Indicator.objects.order_by("code")[:2])
    for n, key in enumerate(("zz", "gy", "ly")):
        for m, indicator in enumerate(indicators):
            Target.objects.create(zone=world.zones[key], year=2025, indicator=indicator, value=100 * (n + 1) + m)
    province = world.client("province")

    first = province.get("/monitoring/targets/", {"year": 2025, "month": 12, "sort": "-target"}).content.decode()
    assert cells(first, "targets", 3) == ["301.00", "300.00", "201.00"]  # 6 targets, 3 a page, largest first
    assert "共 6 条" in first and "第 1 / 2 页" in first
    jump = first.split('class="jump"', 1)[1].split("</form>", 1)[0]
    assert 'name="page"' in jump and 'max="2"' in jump
    assert 'name="sort" value="-target"' in jump and 'name="year" value="2025"' in jump  # the jump keeps them
    assert "?year=2025&amp;month=12&amp;sort=target" in first  # clicking 年度目标 again turns the order round

    second = province.get("/monitoring/targets/", {"year": 2025, "month": 12, "sort": "-target", "page": 2})
    assert cells(second.content.decode(), "targets", 3) == ["200.00", "101.00", "100.00"]
    by_zone = province.get("/monitoring/targets/", {"year": 2025, "month": 12, "sort": "zone"}).content.decode()
    assert cells(by_zone, "targets", 1) == sorted(cells(by_zone, "targets", 1)) and "▲" in by_zone


def test_registry_accounts_and_changes_lists_sort_by_a_clicked_column(world, settings):
    settings.PAGE_SIZE = 2
    province = world.client("province")
    page = province.get("/zones/", {"sort": "-name"}).content.decode()
    henan = sorted([z.name for k, z in world.zones.items() if k != "sjz"], reverse=True)
    names = [n for n in re.findall(r'<a href="/zones/\d+/">([^<]+)</a>', page) if n in henan]
    assert names == henan[:2] and "第 1 / 2 页" in page and "▼" in page
    assert henan[2] in province.get("/zones/", {"sort": "-name", "page": "2"}).content.decode()
    # A sort the list does not know is ignored, not an error.
    assert province.get("/zones/", {"sort": "nonsense"}).status_code == 200

    accounts = province.get("/accounts/users/", {"sort": "-username"}).content.decode()
    assert accounts.index(">zone2<") < accounts.index(">zone<") and "第 1 / " in accounts

    admin = world.client("admin")
    assert admin.get("/changes/", {"sort": "-object"}).status_code == 200


def test_the_print_stylesheet_hides_navigation_and_controls():
    css = (Path(__file__).parents[2] / "src/jiju/web/static/jiju/site.css").read_text()
    printing = css.split("@media print", 1)[1]
    for hidden in ("header.top", ".toolbar", "form", ".btn"):
        assert hidden in printing.split("display:none", 1)[0]


def test_the_rankings_sort_by_any_column_and_page(world, settings):
    from jiju.monitoring.models import ReportForm
    from tests.monitoring.conftest import approved

    settings.PAGE_SIZE = 2
    yb01 = ReportForm.objects.get(code="YB01")
    for key, revenue in (("zz", 300.0), ("gy", 100.0), ("ly", 200.0)):
        approved(yb01, world.zones[key], 2026, 3, revenue=revenue)
    province = world.client("province")
    url = "/monitoring/rankings/"
    period = {"form": "YB01", "year": 2026, "month": 3, "indicator": "revenue"}
    page = province.get(url, {**period, "sort": "zone"}).content.decode()
    assert cells(page, "ranking", 1) == sorted(z.name for k, z in world.zones.items() if k != "sjz")[:2]
    page = province.get(url, {**period, "sort": "-rank", "page": 2}).content.decode()
    assert cells(page, "ranking", 0) == ["1"] and "第 2 / 2 页" in page
