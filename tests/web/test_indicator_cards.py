"""Indicator cards: one for every indicator of the shipped schemes, edited as data by the province, shown
beside the figures on the score card and the run's page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from jiju.assessment.actions import do_save_indicator_card
from jiju.assessment.models import EvaluationResult, EvaluationRun, IndicatorCard
from jiju.changelog.models import ObjectChange
from jiju.evaluation.scheme import load, shipped


@pytest.mark.django_db
def test_every_indicator_of_a_shipped_scheme_has_a_card():
    codes = {i.code for path in shipped().values() for i in load(path).indicators}
    cards = {c.code: c for c in IndicatorCard.objects.all()}
    assert codes <= set(cards)
    assert all(cards[c].unit and cards[c].formula and cards[c].lead_department and cards[c].source_file for c in codes)
    assert cards["tax_per_mu"].unit == "万元/亩"


def test_standing_against_the_thresholds():
    card = IndicatorCard(alert_threshold=1.0, excellence_threshold=3.0)
    assert [card.standing(v) for v in (0.5, 1.0, 2.0, 3.0, None)] == ["预警", "", "", "优秀", ""]
    cost = IndicatorCard(alert_threshold=3.0, excellence_threshold=1.0)  # a cost is better low
    assert [cost.standing(v, cost=True) for v in (0.5, 2.0, 3.0, 3.5)] == ["优秀", "", "", "预警"]
    assert IndicatorCard().standing(5.0) == ""  # no thresholds set: nothing said


def test_the_province_edits_a_card_and_the_score_card_shows_it_beside_the_figure(year_data):
    world = year_data
    card = IndicatorCard.objects.get(code="tax_per_mu")
    assert world.client("city").get(f"/assessment/indicators/{card.pk}/").status_code == 403
    with pytest.raises(PermissionDenied):
        card.alert_threshold = 9.0
        do_save_indicator_card(world.users["city"], card)
    form = {
        f: getattr(card, f)
        for f in ("label", "definition", "formula", "unit", "lead_department", "source_file", "update_frequency")
    }
    response = world.client("province").post(
        f"/assessment/indicators/{card.pk}/", {**form, "alert_threshold": "1.5", "excellence_threshold": "2.5"}
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.alert_threshold, card.excellence_threshold) == (1.5, 2.5)
    assert ObjectChange.objects.filter(object_repr="亩均税收").exists()
    # 淮安 2024 over zz, gy, ly: 亩均税收 3, 1 and 2 万元/亩.
    world.client("province").post("/assessment/runs/", {"scheme": "huaian_2024", "year": 2025})
    run = EvaluationRun.objects.get()
    zz = EvaluationResult.objects.get(run=run, enterprise=world.enterprises["zz"])
    gy = EvaluationResult.objects.get(run=run, enterprise=world.enterprises["gy"])
    zz_card = world.client("zone").get(f"/assessment/runs/{run.pk}/results/{zz.pk}/").content.decode()
    assert '3.00 万元/亩 <span class="tag">优秀</span>' in zz_card and "税务部门企业纳税数据" in zz_card
    gy_card = world.client("city").get(f"/assessment/runs/{run.pk}/results/{gy.pk}/").content.decode()
    assert '1.00 万元/亩 <span class="tag">预警</span>' in gy_card
    page = world.client("city").get(f"/assessment/runs/{run.pk}/").content.decode()
    assert "本方案的指标卡片" in page and "评价税收 / 用地面积" in page and "单位能耗税收" in page


def test_the_page_of_cards_and_a_bad_threshold(world):
    card = IndicatorCard.objects.get(code="rd_ratio")
    assert "R&amp;D经费支出 / 营业收入" in world.client("zone").get("/assessment/indicators/").content.decode()
    page = world.client("province").post(f"/assessment/indicators/{card.pk}/", {"label": "", "alert_threshold": "很高"})
    text = page.content.decode()
    assert page.status_code == 200 and "请修改下面标出的错误后再保存" in text
    card.refresh_from_db()
    assert card.label == "R&D经费占营业收入比"  # nothing half-written
