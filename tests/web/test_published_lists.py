"""The lists a county publishes, on the run's page and in its export: 规上, 规下 on the threshold, smaller 规下,
and the firms set aside as 不参评 or 暂不评价 with their reasons."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiju.assessment.models import EvaluationResult, EvaluationRun


def client_for(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.fixture
def listed(year_data):
    """zz (规上) started production in 2024: provisional in 2025. gy is 规下 on its 30 亩; ly is 规下 on 2 亩."""
    world = year_data
    world.enterprises["zz"].production_start = dt.date(2024, 6, 1)
    for key in ("gy", "ly"):
        world.enterprises[key].scale = "below"
    for enterprise in world.enterprises.values():
        enterprise.save()
    world.parcels["ly"].area_m2 = 2 * 666.6667
    world.parcels["ly"].save()
    client_for(world, "province").post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025})
    return world, EvaluationRun.objects.get()


def test_each_firm_in_its_list_ranked_apart_with_its_status(listed):
    world, run = listed
    got = {
        r.enterprise_id: (r.list_name, r.rank, r.status, r.excluded_reason)
        for r in EvaluationResult.objects.filter(run=run)
    }
    e = world.enterprises
    assert got == {
        e["zz"].pk: ("规上企业", None, "暂不评价", "投产不满两年"),
        e["gy"].pk: ("规下企业（3亩及以上）", 1, "参评", ""),
        e["ly"].pk: ("规下企业（3亩以下）", 1, "参评", ""),
    }


def test_the_page_and_the_export_follow_the_lists(listed):
    world, run = listed
    province = client_for(world, "province")
    names = [world.enterprises[k].name for k in ("zz", "gy", "ly")]  # the scheme's order of lists, not the names'
    for order in ("", "gap"):
        everyone = province.get(f"/assessment/runs/{run.pk}/", {"order": order}).content.decode()
        assert [everyone.index(n) for n in names] == sorted(everyone.index(n) for n in names)
    page = province.get(f"/assessment/runs/{run.pk}/", {"list": "规下企业（3亩以下）"}).content.decode()
    assert world.enterprises["ly"].name in page and world.enterprises["gy"].name not in page
    aside = province.get(f"/assessment/runs/{run.pk}/", {"status": "暂不评价"}).content.decode()
    assert world.enterprises["zz"].name in aside and "投产不满两年" in aside
    assert world.enterprises["ly"].name not in aside
    book = load_workbook(io.BytesIO(province.get(f"/assessment/runs/{run.pk}/", {"format": "xlsx"}).content))
    assert book.sheetnames[:4] == ["全部名单", "规下企业（3亩及以上）", "规下企业（3亩以下）", "不参评及暂不评价"]
    rows = list(book["不参评及暂不评价"].iter_rows(values_only=True))
    assert rows[0][-3:] == ("名单", "评价状态", "不参评原因")
    assert rows[1][-3:] == ("规上企业", "暂不评价", "投产不满两年")
    own = client_for(world, "zone")  # the officer of zz's zone: only its firm
    book = load_workbook(io.BytesIO(own.get(f"/assessment/runs/{run.pk}/", {"format": "xlsx"}).content))
    assert book.sheetnames == ["全部名单", "不参评及暂不评价"]
    assert [r[2] for r in book["全部名单"].iter_rows(min_row=2, values_only=True)] == [world.enterprises["zz"].name]
