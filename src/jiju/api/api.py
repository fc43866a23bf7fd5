"""The REST API (django-ninja): token auth, paging, filters; OpenAPI at /api/openapi.json.

Reads go through visible_to and writes through the registry actions, as the pages do.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import create_model

from jiju.accounts.models import ApiToken
from jiju.changelog.context import API, attribute_to
from jiju.monitoring.models import Indicator, Report
from jiju.platform.actions import NotInScope, get_for
from jiju.platform.permissions import ADD, CHANGE, DELETE, VIEW, Scope
from jiju.registry import actions
from jiju.registry.kinds import KINDS
from jiju.registry.models import Enterprise, Industry, Region, Tag, Zone

MAX_PAGE_SIZE = 500


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token's user is who every change is attributed to."""

    def authenticate(self, request: HttpRequest, token: str):
        found = ApiToken.find(token)
        if found is None:
            return None
        request.user = found.user
        attribute_to(found.user, API)
        return found.user


api = NinjaAPI(
    title="集聚 Jiju API",
    version="1",
    auth=TokenAuth(),
    urls_namespace="api",
    description="开发区、企业、地块底册接口。面积单位为平方米，金额单位为元。",
)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(NotInScope)
def _missing(request, exc):
    return api.create_response(request, {"detail": "记录不存在"}, status=404)


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)


def partial(schema: type[Schema], name: str) -> type[Schema]:
    """The same fields, all optional: a PATCH changes only what it sends."""
    fields = {key: (field.annotation | None, None) for key, field in schema.model_fields.items()}
    return create_model(name, __base__=Schema, **fields)


class Page(Schema):
    count: int
    page: int
    page_size: int


def _page(queryset: models.QuerySet, page: int, page_size: int) -> dict:
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    start = (page - 1) * page_size
    return {
        "count": queryset.count(),
        "page": page,
        "page_size": page_size,
        "items": list(queryset[start : start + page_size]),
    }


def _require(request, action: str, model) -> None:
    if not Scope.of(request.auth).allows(action, model):
        raise PermissionDenied("您的角色无权执行此操作")


# Reference data ---------------------------------------------------------------


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None = None

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class RegionPage(Page):
    items: list[RegionOut]


@api.get("/regions", response=RegionPage, tags=["参考数据"], summary="行政区划 (GB/T 2260)")
def list_regions(request, parent: str | None = None, level: int | None = None, page: int = 1, page_size: int = 100):
    regions = Region.objects.select_related("parent")
    if parent:
        regions = regions.filter(parent__code=parent)
    if level:
        regions = regions.filter(level=level)
    return _page(regions, page, page_size)


class IndustryOut(Schema):
    code: str
    name: str
    level: int
    section: str


class IndustryPage(Page):
    items: list[IndustryOut]


@api.get("/industries", response=IndustryPage, tags=["参考数据"], summary="国民经济行业分类 (GB/T 4754-2017)")
def list_industries(request, level: int | None = None, prefix: str | None = None, page: int = 1, page_size: int = 100):
    industries = Industry.objects.all()
    if level:
        industries = industries.filter(level=level)
    if prefix:
        industries = industries.filter(code__startswith=prefix)
    return _page(industries, page, page_size)


# Zones -------------------------------------------------------------------------


class ZoneIn(Schema):
    code: str = ""
    name: str
    level: str
    kind: str
    region_code: str
    approval_authority: str = ""
    approval_date: dt.date | None = None
    approved_area_m2: float | None = None
    planned_area_m2: float | None = None
    built_area_m2: float | None = None
    leading_industries: str = ""
    management_committee: str = ""
    platform_company: str = ""


ZonePatch = partial(ZoneIn, "ZonePatch")


class ZoneOut(Schema):
    id: int
    code: str
    name: str
    level: str
    kind: str
    region_code: str
    region_name: str
    approval_authority: str
    approval_date: dt.date | None
    approved_area_m2: float | None
    planned_area_m2: float | None
    built_area_m2: float | None
    leading_industries: str
    management_committee: str
    platform_company: str

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.full_name


class ZonePage(Page):
    items: list[ZoneOut]


class ZoneFilters(Schema):
    q: str | None = None
    region: str | None = None
    level: str | None = None
    kind: str | None = None


def _lookup(model, field: str, message: str, **lookup):
    """The one record `lookup` names, or a validation error on `field`."""
    found = model.objects.filter(**lookup).first()
    if found is None:
        raise ValidationError({field: [message]})
    return found


def _zone_fields(user, data: dict) -> tuple[dict, dict]:
    if "region_code" in data:
        data["region"] = _lookup(Region, "region", "区划代码不存在", code=data.pop("region_code"))
    return data, {}


# Enterprises ------------------------------------------------------------------


class EnterpriseIn(Schema):
    credit_code: str
    name: str
    zone_id: int | None = None
    region_code: str | None = None
    industry_code: str | None = None
    scale: str = "below"
    production_start: dt.date | None = None
    registered_capital_yuan: Decimal | None = None
    employees: int | None = None
    address: str = ""
    tags: list[str] | None = None


EnterprisePatch = partial(EnterpriseIn, "EnterprisePatch")


class EnterpriseOut(Schema):
    id: int
    credit_code: str
    name: str
    zone_id: int | None
    zone_name: str | None
    region_code: str
    industry_code: str | None
    industry_name: str | None
    scale: str
    production_start: dt.date | None
    registered_capital_yuan: Decimal | None
    employees: int | None
    address: str
    tags: list[str]

    @staticmethod
    def resolve_zone_name(obj) -> str | None:
        return obj.zone.name if obj.zone_id else None

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_industry_code(obj) -> str | None:
        return obj.industry.code if obj.industry_id else None

    @staticmethod
    def resolve_industry_name(obj) -> str | None:
        return obj.industry.name if obj.industry_id else None

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t.code for t in obj.tags.all()]


class EnterprisePage(Page):
    items: list[EnterpriseOut]


class EnterpriseFilters(Schema):
    q: str | None = None
    region: str | None = None
    zone: int | None = None
    industry: str | None = None
    section: str | None = None
    scale: str | None = None
    tag: str | None = None


def _enterprise_fields(user, data: dict) -> tuple[dict, dict]:
    m2m = {}
    if data.get("tags") is not None:
        tags = list(Tag.objects.filter(code__in=data["tags"]))
        if len(tags) != len(set(data["tags"])):
            known = "、".join(Tag.objects.values_list("code", flat=True))
            raise ValidationError({"tags": [f"未知标签，可用：{known}"]})
        m2m["tags"] = tags
    data.pop("tags", None)
    if data.get("zone_id") is not None:
        data["zone"] = get_for(user, Zone, VIEW, pk=data.pop("zone_id"))
        data["region"] = data["zone"].region
    if data.get("region_code"):
        data.setdefault("region", _lookup(Region, "region", "区划代码不存在", code=data["region_code"]))
    data.pop("region_code", None)
    if "industry_code" in data:
        code = data.pop("industry_code")
        data["industry"] = _lookup(Industry, "industry", "行业代码不在 GB/T 4754-2017 中", code=code) if code else None
    return data, m2m


# Parcels ----------------------------------------------------------------------


class ParcelIn(Schema):
    number: str
    zone_id: int
    holder_credit_code: str | None = None
    area_m2: float
    use: str = "industrial"
    supply_date: dt.date | None = None
    agreed_start_date: dt.date | None = None
    actual_start_date: dt.date | None = None
    completion_date: dt.date | None = None
    floor_area_m2: float | None = None
    footprint_m2: float | None = None
    contract_investment_yuan: Decimal | None = None


ParcelPatch = partial(ParcelIn, "ParcelPatch")


class TenancyOut(Schema):
    tenant_credit_code: str
    tenant_name: str
    floor_area_m2: float
    start_date: dt.date | None
    end_date: dt.date | None

    @staticmethod
    def resolve_tenant_credit_code(obj) -> str:
        return obj.tenant.credit_code

    @staticmethod
    def resolve_tenant_name(obj) -> str:
        return obj.tenant.name


class ParcelOut(Schema):
    id: int
    number: str
    zone_id: int
    zone_name: str
    holder_credit_code: str | None
    holder_name: str | None
    area_m2: float
    area_mu: float
    use: str
    supply_date: dt.date | None
    agreed_start_date: dt.date | None
    actual_start_date: dt.date | None
    completion_date: dt.date | None
    floor_area_m2: float | None
    footprint_m2: float | None
    contract_investment_yuan: Decimal | None
    tenancies: list[TenancyOut]

    @staticmethod
    def resolve_zone_name(obj) -> str:
        return obj.zone.name

    @staticmethod
    def resolve_holder_credit_code(obj) -> str | None:
        return obj.holder.credit_code if obj.holder_id else None

    @staticmethod
    def resolve_holder_name(obj) -> str | None:
        return obj.holder.name if obj.holder_id else None

    @staticmethod
    def resolve_tenancies(obj) -> list:
        return list(obj.tenancies.all())


class ParcelPage(Page):
    items: list[ParcelOut]


class ParcelFilters(Schema):
    q: str | None = None
    region: str | None = None
    zone: int | None = None
    use: str | None = None


def _parcel_fields(user, data: dict) -> tuple[dict, dict]:
    if data.get("zone_id") is not None:
        data["zone"] = get_for(user, Zone, VIEW, pk=data.pop("zone_id"))
    if "holder_credit_code" in data:
        code = data.pop("holder_credit_code")
        holder = Enterprise.objects.visible_to(user).filter(credit_code=code).first() if code else None
        if code and holder is None:
            raise ValidationError({"holder": ["未找到该统一社会信用代码的企业，或不在您的管辖范围内"]})
        data["holder"] = holder
    return data, {}


def register(slug: str, tag: str, schemas: tuple, to_fields: Callable, prefetch: tuple[str, ...] = ()) -> None:
    """List, detail, create, update and delete for one kind, all through visible_to and the actions."""
    kind = KINDS[slug]
    model, label = kind.model, kind.label
    create_in, patch_in, out, page_out, filters_in = schemas

    @api.get(f"/{slug}", response=page_out, tags=[tag], summary=f"{label}列表", operation_id=f"list_{slug}")
    def list_records(request, filters: Query[filters_in], page: int = 1, page_size: int = 50):
        queryset = kind.apply_filters(kind.queryset(model.objects.visible_to(request.auth)), filters.model_dump())
        return _page(queryset.prefetch_related(*prefetch), page, page_size)

    @api.get(f"/{slug}/{{pk}}", response=out, tags=[tag], summary=f"{label}详情", operation_id=f"get_{slug}")
    def get_record(request, pk: int):
        return get_for(request.auth, model, VIEW, pk=pk)

    @api.post(f"/{slug}", response={201: out}, tags=[tag], summary=f"新增{label}", operation_id=f"create_{slug}")
    def create_record(request, payload: create_in):
        _require(request, ADD, model)
        fields, m2m = to_fields(request.auth, payload.model_dump())
        return Status(201, actions.do_create(request.auth, model, fields, m2m))

    @api.patch(f"/{slug}/{{pk}}", response=out, tags=[tag], summary=f"修改{label}", operation_id=f"update_{slug}")
    def update_record(request, pk: int, payload: patch_in):
        record = get_for(request.auth, model, CHANGE, pk=pk)
        fields, m2m = to_fields(request.auth, payload.model_dump(exclude_unset=True))
        return actions.do_update(request.auth, record, fields, m2m)

    @api.delete(
        f"/{slug}/{{pk}}", response={204: None}, tags=[tag], summary=f"删除{label}", operation_id=f"delete_{slug}"
    )
    def delete_record(request, pk: int):
        record = get_for(request.auth, model, DELETE, pk=pk)
        try:
            actions.do_delete(request.auth, record)
        except models.ProtectedError:
            raise HttpError(409, "仍有其他记录引用该记录，无法删除") from None
        return Status(204, None)


register("zones", "开发区", (ZoneIn, ZonePatch, ZoneOut, ZonePage, ZoneFilters), _zone_fields)
register(
    "enterprises",
    "企业",
    (EnterpriseIn, EnterprisePatch, EnterpriseOut, EnterprisePage, EnterpriseFilters),
    _enterprise_fields,
    prefetch=("tags",),
)
register(
    "parcels",
    "地块",
    (ParcelIn, ParcelPatch, ParcelOut, ParcelPage, ParcelFilters),
    _parcel_fields,
    prefetch=("tenancies__tenant",),
)


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    frequency: str
    cumulative: bool
    aggregation: str
    numerator: str
    denominator: str


class ReportOut(Schema):
    id: int
    form: str
    zone_id: int
    zone_name: str
    year: int
    month: int
    state: str
    values: dict[str, float]
    findings: list[dict]
    explanations: dict[str, str]

    @staticmethod
    def resolve_form(obj) -> str:
        return obj.form.code

    @staticmethod
    def resolve_zone_name(obj) -> str:
        return obj.zone.name


class ReportPage(Page):
    items: list[ReportOut]


class ReportFilters(Schema):
    form: str | None = None
    zone: int | None = None
    year: int | None = None
    month: int | None = None
    state: str | None = None


@api.get(
    "/indicators", response=list[IndicatorOut], tags=["统计监测"], summary="统计指标", operation_id="list_indicators"
)
def list_indicators(request):
    _require(request, VIEW, Report)
    return list(Indicator.objects.all())


@api.get("/reports", response=ReportPage, tags=["统计监测"], summary="开发区统计报表", operation_id="list_reports")
def list_reports(request, filters: Query[ReportFilters], page: int = 1, page_size: int = 50):
    """Reports in the caller's scope, as filled (values in each indicator's unit); read only: a
    report changes through its page, where the checks and the review take place."""
    wanted = {k: v for k, v in filters.model_dump().items() if v is not None}
    lookups = {"form": "form__code", "zone": "zone_id"}
    queryset = Report.objects.visible_to(request.auth).filter(**{lookups.get(k, k): v for k, v in wanted.items()})
    return _page(queryset.select_related("form", "zone").order_by("-year", "-month", "zone_id"), page, page_size)
