"""Scheme runs (评价批次): a shipped scheme applied to a year's data for one scope, reviewed, then
published. The per-mu evaluation of firms and the zone evaluation share the fields and the rule."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiju.changelog.models import ChangeLoggedModel
from jiju.platform.actions import action, get_for, placement
from jiju.platform.permissions import PUBLISH, Scope
from jiju.platform.scoping import MadeFor

DRAFT, PUBLISHED = "draft", "published"


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


@action("*", PUBLISH)
@transaction.atomic
def do_publish_run(user, run: SchemeRun) -> SchemeRun:
    """Publish a reviewed run. It replaces the publication of the same scope, scheme and year
    (that one returns to review); a run made for another scope, larger or smaller, stays."""
    model = type(run)
    if not Scope.of(user).allows(PUBLISH, model):
        raise PermissionDenied("仅省、市开发区办可以发布评价结果")
    run = get_for(user, model, PUBLISH, pk=run.pk)
    if run.state != DRAFT:
        raise PermissionDenied("只有已完成、待审核的评价可以发布")
    for other in (
        model.objects.select_for_update()
        .filter(run.same_scope(), scheme=run.scheme, year=run.year, state=PUBLISHED)
        .exclude(pk=run.pk)
    ):
        other.state = DRAFT
        other.save()
    run.state, run.published_by, run.published_at = PUBLISHED, user, timezone.now()
    run.save()
    return run
