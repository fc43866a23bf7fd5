"""A page that names an account keeps working once the account is deleted (its link is set to
null): the runs list and a reviewed report answered 500 when their creator or reviewer was gone."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import evaluation_run, report


@pytest.fixture
def province(world) -> Client:
    client = Client()
    client.force_login(world.users["province"])
    return client


@pytest.mark.django_db
def test_the_runs_list_shows_a_run_whose_creator_was_deleted(world, province):
    run = evaluation_run(world, {})
    world.users["city"].delete()
    response = province.get("/assessment/runs/")
    assert response.status_code == 200
    assert f"/assessment/runs/{run.pk}/" in response.content.decode()


@pytest.mark.django_db
def test_a_report_whose_reviewer_was_deleted_still_opens(world, province):
    from django.utils import timezone

    filled = report(world, {})
    filled.state, filled.reviewed_by, filled.reviewed_at = "approved", world.users["city"], timezone.now()
    filled.save()
    world.users["city"].delete()
    response = province.get(f"/monitoring/reports/{filled.form.code}/{filled.zone_id}/{filled.year}/{filled.month}/")
    assert response.status_code == 200
    assert "审核于" in response.content.decode()
