"""Background tasks of the per-mu evaluation, run by `jiju db_worker` (django-tasks, database backend)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from jiju.assessment import evaluations
from jiju.assessment.models import EvaluationRun


@task()
def evaluate_run(run_id: int, user_id: int) -> None:
    run = EvaluationRun.objects.get(pk=run_id)
    user = get_user_model().objects.get(pk=user_id)
    try:
        evaluations.execute(run, user)
    except Exception as error:  # the run's page shows what went wrong; the worker goes on
        evaluations.fail(run, error)
        raise
