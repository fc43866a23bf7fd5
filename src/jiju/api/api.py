"""The REST API (django-ninja): token auth, paging, filters; OpenAPI at /api/openapi.json.

Reads go through visible_to and writes through the registry actions, as the pages do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from jiju.accounts.models import ApiToken
from jiju.changelog.context import API, attribute_to
from jiju.registry import actions
from jiju.registry.kinds import KINDS
from jiju.registry.models import Enterprise, Industry, Parcel, Region, Tag, Zone
from jiju.registry.querysets import ADD, CHANGE, DELETE, VIEW, Scope

MAX_PAGE_SIZE = 500


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token's user is who every change is attributed to."""

    def authenticate(self, request: HttpRequest, token: str):
        found = ApiToken.objects.select_related("user").filter(key=token, user__is_active=True).first()
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


@api.exception_handler(actions.NotInScope)
def _missing(request, exc):
    return api.create_response(request, {"detail": "记录不存在"}, status=404)


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)


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


class ZonePatch(Schema):
    code: str | None = None
    name: str | None = None
    level: str | None = None
    kind: str | None = None
    region_code: str | None = None
    approval_authority: str | None = None
    approval_date: dt.date | None = None
    approved_area_m2: float | None = None
    planned_area_m2: float | None = None
    built_area_m2: float | None = None
    leading_industries: str | None = None
    management_committee: str | None = None
    platform_company: str | None = None


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


def _zone_fields(data: dict) -> dict:
    if "region_code" in data:
        data["region"] = _lookup(Region, "region", "区划代码不存在", code=data.pop("region_code"))
    return data


@api.get("/zones", response=ZonePage, tags=["开发区"], summary="开发区列表")
def list_zones(request, filters: Query[ZoneFilters], page: int = 1, page_size: int = 50):
    kind = KINDS["zones"]
    queryset = kind.apply_filters(
        kind.queryset(Zone.objects.visible_to(request.auth)), filters.model_dump(exclude_none=True)
    )
    return _page(queryset, page, page_size)


@api.get("/zones/{zone_id}", response=ZoneOut, tags=["开发区"], summary="开发区详情")
def get_zone(request, zone_id: int):
    return actions.get_for(request.auth, Zone, VIEW, pk=zone_id)


@api.post("/zones", response={201: ZoneOut}, tags=["开发区"], summary="新增开发区")
def create_zone(request, payload: ZoneIn):
    _require(request, ADD, Zone)
    return Status(201, actions.do_create(request.auth, Zone, _zone_fields(payload.model_dump())))


@api.patch("/zones/{zone_id}", response=ZoneOut, tags=["开发区"], summary="修改开发区")
def update_zone(request, zone_id: int, payload: ZonePatch):
    zone = actions.get_for(request.auth, Zone, CHANGE, pk=zone_id)
    return actions.do_update(request.auth, zone, _zone_fields(payload.model_dump(exclude_unset=True)))


@api.delete("/zones/{zone_id}", response={204: None}, tags=["开发区"], summary="删除开发区")
def delete_zone(request, zone_id: int):
    zone = actions.get_for(request.auth, Zone, DELETE, pk=zone_id)
    _delete(request.auth, zone)
    return Status(204, None)


def _delete(user, instance) -> None:
    try:
        actions.do_delete(user, instance)
    except models.ProtectedError:
        raise HttpError(409, "仍有其他记录引用该记录，无法删除") from None


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


class EnterprisePatch(Schema):
    credit_code: str | None = None
    name: str | None = None
    zone_id: int | None = None
    region_code: str | None = None
    industry_code: str | None = None
    scale: str | None = None
    production_start: dt.date | None = None
    registered_capital_yuan: Decimal | None = None
    employees: int | None = None
    address: str | None = None
    tags: list[str] | None = None


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
        data["zone"] = actions.get_for(user, Zone, VIEW, pk=data.pop("zone_id"))
        data["region"] = data["zone"].region
    if data.get("region_code"):
        data.setdefault("region", _lookup(Region, "region", "区划代码不存在", code=data["region_code"]))
    data.pop("region_code", None)
    if "industry_code" in data:
        code = data.pop("industry_code")
        data["industry"] = _lookup(Industry, "industry", "行业代码不在 GB/T 4754-2017 中", code=code) if code else None
    return data, m2m


@api.get("/enterprises", response=EnterprisePage, tags=["企业"], summary="企业列表")
def list_enterprises(request, filters: Query[EnterpriseFilters], page: int = 1, page_size: int = 50):
    kind = KINDS["enterprises"]
    queryset = kind.apply_filters(
        kind.queryset(Enterprise.objects.visible_to(request.auth)), filters.model_dump(exclude_none=True)
    )
    return _page(queryset, page, page_size)


@api.get("/enterprises/{enterprise_id}", response=EnterpriseOut, tags=["企业"], summary="企业详情")
def get_enterprise(request, enterprise_id: int):
    return actions.get_for(request.auth, Enterprise, VIEW, pk=enterprise_id)


@api.post("/enterprises", response={201: EnterpriseOut}, tags=["企业"], summary="新增企业")
def create_enterprise(request, payload: EnterpriseIn):
    _require(request, ADD, Enterprise)
    fields, m2m = _enterprise_fields(request.auth, payload.model_dump())
    return Status(201, actions.do_create(request.auth, Enterprise, fields, m2m))


@api.patch("/enterprises/{enterprise_id}", response=EnterpriseOut, tags=["企业"], summary="修改企业")
def update_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    enterprise = actions.get_for(request.auth, Enterprise, CHANGE, pk=enterprise_id)
    fields, m2m = _enterprise_fields(request.auth, payload.model_dump(exclude_unset=True))
    return actions.do_update(request.auth, enterprise, fields, m2m)


@api.delete("/enterprises/{enterprise_id}", response={204: None}, tags=["企业"], summary="删除企业")
def delete_enterprise(request, enterprise_id: int):
    enterprise = actions.get_for(request.auth, Enterprise, DELETE, pk=enterprise_id)
    _delete(request.auth, enterprise)
    return Status(204, None)


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


class ParcelPatch(Schema):
    number: str | None = None
    zone_id: int | None = None
    holder_credit_code: str | None = None
    area_m2: float | None = None
    use: str | None = None
    supply_date: dt.date | None = None
    agreed_start_date: dt.date | None = None
    actual_start_date: dt.date | None = None
    completion_date: dt.date | None = None
    floor_area_m2: float | None = None
    footprint_m2: float | None = None
    contract_investment_yuan: Decimal | None = None


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


def _parcel_fields(user, data: dict) -> dict:
    if data.get("zone_id") is not None:
        data["zone"] = actions.get_for(user, Zone, VIEW, pk=data.pop("zone_id"))
    if "holder_credit_code" in data:
        code = data.pop("holder_credit_code")
        holder = Enterprise.objects.visible_to(user).filter(credit_code=code).first() if code else None
        if code and holder is None:
            raise ValidationError({"holder": ["未找到该统一社会信用代码的企业，或不在您的管辖范围内"]})
        data["holder"] = holder
    return data


@api.get("/parcels", response=ParcelPage, tags=["地块"], summary="地块列表")
def list_parcels(request, filters: Query[ParcelFilters], page: int = 1, page_size: int = 50):
    kind = KINDS["parcels"]
    queryset = kind.apply_filters(
        kind.queryset(Parcel.objects.visible_to(request.auth)), filters.model_dump(exclude_none=True)
    ).prefetch_related("tenancies__tenant")
    return _page(queryset, page, page_size)


@api.get("/parcels/{parcel_id}", response=ParcelOut, tags=["地块"], summary="地块详情")
def get_parcel(request, parcel_id: int):
    return actions.get_for(request.auth, Parcel, VIEW, pk=parcel_id)


@api.post("/parcels", response={201: ParcelOut}, tags=["地块"], summary="新增地块")
def create_parcel(request, payload: ParcelIn):
    _require(request, ADD, Parcel)
    fields = _parcel_fields(request.auth, payload.model_dump())
    return Status(201, actions.do_create(request.auth, Parcel, fields))


@api.patch("/parcels/{parcel_id}", response=ParcelOut, tags=["地块"], summary="修改地块")
def update_parcel(request, parcel_id: int, payload: ParcelPatch):
    parcel = actions.get_for(request.auth, Parcel, CHANGE, pk=parcel_id)
    fields = _parcel_fields(request.auth, payload.model_dump(exclude_unset=True))
    return actions.do_update(request.auth, parcel, fields)


@api.delete("/parcels/{parcel_id}", response={204: None}, tags=["地块"], summary="删除地块")
def delete_parcel(request, parcel_id: int):
    parcel = actions.get_for(request.auth, Parcel, DELETE, pk=parcel_id)
    _delete(request.auth, parcel)
    return Status(204, None)
