"""A report's history reads as its page does: names for users, indicator names, local minutes, no dict repr."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jiju.changelog import context
from jiju.changelog.history import history_rows
from jiju.monitoring import actions
from jiju.monitoring.models import Report

pytestmark = pytest.mark.django_db


def test_a_submitted_reports_history_shows_the_submitter_by_name_and_values_by_indicator(world, monthly):
    officer = world.users["zone"]
    officer.first_name = "郑州经开区管委会"
    officer.save()
    report = Report(form=monthly, zone=world.zones["zz"], year=2025, month=3)
    with context.changes_by(officer, context.WEB):
        actions.do_submit_report(officer, report, {"revenue": 1234.5, "fixed_investment": 800}, {})
    submitted = report.submitted_at

    rows = history_rows(report)
    changes = {label: (before, after) for entry, diffs in reversed(rows) for label, before, after in diffs}
    assert changes["报送人"] == (None, "郑州经开区管委会")  # not "— → 6"
    local = submitted.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert changes["报送时间"] == (None, local.strftime("%Y-%m-%d %H:%M"))  # Asia/Shanghai, to the minute
    assert changes["状态"] == ("填报中", "待审核")
    values = changes["填报数值"][1]
    assert "营业收入" in values and "1,234.5" in values and "revenue" not in values and "{" not in values

    client = Client()
    client.force_login(officer)
    page = client.get(f"/monitoring/reports/T01/{world.zones['zz'].pk}/2025/3/").content.decode()
    assert "郑州经开区管委会" in page and "{&#x27;" not in page and "{'" not in page
    assert local.strftime("%Y-%m-%d %H:%M") in page and local.strftime("%H:%M:%S") not in page


def test_findings_dicts_and_lists_read_as_labelled_text():
    from jiju.changelog.history import text

    assert text([{"check": "growth", "code": "revenue", "message": "营业收入同比增长80.0%"}]) == "营业收入同比增长80.0%"
    assert text({"revenue": 10, "tax": None}, {"revenue": "营业收入（万元）"}) == "营业收入（万元）：10；tax：—"
    assert text(["甲", "乙"]) == "甲；乙" and text(True) == "是" and text(1234567) == "1,234,567"
