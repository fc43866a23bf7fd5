"""Scheme runs (评价批次): a shipped scheme applied to a year's data for one scope, reviewed, then
published. The per-mu evaluation of firms and the zone evaluation share the fields and the rule."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiju.changelog.context import COMMAND, changes_by
from jiju.changelog.models import ChangeLoggedModel
from jiju.platform.actions import action, get_for, placement
from jiju.platform.permissions import ADD, PUBLISH, Scope
from jiju.platform.scoping import MadeFor

DRAFT, PUBLISHED, SUPERSEDED = "draft", "published", "superseded"
FROZEN = (PUBLISHED, SUPERSEDED)  # states of a run that no longer changes
logger = logging.getLogger(__name__)


class SchemeRun(MadeFor, ChangeLoggedModel):
    """The scheme's text is kept with the run, so a published result can always be recomputed."""

    scheme = models.CharField(_("评价方案"), max_length=100)
    scheme_name = models.CharField(_("方案名称"), max_length=200)
    scheme_text = models.TextField(_("方案内容"))
    year = models.PositiveSmallIntegerField(_("评价年度"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.year} {self.scheme_name}（{self.scope_name}）"


def may_publish(user, run: SchemeRun) -> bool:
    """Whether the publish button belongs on the run's page: a reviewed run of a scope the user covers."""
    scope = Scope.of(user)
    return run.state == DRAFT and scope.allows(PUBLISH, type(run)) and scope.covers(*placement(run))


def replaced_by(run: SchemeRun) -> models.QuerySet:
    """The publication that publishing `run` replaces: the same scope's, scheme's and year's, if any."""
    return (
        type(run).objects.filter(run.same_scope(), scheme=run.scheme, year=run.year, state=PUBLISHED).exclude(pk=run.pk)
    )


@action("*", PUBLISH)
@transaction.atomic
def do_publish_run(user, run: SchemeRun) -> SchemeRun:
    """Publish a reviewed run. It replaces the publication of the same scope, scheme and year, which
    stays readable, marked superseded (已被替代): one published run per scope, scheme and year. A run made
    for another scope, larger or smaller, stays published."""
    model = type(run)
    if not Scope.of(user).allows(PUBLISH, model):
        raise PermissionDenied("仅省、市开发区办可以发布评价结果")
    run = get_for(user, model, PUBLISH, pk=run.pk)
    if run.state != DRAFT:
        raise PermissionDenied("只有已完成、待审核的评价可以发布")
    for other in replaced_by(run).select_for_update():
        other.state = SUPERSEDED
        other.save()
    run.state, run.published_by, run.published_at = PUBLISHED, user, timezone.now()
    run.save()
    return run


# ── Runs done by a background worker: progress, heartbeat and the rule that finds a dead worker's run ──

RUNNING, FAILED = "running", "failed"
DEAD_WORKER = "后台任务中断（执行进程已停止），可重试或删除"


class BackgroundRun(SchemeRun):
    """A run computed by `jiju db_worker`. The worker writes a heartbeat while it works, so a run whose
    worker died (killed, out of memory, machine restarted) is told apart from one still computing."""

    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    heartbeat = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(_("执行次数"), default=1)

    class Meta:
        abstract = True

    @property
    def queued(self) -> bool:
        """Running but not yet taken by a worker: it waits in the queue and is never judged dead."""
        return self.state == RUNNING and self.heartbeat is None


def lease() -> dt.timedelta:
    """How long a started run may go without a heartbeat before its worker counts as dead (JIJU_RUN_LEASE)."""
    return dt.timedelta(seconds=settings.JIJU_RUN_LEASE)


def beat(run: BackgroundRun, **fields) -> bool:
    """Write the heartbeat (and any progress) of a run still running; False if it no longer is.

    A reading of the work, not a change of the run: it writes no changelog entry."""
    return bool(
        type(run)
        .objects.filter(pk=run.pk, state=RUNNING, attempt=run.attempt)
        .update(heartbeat=timezone.now(), **fields)
    )


@contextlib.contextmanager
def heartbeat(run: BackgroundRun) -> Iterator[None]:
    """Beat every quarter lease from a thread while the block runs, so a long step of a live worker
    never looks dead; the thread stops with the block (and with the process, if it is killed)."""
    stop = threading.Event()

    def keep_beating() -> None:
        try:
            while not stop.wait(lease().total_seconds() / 4):
                try:
                    beat(run)
                except DatabaseError:  # the database is busy or gone: the next beat tries again
                    logger.warning("心跳写入失败：%s", run.pk, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=keep_beating, name=f"heartbeat-{run.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@action("*", None, reason="the system's own check, set off by any look at runs: it acts for no user")
def do_fail_dead_runs(model: type[BackgroundRun]) -> int:
    """Mark failed every started run whose heartbeat is older than the lease, with the reason; returns how many.

    Called wherever runs are read (their list, their page) and by the worker before each run, so a dead
    worker's run is seen at the next look. The update re-checks state and heartbeat under the row lock,
    so a run whose worker finishes meanwhile is left alone."""
    cutoff = timezone.now() - lease()
    failed = 0
    with changes_by(None, COMMAND):
        for pk in model.objects.filter(state=RUNNING, heartbeat__lt=cutoff).values_list("pk", flat=True):
            with transaction.atomic():
                run = model.objects.select_for_update().filter(pk=pk, state=RUNNING, heartbeat__lt=cutoff).first()
                if run is None:
                    continue
                run.state, run.error = FAILED, DEAD_WORKER
                run.save()
                failed += 1
    return failed


def claim(run: BackgroundRun) -> bool:
    """Lock the run for writing its results; False (and nothing to write) if it was failed, retried or
    deleted while the worker computed. Call inside the transaction that writes the results."""
    current = type(run).objects.select_for_update().filter(pk=run.pk).first()
    return current is not None and current.state == RUNNING and current.attempt == run.attempt


def may_retry(user, run: BackgroundRun) -> bool:
    """Whether the retry button belongs on a failed run's page: the user may start runs and started this one
    (or covers everything), as for deleting it."""
    scope = Scope.of(user)
    return (
        run.state == FAILED
        and scope.allows(ADD, type(run))
        and scope.covers(*placement(run))
        and (run.created_by_id == user.pk or scope.everything)
    )


@action("*", ADD)
@transaction.atomic
def do_retry_run(user, run: BackgroundRun, enqueue: Callable[[BackgroundRun], object]) -> BackgroundRun:
    """Queue a failed run again: its partial results (if any) go, its attempt counts up, so a late task of the
    earlier attempt writes nothing; `enqueue` queues the work once the change is committed."""
    model = type(run)
    run = get_for(user, model, ADD, pk=run.pk)
    if not may_retry(user, run):
        if run.state != FAILED:
            raise PermissionDenied("只有失败的评价批次可以重试")
        raise PermissionDenied("只能重试本人发起的评价批次")
    run.results.all().delete()
    run.state, run.progress, run.error, run.heartbeat = RUNNING, 0, "", None
    run.attempt += 1
    run.save()
    transaction.on_commit(lambda: enqueue(run))
    return run
