"""The REST API (django-ninja): token auth, paging, filters; OpenAPI at /api/openapi.json.

Reads go through visible_to and writes through the registry actions, as the pages do. Every
answer other than a success is an `ErrorOut` in Chinese, and each operation declares the
errors it can give, so the schema describes every response (schemathesis checks it).
"""

import datetime as dt
import json
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Field, FilterSchema, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.filter_schema import FilterLookup
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer
from pydantic import AfterValidator, create_model

from jiju.accounts.models import ApiToken
from jiju.changelog.context import API, attribute_to
from jiju.core import values
from jiju.monitoring.models import Indicator, Report
from jiju.platform.actions import NotInScope, OutsideScope, get_for
from jiju.platform.permissions import ADD, CHANGE, DELETE, VIEW, Scope
from jiju.registry import actions
from jiju.registry.kinds import KINDS
from jiju.registry.models import Enterprise, Industry, Region, Tag, Zone

logger = logging.getLogger(__name__)

MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000  # 5 亿条：远超任何底册，又使偏移量落在 64 位整数之内
MAX_ID = 2**63 - 1  # BigAutoField 的上限：更大的编号在数据库里不可能存在

# Numbers as the API accepts them: an id within 64 bits, and figures held to the rule every input path
# applies (`jiju.core.values`: finite, below its magnitude), so JSON's NaN, Infinity and 1e400 are refused.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Figure = Annotated[float, AfterValidator(values.finite)]
Amount = Annotated[Decimal, AfterValidator(lambda amount: values.decimal(str(amount)))]
Count = Annotated[int, Field(ge=0, le=2**31 - 1)]
# Text as every input path takes it: no NUL or other control character (PostgreSQL refuses NUL even in a lookup).
Text = Annotated[str, AfterValidator(values.clean_text)]


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
    description=(
        "开发区、企业、地块底册接口。面积单位为平方米，金额单位为元。"
        "出错时返回 {detail: 中文说明, fields: {字段: [原因]}}。"
    ),
)


# Errors ------------------------------------------------------------------------


class ErrorOut(Schema):
    """The one shape of every error: a sentence for people, and per field its reasons (empty if none)."""

    detail: str
    fields: dict[str, list[str]]


def _error(request, status: int, detail: str, fields: dict[str, list[str]] | None = None):
    return api.create_response(request, {"detail": detail, "fields": fields or {}}, status=status)


_SOURCES = {"body": "请求体", "query": "查询参数", "path": "路径参数", "header": "请求头", "cookie": "Cookie"}

# pydantic's error types, said in Chinese; `{...}` are filled from the error's context.
_REASONS = {
    "missing": "必填",
    "string_type": "应为文本（不能为 null）",
    "string_too_long": "过长（最多 {max_length} 个字符）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_parsing_size": "整数过大",
    "int_from_float": "应为整数（不能带小数）",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "finite_number": "不是有限的数字（NaN、Infinity 等不能作为数值）",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为有效日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期，不能带时刻",
    "list_type": "应为数组",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "string_unicode": "应为有效的 Unicode 文本",
}


def _reason(error: dict) -> str:
    """One pydantic error in Chinese: a value_error comes only from our validators (`jiju.core.values`,
    whose messages are Chinese; ninja passes them on as text), the rest are said from `_REASONS`."""
    context = error.get("ctx") or {}
    if error["type"] == "value_error" and context.get("error"):
        return str(context["error"])
    template = _REASONS.get(error["type"], "取值无效")
    try:
        return template.format(**context)
    except KeyError:  # a bound pydantic did not report: the reason without it
        return "取值无效"


def _field(location: tuple | list) -> tuple[str, str]:
    """Where an error is, as (source in Chinese, field path): a body's payload name is not shown."""
    source, *path = location
    if source == "body" and path:
        path = path[1:]
    return _SOURCES.get(source, str(source)), ".".join(str(part) for part in path) or "（整体）"


@api.exception_handler(RequestInvalid)
def _request_invalid(request, exc: RequestInvalid):
    fields: dict[str, list[str]] = {}
    sentences = []
    for error in exc.errors:
        source, name = _field(error["loc"])
        reason = _reason(error)
        fields.setdefault(name, []).append(reason)
        sentences.append(f"{source} {name}：{reason}")
    return _error(request, 422, "请求有误：" + "；".join(sentences), fields)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, "；".join(exc.messages), fields)


@api.exception_handler(NotInScope)
def _missing(request, exc):
    return _error(request, 404, str(exc) or "记录不存在")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "记录不存在")


@api.exception_handler(OutsideScope)
def _outside(request, exc: OutsideScope):
    """A placement outside the user's scope is a fault of the request, not a missing right."""
    return _error(request, 422, str(exc))


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    return _error(request, 403, str(exc) or "无权执行此操作")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "未提供有效的访问令牌（请求头 Authorization: Bearer <令牌>）")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    """ninja's own HttpErrors say English; the only one it raises here is a body it cannot parse."""
    cause = exc.__cause__
    if isinstance(cause, json.JSONDecodeError):
        return _error(request, 400, f"请求体不是有效的 JSON（第 {cause.lineno} 行第 {cause.colno} 列）")
    if isinstance(cause, UnicodeDecodeError):
        return _error(request, 400, "请求体不是有效的 UTF-8 文本")
    if exc.status_code == 400:
        return _error(request, 400, "无法解析请求体")
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Exception)
def _fault(request, exc: Exception):
    """The last net: logged with its traceback for the operators, a Chinese sentence for the caller."""
    logger.exception("API 请求出错：%s %s", request.method, request.path)
    if transaction.get_connection().in_atomic_block:
        transaction.set_rollback(True)
    return _error(request, 500, "服务器内部错误，已记录，请稍后重试或联系管理员")


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation declares besides 401 (no token) and 422 (a bad parameter)."""
    return dict.fromkeys((401, 422, *codes), ErrorOut)


# Paging --------------------------------------------------------------------------


class Pages(PageNumberPagination):
    """ninja's page-number paging, bounded (a page beyond 64 bits, zero or negative is a 422) and saying
    which page and size it gave."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}")

    class Output(Schema):
        count: int
        page: int
        page_size: int
        items: list[Any]

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> dict:
        page_size = self._get_page_size(pagination.page_size)
        start = (pagination.page - 1) * page_size
        return {
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": page_size,
            "items": list(queryset[start : start + page_size]),
        }


def partial(schema: type[Schema], name: str) -> type[Schema]:
    """The same fields, all optional: a PATCH changes only what it sends (null only where the field allows it)."""
    fields = {
        key: (Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation, None)
        for key, field in schema.model_fields.items()
    }
    return create_model(name, __base__=Schema, **fields)


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


class RegionFilters(FilterSchema):
    parent: Annotated[Text | None, FilterLookup("parent__code")] = None
    level: Annotated[int | None, Field(ge=1, le=3), FilterLookup("level")] = None


@api.get("/regions", response={200: list[RegionOut], **errors()}, tags=["参考数据"], summary="行政区划 (GB/T 2260)")
@paginate(Pages, page_size=100)
def list_regions(request, filters: Query[RegionFilters]):
    return filters.filter(Region.objects.select_related("parent"))


class IndustryOut(Schema):
    code: str
    name: str
    level: int
    section: str


class IndustryFilters(FilterSchema):
    level: Annotated[int | None, Field(ge=1, le=4), FilterLookup("level")] = None
    prefix: Annotated[Text | None, FilterLookup("code__startswith")] = None


@api.get(
    "/industries",
    response={200: list[IndustryOut], **errors()},
    tags=["参考数据"],
    summary="国民经济行业分类 (GB/T 4754-2017)",
)
@paginate(Pages, page_size=100)
def list_industries(request, filters: Query[IndustryFilters]):
    return filters.filter(Industry.objects.all())


# Zones -------------------------------------------------------------------------


class ZoneIn(Schema):
    code: Text = ""
    name: Text
    level: Text
    kind: Text
    region_code: Text
    approval_authority: Text = ""
    approval_date: dt.date | None = None
    approved_area_m2: Figure | None = None
    planned_area_m2: Figure | None = None
    built_area_m2: Figure | None = None
    leading_industries: Text = ""
    management_committee: Text = ""
    platform_company: Text = ""


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


class KindFilters(FilterSchema):
    """ninja's filter schema over a registry kind's search and filters: the very condition its page applies."""

    slug: ClassVar[str]

    def custom_expression(self) -> Q:
        return KINDS[self.slug].condition(self.model_dump())


class ZoneFilters(KindFilters):
    slug = "zones"

    q: Text | None = None
    region: Text | None = None
    level: Text | None = None
    kind: Text | None = None


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
    credit_code: Text
    name: Text
    zone_id: Id | None = None
    region_code: Text | None = None
    industry_code: Text | None = None
    scale: Text = "below"
    production_start: dt.date | None = None
    registered_capital_yuan: Amount | None = None
    employees: Count | None = None
    address: Text = ""
    tags: list[Text] | None = None


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


class EnterpriseFilters(KindFilters):
    slug = "enterprises"

    q: Text | None = None
    region: Text | None = None
    zone: Id | None = None
    industry: Text | None = None
    section: Text | None = None
    scale: Text | None = None
    tag: Text | None = None


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
    number: Text
    zone_id: Id
    holder_credit_code: Text | None = None
    area_m2: Figure
    use: Text = "industrial"
    supply_date: dt.date | None = None
    agreed_start_date: dt.date | None = None
    actual_start_date: dt.date | None = None
    completion_date: dt.date | None = None
    floor_area_m2: Figure | None = None
    footprint_m2: Figure | None = None
    contract_investment_yuan: Amount | None = None


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


class ParcelFilters(KindFilters):
    slug = "parcels"

    q: Text | None = None
    region: Text | None = None
    zone: Id | None = None
    use: Text | None = None


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
    create_in, patch_in, out, filters_in = schemas
    Pk = Annotated[int, Path(ge=1, le=MAX_ID, description=f"{label}编号")]

    @api.get(
        f"/{slug}",
        response={200: list[out], **errors()},
        tags=[tag],
        summary=f"{label}列表",
        operation_id=f"list_{slug}",
    )
    @paginate(Pages, page_size=50)
    def list_records(request, filters: Query[filters_in]):
        return filters.filter(kind.queryset(model.objects.visible_to(request.auth))).prefetch_related(*prefetch)

    @api.get(
        f"/{slug}/{{pk}}",
        response={200: out, **errors(404)},
        tags=[tag],
        summary=f"{label}详情",
        operation_id=f"get_{slug}",
    )
    def get_record(request, pk: Pk):
        return get_for(request.auth, model, VIEW, pk=pk)

    @api.post(
        f"/{slug}",
        response={201: out, **errors(400, 403, 404)},
        tags=[tag],
        summary=f"新增{label}",
        operation_id=f"create_{slug}",
    )
    def create_record(request, payload: create_in):
        _require(request, ADD, model)
        fields, m2m = to_fields(request.auth, payload.model_dump())
        return Status(201, actions.do_create(request.auth, model, fields, m2m))

    @api.patch(
        f"/{slug}/{{pk}}",
        response={200: out, **errors(400, 403, 404)},
        tags=[tag],
        summary=f"修改{label}",
        operation_id=f"update_{slug}",
    )
    def update_record(request, pk: Pk, payload: patch_in):
        record = get_for(request.auth, model, CHANGE, pk=pk)
        fields, m2m = to_fields(request.auth, payload.model_dump(exclude_unset=True))
        return actions.do_update(request.auth, record, fields, m2m)

    @api.delete(
        f"/{slug}/{{pk}}",
        response={204: None, **errors(403, 404, 409)},
        tags=[tag],
        summary=f"删除{label}",
        operation_id=f"delete_{slug}",
    )
    def delete_record(request, pk: Pk):
        record = get_for(request.auth, model, DELETE, pk=pk)
        try:
            actions.do_delete(request.auth, record)
        except models.ProtectedError:
            raise HttpError(409, "仍有其他记录引用该记录，无法删除") from None
        return Status(204, None)


register("zones", "开发区", (ZoneIn, ZonePatch, ZoneOut, ZoneFilters), _zone_fields)
register(
    "enterprises",
    "企业",
    (EnterpriseIn, EnterprisePatch, EnterpriseOut, EnterpriseFilters),
    _enterprise_fields,
    prefetch=("tags",),
)
register(
    "parcels",
    "地块",
    (ParcelIn, ParcelPatch, ParcelOut, ParcelFilters),
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


class ReportFilters(FilterSchema):
    form: Annotated[Text | None, FilterLookup("form__code")] = None
    zone: Annotated[Id | None, FilterLookup("zone_id")] = None
    year: Annotated[int | None, Field(ge=1900, le=9999), FilterLookup("year")] = None
    month: Annotated[int | None, Field(ge=1, le=12), FilterLookup("month")] = None
    state: Annotated[Text | None, FilterLookup("state")] = None


@api.get(
    "/indicators",
    response={200: list[IndicatorOut], **errors(403)},
    tags=["统计监测"],
    summary="统计指标",
    operation_id="list_indicators",
)
def list_indicators(request):
    _require(request, VIEW, Report)
    return list(Indicator.objects.all())


@api.get(
    "/reports",
    response={200: list[ReportOut], **errors()},
    tags=["统计监测"],
    summary="开发区统计报表",
    operation_id="list_reports",
)
@paginate(Pages, page_size=50)
def list_reports(request, filters: Query[ReportFilters]):
    """Reports in the caller's scope, as filled (values in each indicator's unit); read only: a
    report changes through its page, where the checks and the review take place."""
    queryset = filters.filter(Report.objects.visible_to(request.auth))
    return queryset.select_related("form", "zone").order_by("-year", "-month", "zone_id")
