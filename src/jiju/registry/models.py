"""The registry (底册): divisions, industries, zones, enterprises and land parcels."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiju.changelog.models import ChangeLoggedModel
from jiju.core import credit_code, units
from jiju.platform.permissions import CHANGE, EXPORT, VIEW, RestrictedQuerySet
from jiju.registry.validators import refuse_nul, validate_credit_code, validate_non_negative


class Region(models.Model):
    """An administrative division (行政区划), GB/T 2260."""

    scope_global = "国家标准的行政区划，所有人可读"

    PROVINCE, CITY, COUNTY = 1, 2, 3
    LEVELS = [(PROVINCE, _("省级")), (CITY, _("地级")), (COUNTY, _("县级"))]

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.PositiveSmallIntegerField(_("层级"), choices=LEVELS)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def province_name(self) -> str:
        node = self
        while node.parent is not None:
            node = node.parent
        return node.name

    @property
    def full_name(self) -> str:
        names, node = [], self
        while node is not None:
            if node.name not in ("市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class Industry(models.Model):
    """An industry (国民经济行业分类), GB/T 4754-2017."""

    scope_global = "国家标准的行业分类，所有人可读"

    SECTION, DIVISION, GROUP, CLASS = 1, 2, 3, 4
    LEVELS = [(SECTION, _("门类")), (DIVISION, _("大类")), (GROUP, _("中类")), (CLASS, _("小类"))]

    code = models.CharField(_("行业代码"), max_length=4, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=LEVELS)
    section = models.CharField(_("门类"), max_length=1)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["section", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Tag(models.Model):
    """An enterprise label such as 高新技术企业 or 专精特新."""

    scope_global = "企业标签是共用的词表"

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RegistryRecord(ChangeLoggedModel):
    """A record with its own page; `url_slug` names its kind in URLs."""

    url_slug = ""

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse("record_detail", args=[self.url_slug, self.pk])

    def clean_fields(self, exclude=None) -> None:
        """The fields' own checks, and no NUL character in any text, on every path that validates."""
        errors: dict = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            if isinstance(value, str) and field.name not in (exclude or ()) and field.name not in errors:
                try:
                    refuse_nul(value)
                except ValidationError as exc:
                    errors[field.name] = exc.error_list
        if errors:
            raise ValidationError(errors)


class Zone(RegistryRecord):
    """A development zone (开发区), cluster zone (产业集聚区) or industrial park."""

    LEVELS = [("national", _("国家级")), ("provincial", _("省级")), ("city", _("市级")), ("county", _("县级"))]
    KINDS = [
        ("etdz", _("经济技术开发区")),
        ("hitech", _("高新技术产业开发区")),
        ("customs", _("海关特殊监管区域")),
        ("border", _("边境/跨境经济合作区")),
        ("other", _("其他类型开发区")),
        ("edz", _("经济开发区")),
        ("park", _("工业园区")),
        ("cluster", _("产业集聚区")),
        ("concentration", _("工业集中区")),
        ("feature", _("特色园区")),
    ]
    INFRASTRUCTURE = [("", _("未填报")), ("5", _("五通一平")), ("7", _("七通一平")), ("9", _("九通一平"))]

    code = models.CharField(_("目录代码"), max_length=20, blank=True, db_index=True)
    name = models.CharField(_("开发区名称"), max_length=100, db_index=True)
    level = models.CharField(_("级别"), max_length=12, choices=LEVELS)
    kind = models.CharField(_("类型"), max_length=16, choices=KINDS)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="zones")
    approval_authority = models.CharField(_("批准机关"), max_length=50, blank=True)
    approval_date = models.DateField(_("批准时间"), null=True, blank=True)
    approval_note = models.CharField(_("批准时间说明"), max_length=100, blank=True)
    approved_area_m2 = models.FloatField(
        _("核准面积（平方米）"), null=True, blank=True, validators=[validate_non_negative]
    )
    planned_area_m2 = models.FloatField(
        _("规划面积（平方米）"), null=True, blank=True, validators=[validate_non_negative]
    )
    built_area_m2 = models.FloatField(
        _("建成区面积（平方米）"), null=True, blank=True, validators=[validate_non_negative]
    )
    leading_industries = models.CharField(_("主导产业"), max_length=200, blank=True)
    industries = models.ManyToManyField(Industry, verbose_name=_("主导产业行业"), blank=True)
    management_committee = models.CharField(_("管委会"), max_length=100, blank=True)
    platform_company = models.CharField(_("平台公司"), max_length=100, blank=True)
    infrastructure = models.CharField(_("基础设施"), max_length=2, choices=INFRASTRUCTURE, blank=True)
    road_km = models.FloatField(_("道路长度（公里）"), null=True, blank=True, validators=[validate_non_negative])
    standard_factory_m2 = models.FloatField(
        _("标准厂房面积（平方米）"), null=True, blank=True, validators=[validate_non_negative]
    )

    url_slug = "zones"
    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "region", "pk"
    zone_officer_actions = frozenset({VIEW, CHANGE, EXPORT})

    class Meta:
        verbose_name = _("开发区")
        verbose_name_plural = _("开发区")
        ordering = ["region__code", "code", "name"]
        constraints = [models.UniqueConstraint(fields=["code", "name"], name="zone_code_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def approved_area_ha(self) -> float | None:
        return None if self.approved_area_m2 is None else units.from_m2(self.approved_area_m2, units.AreaUnit.HECTARE)


class SubPark(RegistryRecord):
    """A park inside a zone (区中园)."""

    zone = models.ForeignKey(Zone, verbose_name=_("开发区"), on_delete=models.CASCADE, related_name="subparks")
    name = models.CharField(_("园区名称"), max_length=100)
    area_m2 = models.FloatField(_("面积（平方米）"), null=True, blank=True, validators=[validate_non_negative])
    leading_industries = models.CharField(_("主导产业"), max_length=200, blank=True)

    url_slug = "subparks"
    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "zone__region", "zone"

    @property
    def area_ha(self) -> float | None:
        return None if self.area_m2 is None else units.from_m2(self.area_m2, units.AreaUnit.HECTARE)

    class Meta:
        verbose_name = _("区中园")
        verbose_name_plural = _("区中园")
        ordering = ["zone", "name"]

    def __str__(self) -> str:
        return self.name


class PlanDocument(RegistryRecord):
    """A zone's plan (规划) and where it stands."""

    KINDS = [
        ("development", _("总体发展规划")),
        ("spatial", _("空间规划")),
        ("regulatory", _("控制性详细规划")),
        ("environment", _("规划环评")),
    ]
    STATES = [("drafting", _("编制中")), ("reviewed", _("已评审")), ("approved", _("已批复"))]

    zone = models.ForeignKey(Zone, verbose_name=_("开发区"), on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(_("规划类型"), max_length=12, choices=KINDS)
    title = models.CharField(_("名称"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=STATES)
    approved_date = models.DateField(_("批复日期"), null=True, blank=True)
    document_no = models.CharField(_("批复文号"), max_length=100, blank=True)

    url_slug = "plans"
    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "zone__region", "zone"

    class Meta:
        verbose_name = _("规划文件")
        verbose_name_plural = _("规划文件")
        ordering = ["zone", "kind"]

    def __str__(self) -> str:
        return self.title


class Enterprise(RegistryRecord):
    """An enterprise (企业), keyed by its unified social credit code."""

    SCALES = [("above", _("规上")), ("below", _("规下"))]

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code])
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    zone = models.ForeignKey(
        Zone, verbose_name=_("所在开发区"), null=True, blank=True, on_delete=models.PROTECT, related_name="enterprises"
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="enterprises")
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("所属行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    scale = models.CharField(_("规模"), max_length=5, choices=SCALES, default="below")
    production_start = models.DateField(_("投产时间"), null=True, blank=True)
    registered_capital_yuan = models.DecimalField(
        _("注册资本（元）"), max_digits=18, decimal_places=2, null=True, blank=True, validators=[validate_non_negative]
    )
    employees = models.PositiveIntegerField(_("从业人员"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="enterprises")

    url_slug = "enterprises"
    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "region", "zone"

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.credit_code = credit_code.normalize(self.credit_code or "")
        if self.zone_id is not None:
            self.region_id = self.zone.region_id


class Parcel(RegistryRecord):
    """A land parcel (地块) in a zone, held by an enterprise."""

    USES = [
        ("industrial", _("工业用地")),
        ("storage", _("仓储用地")),
        ("commercial", _("商服用地")),
        ("infrastructure", _("公用设施用地")),
        ("other", _("其他")),
    ]

    number = models.CharField(_("地块编号"), max_length=50, unique=True)
    zone = models.ForeignKey(Zone, verbose_name=_("所在开发区"), on_delete=models.PROTECT, related_name="parcels")
    holder = models.ForeignKey(
        Enterprise,
        verbose_name=_("土地使用权人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parcels",
    )
    area_m2 = models.FloatField(_("用地面积（平方米）"), validators=[validate_non_negative])
    use = models.CharField(_("用途"), max_length=16, choices=USES, default="industrial")
    supply_date = models.DateField(_("供地日期"), null=True, blank=True)
    agreed_start_date = models.DateField(_("约定动工日期"), null=True, blank=True)
    actual_start_date = models.DateField(_("实际动工日期"), null=True, blank=True)
    completion_date = models.DateField(_("竣工日期"), null=True, blank=True)
    floor_area_m2 = models.FloatField(
        _("建筑面积（平方米）"), null=True, blank=True, validators=[validate_non_negative]
    )
    footprint_m2 = models.FloatField(
        _("建筑基底面积（平方米）"), null=True, blank=True, validators=[validate_non_negative]
    )
    contract_investment_yuan = models.DecimalField(
        _("合同投资（元）"), max_digits=18, decimal_places=2, null=True, blank=True, validators=[validate_non_negative]
    )

    url_slug = "parcels"
    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "zone__region", "zone"

    class Meta:
        verbose_name = _("地块")
        verbose_name_plural = _("地块")
        ordering = ["zone", "number"]

    def __str__(self) -> str:
        return self.number

    @property
    def area_mu(self) -> float:
        return units.from_m2(self.area_m2, units.AreaUnit.MU)

    @property
    def area_ha(self) -> float:
        return units.from_m2(self.area_m2, units.AreaUnit.HECTARE)


class Tenancy(RegistryRecord):
    """An enterprise leasing floor space on a parcel from its holder (租赁企业)."""

    parcel = models.ForeignKey(Parcel, verbose_name=_("地块"), on_delete=models.CASCADE, related_name="tenancies")
    tenant = models.ForeignKey(
        Enterprise, verbose_name=_("承租企业"), on_delete=models.PROTECT, related_name="tenancies"
    )
    floor_area_m2 = models.FloatField(_("租赁面积（平方米）"), validators=[validate_non_negative])
    start_date = models.DateField(_("起租日期"), null=True, blank=True)
    end_date = models.DateField(_("到期日期"), null=True, blank=True)

    url_slug = "tenancies"
    objects = RestrictedQuerySet.as_manager()
    scope_region, scope_zone = "parcel__zone__region", "parcel__zone"

    class Meta:
        verbose_name = _("租赁")
        verbose_name_plural = _("租赁")
        ordering = ["parcel", "tenant"]

    def __str__(self) -> str:
        return f"{self.tenant} @ {self.parcel}"
