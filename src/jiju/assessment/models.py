"""Departmental data for the per-mu evaluation (亩均评价数据): one row per enterprise and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiju.changelog.models import ChangeLoggedModel
from jiju.ingest.departments import DEPARTMENTS
from jiju.platform import runs
from jiju.platform.permissions import RestrictedQuerySet
from jiju.platform.runs import BackgroundRun
from jiju.platform.scoping import MadeFor

DEPARTMENT_CHOICES = [(d.code, d.label) for d in DEPARTMENTS.values()]


class EnterpriseYear(ChangeLoggedModel):
    """What the departments reported of one enterprise for one year, in canonical units (元, kWh, 吨标准煤, 吨)."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    tax = models.FloatField(_("实缴税金（元）"), null=True, blank=True)
    output = models.FloatField(_("工业总产值（元）"), null=True, blank=True)
    value_added = models.FloatField(_("工业增加值（元）"), null=True, blank=True)
    revenue = models.FloatField(_("营业收入（元）"), null=True, blank=True)
    employees = models.FloatField(_("从业人员平均人数"), null=True, blank=True)
    rd = models.FloatField(_("R&D经费支出（元）"), null=True, blank=True)
    electricity_kwh = models.FloatField(_("用电量（千瓦时）"), null=True, blank=True)
    energy_tce = models.FloatField(_("综合能源消费量（吨标准煤）"), null=True, blank=True)
    cod_t = models.FloatField(_("化学需氧量排放量（吨）"), null=True, blank=True)
    ammonia_t = models.FloatField(_("氨氮排放量（吨）"), null=True, blank=True)
    so2_t = models.FloatField(_("二氧化硫排放量（吨）"), null=True, blank=True)
    nox_t = models.FloatField(_("氮氧化物排放量（吨）"), null=True, blank=True)
    correction = models.CharField(_("更正依据"), max_length=300, blank=True)  # the objection behind a corrected figure

    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "enterprise__region", "enterprise__zone"

    class Meta:
        verbose_name = _("企业年度数据")
        verbose_name_plural = _("企业年度数据")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="enterprise_year_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class ColumnMapping(ChangeLoggedModel):
    """A header of a department's file and the field it holds, chosen once and remembered (列映射)."""

    scope_global = "列映射属于报送部门，由该部门或省级管理员修改"

    department = models.CharField(_("部门"), max_length=20, choices=DEPARTMENT_CHOICES)
    header = models.CharField(_("文件列名"), max_length=100)
    field = models.CharField(_("对应字段"), max_length=30)

    class Meta:
        verbose_name = _("列映射")
        verbose_name_plural = _("列映射")
        constraints = [models.UniqueConstraint(fields=["department", "header"], name="column_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.get_department_display()}：{self.header} → {self.field}"


class DepartmentUpload(MadeFor):
    """An accepted departmental file: who sent it, for which year, and what it matched."""

    department = models.CharField(_("部门"), max_length=20, choices=DEPARTMENT_CHOICES)
    year = models.PositiveSmallIntegerField(_("年度"))
    filename = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("数据行数"))
    stored = models.PositiveIntegerField(_("写入企业数"))
    notes = models.JSONField(_("说明"), default=list)

    class Meta:
        verbose_name = _("部门数据上传")
        verbose_name_plural = _("部门数据上传")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_department_display()} {self.year} {self.filename}"


class EvaluationRun(BackgroundRun):
    """One application of a scheme to a year's data of one scope (评价批次); frozen once published."""

    RUNNING, FAILED, DRAFT, PUBLISHED = runs.RUNNING, runs.FAILED, runs.DRAFT, runs.PUBLISHED
    SUPERSEDED = runs.SUPERSEDED
    STATES = [
        (RUNNING, _("评价中")),
        (FAILED, _("失败")),
        (DRAFT, _("待审核")),
        (PUBLISHED, _("已发布")),
        (SUPERSEDED, _("已被替代")),
    ]

    state = models.CharField(_("状态"), max_length=10, choices=STATES, default=DRAFT)
    seconds = models.FloatField(_("用时（秒）"), default=0)
    grade_counts = models.JSONField(_("等级分布"), default=dict)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示截止"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("定案时间"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    revises = models.ForeignKey(
        "self", verbose_name=_("修订自"), null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    version_reason = models.TextField(_("修订原因"), blank=True)

    class Meta:
        verbose_name = _("评价批次")
        verbose_name_plural = _("评价批次")
        ordering = ["-created_at"]


class EvaluationResult(models.Model):
    """One enterprise's result in a run, with every indicator's breakdown (得分明细)."""

    run = models.ForeignKey(EvaluationRun, verbose_name=_("评价批次"), on_delete=models.CASCADE, related_name="results")
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="evaluation_results"
    )
    list_name = models.CharField(_("名单"), max_length=30, blank=True)
    score = models.FloatField(_("得分"), null=True)
    rank = models.PositiveIntegerField(_("排名"), null=True)
    grade = models.CharField(_("等级"), max_length=4, blank=True)
    status = models.CharField(_("评价状态"), max_length=10, blank=True)  # 参评, 不参评 or 暂不评价
    excluded_reason = models.CharField(_("不参评原因"), max_length=100, blank=True)
    next_grade = models.CharField(_("上一等级"), max_length=4, blank=True)
    gap_to_next_grade = models.FloatField(_("距上一等级差距"), null=True)
    grade_with_previous = models.CharField(_("按上年数据的等级"), max_length=4, blank=True)
    breakdown = models.JSONField(_("得分明细"), default=list)

    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "enterprise__region", "enterprise__zone"

    class Meta:
        verbose_name = _("评价结果")
        verbose_name_plural = _("评价结果")
        ordering = ["list_name", "rank"]
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="result_run_enterprise_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.grade}"


class Objection(ChangeLoggedModel):
    """A firm's objection to a published run during its notice period (公示异议): the figure it disputes,
    what it claims, the evidence; the office accepts (the figure is corrected) or rejects, with a reason."""

    PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
    STATES = [(PENDING, _("待处理")), (ACCEPTED, _("已采纳")), (REJECTED, _("未采纳"))]

    run = models.ForeignKey(
        EvaluationRun, verbose_name=_("评价批次"), on_delete=models.CASCADE, related_name="objections"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="objections"
    )
    field = models.CharField(_("异议数据项"), max_length=30)
    claimed = models.FloatField(_("企业主张的数值"))
    claim = models.TextField(_("异议理由"))
    state = models.CharField(_("状态"), max_length=10, choices=STATES, default=PENDING)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision = models.TextField(_("处理意见"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "enterprise__region", "enterprise__zone"

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.figure_label}"

    @property
    def figure_label(self) -> str:
        """The disputed figure's name with its unit, as the departmental data holds it."""
        return str(EnterpriseYear._meta.get_field(self.field).verbose_name)


class ObjectionEvidence(models.Model):
    """A file the firm gave in support of its objection, kept with it (in the database, as sent)."""

    objection = models.ForeignKey(
        Objection, verbose_name=_("公示异议"), on_delete=models.CASCADE, related_name="evidence"
    )
    filename = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content = models.BinaryField(_("内容"))

    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "objection__enterprise__region", "objection__enterprise__zone"

    class Meta:
        verbose_name = _("异议证明材料")
        verbose_name_plural = _("异议证明材料")

    def __str__(self) -> str:
        return self.filename


class IndicatorCard(ChangeLoggedModel):
    """What an indicator of the schemes means and where it comes from (指标卡片), kept as data: the
    definition beside every figure, and the thresholds that flag a firm's value."""

    scope_global = "指标卡片是全省统一的口径，由省级管理员维护"

    code = models.CharField(_("指标代码"), max_length=40, unique=True)  # the code of [[indicators]] in a scheme
    label = models.CharField(_("指标名称"), max_length=60)
    definition = models.TextField(_("定义"))
    formula = models.CharField(_("计算公式"), max_length=200)
    unit = models.CharField(_("单位"), max_length=30)
    lead_department = models.CharField(_("牵头部门"), max_length=60)
    supporting_departments = models.CharField(_("配合部门"), max_length=200, blank=True)
    source_file = models.CharField(_("数据来源文件"), max_length=200)
    update_frequency = models.CharField(_("更新频率"), max_length=20, default="年度")
    alert_threshold = models.FloatField(_("预警值"), null=True, blank=True)
    excellence_threshold = models.FloatField(_("优秀值"), null=True, blank=True)

    class Meta:
        verbose_name = _("指标卡片")
        verbose_name_plural = _("指标卡片")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    def standing(self, value: float | None, cost: bool = False) -> str:
        """优秀 or 预警 for a firm's value against the card's thresholds (a cost is better low), else ""."""
        if value is None:
            return ""
        better = (lambda a, b: a <= b) if cost else (lambda a, b: a >= b)
        if self.excellence_threshold is not None and better(value, self.excellence_threshold):
            return "优秀"
        if self.alert_threshold is not None and not better(value, self.alert_threshold):
            return "预警"
        return ""
