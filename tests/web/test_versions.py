"""Two runs compared firm by firm (issue 11, item 2), on hand-worked numbers: a corrected version, and
this year against last year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from jiju.assessment import evaluations, objections, versions
from jiju.assessment.models import EnterpriseYear, EvaluationRun


def _corrected(world) -> tuple[EvaluationRun, EvaluationRun]:
    """郑州's 2025 run and its second version, after 巩义's firm's tax was corrected from 30 to 300 万元."""
    city = world.users["city"]
    run = evaluations.do_publish(city, evaluations.execute(evaluations.new_run(city, "huaian_2024", 2025), city))
    gy = world.enterprises["gy"]
    objection = objections.do_record_objection(city, run, gy.credit_code, "tax", 3_000_000, "漏计", [("a.pdf", b"%")])
    objections.do_accept_objection(city, objection)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    EvaluationRun.objects.filter(pk=run.pk).update(notice_start=yesterday, notice_end=yesterday)
    run.refresh_from_db()
    return run, objections.do_finalise_run(city, run)


def test_a_version_against_the_one_it_revises_names_the_figures_and_the_reason(year_data):
    world = year_data
    run, version = _corrected(world)
    lines = {line.enterprise.pk: line for line in versions.compare(world.users["city"], run, version)}
    gy, zz = lines[world.enterprises["gy"].pk], lines[world.enterprises["zz"].pk]
    assert (gy.before.rank, gy.after.rank) == (2, 1) and (zz.before.rank, zz.after.rank) == (1, 2)
    figures = {label: (a, b) for label, a, b in gy.figures}
    # 亩均税收: 30 万元 / 30 亩 = 1.0 before, 300 万元 / 30 亩 = 10.0 after (万元/亩).
    assert figures["亩均税收"] == (pytest.approx(1.0), pytest.approx(10.0))
    assert "亩均税收" not in {label for label, _, _ in zz.figures}  # 郑州经开区's own figures did not move
    assert gy.reasons and "实缴税金" in gy.reasons[0] and not zz.reasons
    page = Client()
    page.force_login(world.users["city"])
    text = page.get(f"/assessment/runs/{version.pk}/compare/").content.decode()  # by default: the revised one
    assert "采纳公示异议" in text and world.enterprises["gy"].name in text


def test_this_year_against_last_year(year_data):
    world = year_data
    for key, tax in (("zz", 300_000), ("gy", 900_000)):  # 2024: the order the other way round
        EnterpriseYear.objects.create(
            enterprise=world.enterprises[key], year=2024, tax=tax, revenue=tax * 10, energy_tce=10.0
        )
    city = world.users["city"]
    last = evaluations.execute(evaluations.new_run(city, "huaian_2024", 2024), city)
    this = evaluations.execute(evaluations.new_run(city, "huaian_2024", 2025), city)
    lines = {line.enterprise.pk: line for line in versions.compare(city, last, this)}
    zz = lines[world.enterprises["zz"].pk]
    assert (zz.before.rank, zz.after.rank) == (2, 1)
    assert dict((label, (a, b)) for label, a, b in zz.figures)["亩均税收"] == (pytest.approx(1.0), pytest.approx(3.0))
    client = Client()
    client.force_login(world.users["city2"])  # 洛阳's office reads neither run's 郑州 firms
    response = client.get(f"/assessment/runs/{this.pk}/compare/?with={last.pk}")
    assert response.status_code == 404
