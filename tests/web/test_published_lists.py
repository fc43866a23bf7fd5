"""The lists a county publishes, on the run's page and in its export: 规上, 规下 on the threshold, smaller 规下,
and the firms set aside as 不参评 or 暂不评价 with their reasons."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from jiju.assessment.models import EvaluationResult, EvaluationRun


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
    world.client("province").post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025})
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
    province = world.client("province")
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
    own = world.client("zone")  # the officer of zz's zone: only its firm
    book = load_workbook(io.BytesIO(own.get(f"/assessment/runs/{run.pk}/", {"format": "xlsx"}).content))
    assert book.sheetnames == ["全部名单", "不参评及暂不评价"]
    assert [r[2] for r in book["全部名单"].iter_rows(min_row=2, values_only=True)] == [world.enterprises["zz"].name]


def test_a_tenant_graded_with_its_landlord(year_data):
    from jiju.assessment import evaluations
    from jiju.evaluation.scheme import shipped
    from jiju.platform.scoping import made_for
    from jiju.registry.models import Tenancy

    world = year_data
    Tenancy.objects.create(parcel=world.parcels["zz"], tenant=world.enterprises["gy"], floor_area_m2=2_500)
    text = (
        shipped()["huaian_2024"]
        .read_text(encoding="utf-8")
        .replace('source = "淮安市 2024"', 'source = "淮安市 2024"\ntenants = "landlord"')
    )
    province = world.users["province"]
    run = EvaluationRun.objects.create(
        scheme="huaian_2024",
        scheme_name="随出租方评价",
        scheme_text=text,
        year=2025,
        created_by=province,
        state=EvaluationRun.RUNNING,
        **made_for(province),
    )
    evaluations.execute(run, province)
    got = {r.enterprise_id: r for r in EvaluationResult.objects.filter(run=run)}
    zz, gy, ly = (got[world.enterprises[k].pk] for k in ("zz", "gy", "ly"))
    # zz carries gy's figures: tax 120 万元 and sales 1200 on its 30 亩, 20 tce. Twice the pooled figures of zz and ly:
    # 2 × 180 / 60 = 6 万元/亩, 2 × 1800 / 60 = 60, 2 × 180 / 30 = 12 per tce.
    # zz: 45 · 4/6 + 35 · 40/60 + 20 · 6/12 = 63.33; ly: 45 · 2/6 + 35 · 20/60 + 20 · 6/12 = 36.67.
    assert zz.score == pytest.approx(190 / 3, abs=1e-6) and (zz.rank, zz.grade) == (1, "B")
    assert ly.score == pytest.approx(110 / 3, abs=1e-6) and ly.grade == "D"
    assert (gy.list_name, gy.grade, gy.rank, gy.score) == ("租赁企业（随出租方评价）", "B", None, zz.score)
