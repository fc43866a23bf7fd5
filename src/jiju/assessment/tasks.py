"""Background tasks of the per-mu evaluation, run by `jiju db_worker` (django-tasks, database backend)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from jiju.assessment import evaluations
from jiju.assessment.models import EvaluationRun
from jiju.platform import runs

logger = logging.getLogger(__name__)


@task()
def evaluate_run(run_id: int, user_id: int, attempt: int = 1) -> None:
    """Compute one attempt of a run. A worker starting after a crash first fails the runs the dead
    worker left; a task whose run was retried, failed or deleted since it was queued does nothing."""
    runs.do_fail_dead_runs(EvaluationRun)
    run = EvaluationRun.objects.filter(pk=run_id, state=EvaluationRun.RUNNING, attempt=attempt).first()
    if run is None:
        return
    user = get_user_model().objects.get(pk=user_id)
    try:
        evaluations.execute(run, user)
    except Exception:  # the run's page says it failed; the details stay in the worker's log
        logger.exception("评价批次 %s 计算失败", run_id)
        evaluations.fail(run)
        raise
