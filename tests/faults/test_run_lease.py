"""A run left by a dead worker: found by its stale heartbeat wherever runs are read, failed with the reason,
retried or deleted from its page; a late or outdated worker never writes results over it."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from jiju.assessment import evaluations, tasks
from jiju.assessment.models import EvaluationResult, EvaluationRun
from jiju.changelog.models import ObjectChange
from jiju.platform import runs


def started_run(world, role: str = "city", beat_seconds_ago: float = 3600, progress: int = 60) -> EvaluationRun:
    """A run a worker took and reported progress on, then (if long ago) stopped beating."""
    run = evaluations.new_run(world.users[role], "huaian_2024", 2025)
    EvaluationRun.objects.filter(pk=run.pk).update(
        progress=progress, heartbeat=timezone.now() - dt.timedelta(seconds=beat_seconds_ago)
    )
    run.refresh_from_db()
    return run


def changes(run: EvaluationRun) -> list[ObjectChange]:
    return list(
        ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(EvaluationRun), object_id=run.pk
        ).order_by("id")
    )


def test_a_dead_workers_run_fails_on_its_page_with_the_reason_and_no_refresh(year_data, settings):
    settings.JIJU_RUN_LEASE = 60
    run = started_run(year_data)
    page = year_data.client("city").get(f"/assessment/runs/{run.pk}/").content.decode()
    run.refresh_from_db()
    assert (run.state, run.error) == (EvaluationRun.FAILED, runs.DEAD_WORKER)
    assert "后台任务中断（执行进程已停止），可重试或删除" in page and "location.reload" not in page
    assert "重试" in page and "删除" in page and not EvaluationResult.objects.exists()
    failed = changes(run)[-1]
    assert failed.after["state"] == EvaluationRun.FAILED and failed.source == "command" and failed.user is None


def test_the_run_list_fails_dead_runs_and_leaves_live_and_queued_ones(year_data, settings):
    settings.JIJU_RUN_LEASE = 60
    dead = started_run(year_data)
    live = started_run(year_data, beat_seconds_ago=5)
    queued = evaluations.new_run(year_data.users["city"], "huaian_2024", 2025)  # no worker took it yet
    page = year_data.client("city").get("/assessment/runs/").content.decode()
    states = dict(EvaluationRun.objects.values_list("pk", "state"))
    assert states == {dead.pk: "failed", live.pk: "running", queued.pk: "running"}
    assert "失败" in page


def test_a_retry_runs_again_and_gives_the_full_results(year_data, settings, django_capture_on_commit_callbacks):
    settings.JIJU_RUN_LEASE = 60
    run = started_run(year_data)
    city = year_data.client("city")
    city.get(f"/assessment/runs/{run.pk}/")
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued on commit and runs at once
        response = city.post(f"/assessment/runs/{run.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == f"/assessment/runs/{run.pk}/"
    run.refresh_from_db()
    assert (run.state, run.progress, run.error, run.attempt) == (EvaluationRun.DRAFT, 100, "", 2)
    codes = set(EvaluationResult.objects.filter(run=run).values_list("enterprise__credit_code", flat=True))
    assert codes == {year_data.enterprises["zz"].credit_code, year_data.enterprises["gy"].credit_code}
    retried = next(c for c in changes(run) if c.after and c.after.get("attempt") == 2)
    assert retried.user == year_data.users["city"] and retried.after["state"] == EvaluationRun.RUNNING


def test_only_a_failed_run_is_retried_and_only_by_whoever_may_start_it(year_data, settings):
    settings.JIJU_RUN_LEASE = 60
    run = started_run(year_data)
    live = started_run(year_data, beat_seconds_ago=1)
    assert year_data.client("city2").post(f"/assessment/runs/{run.pk}/retry/").status_code == 404
    assert year_data.client("zone").post(f"/assessment/runs/{run.pk}/retry/").status_code == 404  # reads, not retries
    year_data.client("city").post(f"/assessment/runs/{live.pk}/retry/")
    assert dict(EvaluationRun.objects.values_list("pk", "attempt")) == {run.pk: 1, live.pk: 1}
    city = year_data.client("city")
    city.post(f"/assessment/runs/{run.pk}/delete/")
    assert not EvaluationRun.objects.filter(pk=run.pk).exists()


def test_a_worker_whose_run_was_failed_meanwhile_writes_nothing(year_data, settings):
    """The worker was only slow: its results, arriving after the run was failed, are dropped."""
    settings.JIJU_RUN_LEASE = 60
    run = started_run(year_data)
    slow = EvaluationRun.objects.get(pk=run.pk)
    assert runs.do_fail_dead_runs(EvaluationRun) == 1
    assert evaluations.execute(slow, year_data.users["city"]) is None
    run.refresh_from_db()
    assert run.state == EvaluationRun.FAILED and not EvaluationResult.objects.exists()


def test_a_task_of_an_earlier_attempt_does_nothing(year_data, settings, django_capture_on_commit_callbacks):
    settings.JIJU_RUN_LEASE = 60
    run = started_run(year_data)
    runs.do_fail_dead_runs(EvaluationRun)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queue, don't run
    with django_capture_on_commit_callbacks(execute=True):
        evaluations.do_retry_run(year_data.users["city"], EvaluationRun.objects.get(pk=run.pk))
    tasks.evaluate_run.call(run.pk, year_data.users["city"].pk, 1)  # the first attempt's task, taken late
    run.refresh_from_db()
    assert (run.state, run.attempt, run.heartbeat) == (EvaluationRun.RUNNING, 2, None)
    assert not EvaluationResult.objects.exists()
    tasks.evaluate_run.call(run.pk, year_data.users["city"].pk, 2)
    run.refresh_from_db()
    assert run.state == EvaluationRun.DRAFT and EvaluationResult.objects.filter(run=run).count() == 2


def test_a_failed_computation_says_so_in_chinese_and_keeps_no_results(year_data):
    run = evaluations.new_run(year_data.users["city"], "huaian_2024", 2025)
    EvaluationRun.objects.filter(pk=run.pk).update(scheme_text="name: [broken")
    with pytest.raises(Exception):  # noqa: B017 - the worker logs whatever the scheme reader raised
        tasks.evaluate_run.call(run.pk, year_data.users["city"].pk, 1)
    run.refresh_from_db()
    assert run.state == EvaluationRun.FAILED and run.error == evaluations.FAILED_COMPUTATION
    assert not EvaluationResult.objects.exists()
    page = year_data.client("city").get(f"/assessment/runs/{run.pk}/").content.decode()
    assert "评价计算出错" in page and "Error" not in page and "location.reload" not in page


def test_a_queued_run_can_be_cancelled_and_its_worker_then_writes_nothing(year_data):
    run = evaluations.new_run(year_data.users["city"], "huaian_2024", 2025)
    city = year_data.client("city")
    page = city.get(f"/assessment/runs/{run.pk}/").content.decode()
    assert "排队等待后台任务" in page and "取消并删除" in page and "location.reload" in page
    city.post(f"/assessment/runs/{run.pk}/delete/")
    assert not EvaluationRun.objects.exists()
    assert evaluations.execute(run, year_data.users["city"]) is None
    assert not EvaluationResult.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the heartbeat thread has its own connection
def test_a_live_worker_keeps_beating_through_a_long_step(year_data, settings):
    """However long a step takes (here: until the test has seen two beats), the run's heartbeat advances."""
    settings.JIJU_RUN_LEASE = 0.2
    run = started_run(year_data, beat_seconds_ago=3600)
    seen = {run.heartbeat}
    deadline = time.monotonic() + 60
    with runs.heartbeat(run):
        while len(seen) < 3 and time.monotonic() < deadline:
            seen.add(EvaluationRun.objects.get(pk=run.pk).heartbeat)
            time.sleep(0.01)
    assert len(seen) == 3 and max(seen) > timezone.now() - dt.timedelta(seconds=60)
    assert not any(t.name == f"heartbeat-{run.pk}" for t in threading.enumerate())  # it stopped with the block
