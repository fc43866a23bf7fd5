"""The report template, target letters and judges' scores: real Excel files written and read back."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client

from jiju.assessment.actions import marked_workbook
from jiju.monitoring import actions, sheets
from jiju.monitoring.models import RatingEvent, RatingScore, Report, Target
from jiju.monitoring.templates import report_template


def filled(body: bytes, values: dict[str, object]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book.active
    for row in sheet.iter_rows(min_row=6):
        if row[0].value in values:
            row[3].value = values[row[0].value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_template_round_trip(world, monthly):
    report = actions.report_for(world.users["zone"], monthly, world.zones["zz"], 2026, 3)
    body = report_template(report)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert (sheet["A2"].value, sheet["B2"].value, sheet["B3"].value) == ("开发区：", "郑州经济技术开发区", "2026年3月")
    outcome = actions.do_import_report(world.users["zone"], report, filled(body, {"revenue": 1234.5}), "t.xlsx")
    assert outcome.accepted
    assert Report.objects.get(pk=report.pk).values == {"revenue": 1234.5}


def test_a_bad_template_stores_nothing_and_marks_every_fault(world, monthly):
    report = actions.report_for(world.users["zone"], monthly, world.zones["zz"], 2026, 3)
    body = filled(report_template(report), {"revenue": "一千", "fixed_investment": 50})
    outcome = actions.do_import_report(world.users["zone"], report, body, "t.xlsx")
    assert not outcome.accepted
    assert [(e.row, e.column, e.value) for e in outcome.errors] == [(6, "本期数值", "一千")]
    assert not Report.objects.filter(zone=world.zones["zz"]).exists()
    marked = marked_workbook(world.users["zone"], outcome.marked)
    sheet = openpyxl.load_workbook(io.BytesIO(marked)).active
    assert sheet["D6"].comment is not None and "数" in sheet["D6"].comment.text


def test_a_template_of_another_zone_is_refused(world, monthly):
    other = Report(form=monthly, zone=world.zones["gy"], year=2026, month=3)
    body = filled(report_template(other), {"revenue": 10})
    report = actions.report_for(world.users["zone"], monthly, world.zones["zz"], 2026, 3)
    outcome = actions.do_import_report(world.users["zone"], report, body, "t.xlsx")
    assert not outcome.accepted
    assert "模板所属开发区为“巩义市产业集聚区”" in outcome.errors[0].reason


def test_report_pages_fill_and_upload(world, monthly):
    client = Client()
    client.force_login(world.users["zone"])
    url = f"/monitoring/reports/T01/{world.zones['zz'].pk}/2026/3/"
    assert client.get(url).status_code == 200
    template = client.get(url + "template.xlsx")
    assert template.status_code == 200
    response = client.post(url, {"action": "upload", "file": _upload(filled(template.content, {"revenue": 9}))})
    assert response.status_code == 302
    assert Report.objects.get(zone=world.zones["zz"]).values == {"revenue": 9.0}
    # Another zone's report is not found for a zone officer.
    assert client.get(f"/monitoring/reports/T01/{world.zones['ly'].pk}/2026/3/").status_code == 404


def _upload(body: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("模板.xlsx", body)


def test_targets_import_all_or_nothing(world):
    body = sheets.targets_template(world.users["city"])
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book.active
    rows = list(sheet.iter_rows(min_row=2))
    assert {r[0].value for r in rows} == {"郑州经济技术开发区", "巩义市产业集聚区"}
    for row in rows:
        row[4].value = 1000
    rows[1][4].value = "很多"
    out = io.BytesIO()
    book.save(out)
    outcome = sheets.do_import_targets(world.users["city"], 2026, out.getvalue(), "t.xlsx")
    assert not outcome.accepted and outcome.errors[0].row == 3 and Target.objects.count() == 0
    rows[1][4].value = 2000
    out = io.BytesIO()
    book.save(out)
    outcome = sheets.do_import_targets(world.users["city"], 2026, out.getvalue(), "t.xlsx")
    assert outcome.accepted and Target.objects.count() == len(rows)
    # A zone officer does not set its own targets.
    assert not sheets.do_import_targets(world.users["zone"], 2026, out.getvalue(), "t.xlsx").accepted


def test_rating_scores_import_and_trimmed_ranking(world):
    event = sheets.do_create_event(world.users["province"], "观摩", "2026-07-15", "进度:40, 质量:60")
    assert event.criteria == [{"name": "进度", "max": 40.0}, {"name": "质量", "max": 60.0}]
    rows = [["评委", "开发区", "观摩项目", "进度（满分40）", "质量（满分60）"]]
    for judge, (a, b) in {"甲": (40, 60), "乙": (30, 50), "丙": (20, 40)}.items():
        rows.append([judge, "郑州经济技术开发区", "一号项目", a, b])
        rows.append([judge, "洛阳经济技术开发区", "二号项目", a - 10, b])
    body = _book(rows)
    outcome = sheets.do_import_scores(world.users["province"], event, body, "s.xlsx")
    assert outcome.accepted and outcome.count == 12
    ranking = sheets.ranking(world.users["province"], event)
    # Trimmed means: 郑州 30 + 50 = 80; 洛阳 20 + 50 = 70.
    assert [(r["zone_name"], r["rank"], r["score"]) for r in ranking] == [
        ("郑州经济技术开发区", 1, 80.0),
        ("洛阳经济技术开发区", 2, 70.0),
    ]
    rows[1][3] = 45  # over the maximum
    outcome = sheets.do_import_scores(world.users["province"], event, _book(rows), "s.xlsx")
    assert not outcome.accepted and outcome.errors[0].reason == "超过满分40"
    assert RatingEvent.objects.get().scores.count() == 12  # nothing changed
    with pytest.raises(sheets.RatingError):
        sheets.do_create_event(world.users["zone"], "观摩", "2026-07-15", "进度:40")


def test_a_score_sheet_never_replaces_scores_outside_the_importers_scope(world):
    event = sheets.do_create_event(world.users["province"], "观摩", "2026-07-15", "进度:40")
    rows = [["评委", "开发区", "观摩项目", "进度（满分40）"], ["甲", "郑州经济技术开发区", "一号", 30]]
    rows.append(["甲", "洛阳经济技术开发区", "二号", 35])
    assert sheets.do_import_scores(world.users["province"], event, _book(rows), "s.xlsx").accepted
    # 郑州's office sends 甲's sheet for its own zone into the province's event: it may not, and
    # 甲's score of 洛阳 stays (it was deleted before).
    mine = [rows[0], ["甲", "郑州经济技术开发区", "一号", 20]]
    outcome = sheets.do_import_scores(world.users["city"], event, _book(mine), "s.xlsx")
    assert not outcome.accepted
    assert sorted(event.scores.values_list("zone__code", "score")) == [("G411031", 30.0), ("G411163", 35.0)]
    # In an event of its own, the city's sheet replaces its judges' scores in its zones only.
    own = sheets.do_create_event(world.users["city"], "市观摩", "2026-07-20", "进度:40")
    assert own.region.code == "410100"
    RatingScore.objects.create(event=own, judge="甲", zone=world.zones["ly"], project="二号", criterion="进度", score=9)
    assert sheets.do_import_scores(world.users["city"], own, _book(mine), "s.xlsx").accepted
    assert sorted(own.scores.values_list("zone__code", "score")) == [("G411031", 20.0), ("G411163", 9.0)]


def _book(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
