"""Zone monitoring (统计监测与考核): indicators and forms as data, reports, targets, zone rankings, ratings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiju.analytics import checks
from jiju.analytics.series import Spec
from jiju.changelog.models import ChangeLoggedModel
from jiju.platform import runs
from jiju.platform.permissions import EXPORT, VIEW, RestrictedQuerySet
from jiju.platform.runs import SchemeRun
from jiju.platform.scoping import MadeFor

MONTH, QUARTER, YEAR = "month", "quarter", "year"
FREQUENCIES = [(MONTH, _("月报")), (QUARTER, _("季报")), (YEAR, _("年报"))]
STEP = {MONTH: 1, QUARTER: 3, YEAR: 12}


def period_label(frequency: str, year: int, month: int) -> str:
    if frequency == YEAR:
        return f"{year}年"
    if frequency == QUARTER:
        return f"{year}年第{month // 3}季度"
    return f"{year}年{month}月"


def to_date_label(year: int, month: int) -> str:
    """The span a year-to-date figure covers: 2026年1—10月 (January alone: 2026年1月)."""
    return f"{year}年1—{month}月" if month > 1 else f"{year}年1月"


class ReportQuerySet(RestrictedQuerySet):
    def approved(self) -> ReportQuerySet:
        """Approved reports: the figures every ranking, total, evaluation and bulletin is built on."""
        return self.filter(state=Report.APPROVED)


class Indicator(ChangeLoggedModel):
    """A statistical indicator (统计指标): how it is reported, checked and aggregated upward."""

    scope_global = "指标是全省统一的口径，由省级管理员设置"

    SUM, MEAN, RATIO = "sum", "mean", "ratio"
    AGGREGATIONS = [(SUM, _("求和")), (MEAN, _("平均")), (RATIO, _("两个合计之比"))]
    ENTERPRISE_SOURCES = [
        ("", _("无")),
        ("firms_above", _("登记的规上企业数")),
        ("tax", _("企业实缴税金合计")),
        ("revenue", _("企业营业收入合计")),
        ("output", _("企业工业总产值合计")),
        ("value_added", _("企业工业增加值合计")),
        ("employees", _("企业从业人员合计")),
    ]

    code = models.SlugField(_("指标代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=60)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    frequency = models.CharField(_("报送频率"), max_length=8, choices=FREQUENCIES, default=MONTH)
    cumulative = models.BooleanField(_("按累计值填报"), default=False, help_text=_("填报年初至本期末的累计值"))
    aggregation = models.CharField(_("向上汇总方式"), max_length=8, choices=AGGREGATIONS, default=SUM)
    numerator = models.CharField(_("分子指标代码"), max_length=40, blank=True, help_text=_("两个合计之比时填写"))
    denominator = models.CharField(_("分母指标代码"), max_length=40, blank=True, help_text=_("两个合计之比时填写"))
    part_of = models.CharField(
        _("所属总量指标代码"),
        max_length=40,
        blank=True,
        help_text=_("本指标不应超过该指标，如工业投资属于固定资产投资"),
    )
    growth_low = models.FloatField(_("增速下限（%）"), null=True, blank=True, default=-30)
    growth_high = models.FloatField(_("增速上限（%）"), null=True, blank=True, default=50)
    enterprise_source = models.CharField(
        _("与企业数据核对"), max_length=20, choices=ENTERPRISE_SOURCES, blank=True, default=""
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("统计指标")
        verbose_name_plural = _("统计指标")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name

    @property
    def computed(self) -> bool:
        """A ratio of two sums is computed, never typed."""
        return self.aggregation == self.RATIO

    def spec(self) -> Spec:
        return Spec(
            self.code,
            self.cumulative,
            self.aggregation,
            self.numerator or None,
            self.denominator or None,
            100.0 if self.unit == "%" else 1.0,
        )

    def rule(self, required: bool = False, names: dict[str, str] | None = None) -> checks.Rule:
        """What the checks know of this indicator; `names` (code → name) names the whole it is part of."""
        return checks.Rule(
            self.code,
            self.name,
            self.unit,
            self.cumulative,
            required,
            self.growth_low,
            self.growth_high,
            self.part_of or None,
            (names or {}).get(self.part_of, ""),
        )


class ReportForm(ChangeLoggedModel):
    """A report form (报表), such as Henan's quarterly JJQ201: which indicators a zone reports and when."""

    scope_global = "报表是全省统一的制度，由省级管理员设置"

    code = models.SlugField(_("表号"), max_length=20, unique=True)
    name = models.CharField(_("报表名称"), max_length=100)
    frequency = models.CharField(_("报送频率"), max_length=8, choices=FREQUENCIES, default=MONTH)
    deadline_day = models.PositiveSmallIntegerField(_("报送截止日"), default=10, help_text=_("期末次月的第几日"))
    tolerance = models.FloatField(_("与企业合计允许偏差（%）"), default=5)
    note = models.TextField(_("说明"), blank=True)
    indicators = models.ManyToManyField(Indicator, through="FormItem", verbose_name=_("指标"))

    class Meta:
        verbose_name = _("报表")
        verbose_name_plural = _("报表")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def step(self) -> int:
        return STEP[self.frequency]

    def period_label(self, year: int, month: int) -> str:
        return period_label(self.frequency, year, month)

    def default_deadline(self, year: int, month: int) -> dt.date:
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return following.replace(day=min(self.deadline_day, 28))


class FormItem(ChangeLoggedModel):
    scope_global = "报表的构成由省级管理员统一设置"

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT)
    required = models.BooleanField(_("必填"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["form", "indicator"], name="form_item_unique")]


class Deadline(MadeFor, ChangeLoggedModel):
    """The deadline of one period of a form for the zones of one scope, where its office sets one
    other than the default; the nearest office's deadline holds for a zone."""

    form = models.ForeignKey(ReportForm, verbose_name=_("报表"), on_delete=models.CASCADE, related_name="deadlines")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("期末月份"))
    due = models.DateField(_("截止日期"))

    class Meta:
        verbose_name = _("报送期限")
        verbose_name_plural = _("报送期限")
        constraints = [
            models.UniqueConstraint(fields=["form", "year", "month", "region", "zone"], name="deadline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form.code} {self.form.period_label(self.year, self.month)} {self.due}（{self.scope_name}）"


class Report(ChangeLoggedModel):
    """One zone's report of one form for one period (填报): filled, submitted, reviewed, locked."""

    DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
    STATES = [(DRAFT, _("填报中")), (SUBMITTED, _("待审核")), (RETURNED, _("已退回")), (APPROVED, _("已审核（锁定）"))]

    form = models.ForeignKey(ReportForm, verbose_name=_("报表"), on_delete=models.PROTECT, related_name="reports")
    zone = models.ForeignKey(
        "registry.Zone", verbose_name=_("开发区"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("期末月份"))
    state = models.CharField(_("状态"), max_length=10, choices=STATES, default=DRAFT)
    values = models.JSONField(_("填报数值"), default=dict)
    findings = models.JSONField(_("校验提示"), default=list)
    explanations = models.JSONField(_("情况说明"), default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    unlock_reason = models.TextField(_("解锁原因"), blank=True)

    objects = ReportQuerySet.as_manager()
    scope_region, scope_zone = "zone__region", "zone"

    class Meta:
        verbose_name = _("统计报表")
        verbose_name_plural = _("统计报表")
        ordering = ["-year", "-month", "zone__region__code", "zone__name"]
        constraints = [models.UniqueConstraint(fields=["form", "zone", "year", "month"], name="report_period_unique")]
        indexes = [models.Index(fields=["form", "year", "month"])]

    def __str__(self) -> str:
        return f"{self.zone} {self.form.period_label(self.year, self.month)} {self.form.name}"

    @property
    def locked(self) -> bool:
        return self.state == self.APPROVED

    @property
    def editable(self) -> bool:
        return self.state in (self.DRAFT, self.RETURNED)

    @property
    def period(self) -> str:
        return self.form.period_label(self.year, self.month)

    def history_labels(self, field_name: str) -> dict[str, str]:
        """The history's names for the keys of the JSON fields: indicators by name, explanations by
        the indicator and the check they answer."""
        names = {i.code: str(i) for i in Indicator.objects.all()}
        if field_name == "explanations":
            return {
                checks.finding_key(check, code): f"{name}（{label}）"
                for code, name in names.items()
                for check, label in checks.CHECK_NAMES.items()
            }
        return names


class Target(ChangeLoggedModel):
    """A yearly target of a zone's responsibility letter (目标责任书), in the indicator's unit."""

    zone = models.ForeignKey(
        "registry.Zone", verbose_name=_("开发区"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT)
    value = models.FloatField(_("目标值"))

    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "zone__region", "zone"
    zone_officer_actions = frozenset({VIEW, EXPORT})

    class Meta:
        verbose_name = _("目标任务")
        verbose_name_plural = _("目标任务")
        ordering = ["zone__region__code", "zone__name", "indicator__order"]
        constraints = [models.UniqueConstraint(fields=["zone", "year", "indicator"], name="target_unique")]

    def __str__(self) -> str:
        return f"{self.zone} {self.year} {self.indicator.name}"


class ZoneEvaluation(SchemeRun):
    """A zone evaluation (开发区考核评价) of one year by one scheme for one scope; frozen once published."""

    DRAFT, PUBLISHED, SUPERSEDED = runs.DRAFT, runs.PUBLISHED, runs.SUPERSEDED
    STATES = [(DRAFT, _("待审核")), (PUBLISHED, _("已发布")), (SUPERSEDED, _("已被替代"))]

    state = models.CharField(_("状态"), max_length=10, choices=STATES, default=DRAFT)

    class Meta:
        verbose_name = _("开发区考核评价")
        verbose_name_plural = _("开发区考核评价")
        ordering = ["-year", "scheme", "-created_at"]


class ZoneResult(models.Model):
    """One zone's place in an evaluation: overall and within its level, kind and city."""

    evaluation = models.ForeignKey(ZoneEvaluation, on_delete=models.CASCADE, related_name="results")
    zone = models.ForeignKey("registry.Zone", verbose_name=_("开发区"), on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("得分"), null=True)
    rank = models.PositiveIntegerField(_("总排名"), null=True)
    level_rank = models.PositiveIntegerField(_("同级别排名"), null=True)
    kind_rank = models.PositiveIntegerField(_("同类型排名"), null=True)
    city_rank = models.PositiveIntegerField(_("市内排名"), null=True)
    grade = models.CharField(_("等级"), max_length=10, blank=True)
    excluded_reason = models.CharField(_("不参评原因"), max_length=100, blank=True)
    breakdown = models.JSONField(_("得分明细"), default=list)

    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "zone__region", "zone"

    class Meta:
        verbose_name = _("开发区评价结果")
        verbose_name_plural = _("开发区评价结果")
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "zone"], name="zone_result_unique")]


class RatingEvent(MadeFor, ChangeLoggedModel):
    """An on-site observation and rating (观摩点评活动): its criteria and the judges' scores."""

    name = models.CharField(_("活动名称"), max_length=100)
    date = models.DateField(_("活动日期"))
    criteria = models.JSONField(_("评分项目"), default=list, help_text=_("每项：名称与满分"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("观摩点评活动")
        verbose_name_plural = _("观摩点评活动")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.name


class RatingScore(ChangeLoggedModel):
    """One judge's score of one zone's project on one criterion."""

    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "zone__region", "zone"

    event = models.ForeignKey(RatingEvent, on_delete=models.CASCADE, related_name="scores")
    judge = models.CharField(_("评委"), max_length=50)
    zone = models.ForeignKey("registry.Zone", verbose_name=_("开发区"), on_delete=models.CASCADE, related_name="+")
    project = models.CharField(_("观摩项目"), max_length=100)
    criterion = models.CharField(_("评分项目"), max_length=50)
    score = models.FloatField(_("得分"))

    class Meta:
        verbose_name = _("观摩评分")
        verbose_name_plural = _("观摩评分")
