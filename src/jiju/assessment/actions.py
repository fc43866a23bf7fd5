"""Every change to departmental data goes through these functions (pages, API and commands alike)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from jiju.assessment.models import ColumnMapping, DepartmentUpload, EnterpriseYear, IndicatorCard
from jiju.changelog.context import IMPORT, changes_by
from jiju.ingest import mapping as m
from jiju.ingest.departments import DEPARTMENTS, MatchReport, annotate, match, read_department_file
from jiju.ingest.reading import ReadError
from jiju.platform.actions import action, all_or_nothing
from jiju.platform.files import reading_limits
from jiju.platform.permissions import CONFIGURE, DATA_PROVIDER, UPLOAD, VIEW, Scope
from jiju.platform.scoping import made_for
from jiju.registry.actions import do_bulk_create, do_bulk_update
from jiju.registry.models import Enterprise

MARKED_SECONDS = 3600
NOT_IN_SCOPE = "未在您的管辖范围内找到该统一社会信用代码的企业"


@dataclass
class UploadOutcome:
    """What an upload did, or why nothing of it was stored."""

    accepted: bool
    rows: int = 0
    stored: int = 0
    errors: list[m.RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    report: MatchReport | None = None
    marked: str | None = None  # token under which the red-marked workbook waits for its sender
    show_registry_names: bool = False
    replaces: int = 0  # firms whose figures of the year from this department the file would replace
    previous: list[DepartmentUpload] = field(default_factory=list)
    pending: str | None = None  # token under which the file waits for its sender to confirm the replacement


def check_department(user, department: str) -> None:
    scope = Scope.of(user)
    if not scope.allows(UPLOAD, EnterpriseYear):
        raise PermissionDenied("您的角色无权上传部门数据")
    profile = getattr(user, "profile", None)
    if scope.role == DATA_PROVIDER and (profile is None or profile.department != department):
        raise PermissionDenied("数据报送部门账号只能上传本部门的数据")
    if department not in DEPARTMENTS:
        raise PermissionDenied("未知的部门")


def may_set_mapping(user) -> bool:
    """A department's account or a province administrator (a mapping holds province-wide)."""
    scope = Scope.of(user)
    return scope.role == DATA_PROVIDER or scope.allows(CONFIGURE, ColumnMapping)


@action("assessment.ColumnMapping", UPLOAD)
def do_set_mapping(user, department: str, header: str, target: str) -> ColumnMapping:
    """Remember that `header` in this department's files holds `target`. The mapping holds for
    every file of the department, across the province: only its own account or a province
    administrator sets it, never a city or zone reading the department's file for itself."""
    check_department(user, department)
    if not may_set_mapping(user):
        raise PermissionDenied("列映射由报送部门或省级管理员设置")
    fields = {"credit_code", "name", *(x.field for x in DEPARTMENTS[department].measures)}
    if target not in fields:
        raise PermissionDenied(f"“{target}”不是{DEPARTMENTS[department].label}的字段")
    mapping, _ = ColumnMapping.objects.update_or_create(
        department=department, header=header.strip(), defaults={"field": target}
    )
    return mapping


def may_edit_cards(user) -> bool:
    """Indicator cards hold province-wide: a province administrator edits them."""
    return Scope.of(user).allows(CONFIGURE, IndicatorCard)


@action("assessment.IndicatorCard", CONFIGURE)
@transaction.atomic
def do_save_indicator_card(user, card: IndicatorCard) -> IndicatorCard:
    """Save an indicator card as edited; its code is the scheme's, so it cannot change once saved."""
    if not may_edit_cards(user):
        raise PermissionDenied("指标卡片由省级管理员维护")
    if card.pk and IndicatorCard.objects.get(pk=card.pk).code != card.code:
        raise PermissionDenied("指标代码与评价方案对应，不能修改")
    card.full_clean()
    card.save()
    return card


def cards_for(scheme) -> dict[str, IndicatorCard]:
    """The cards of a scheme's indicators, by code."""
    codes = [i.code for i in scheme.indicators]
    return {c.code: c for c in IndicatorCard.objects.filter(code__in=codes)}


@action("assessment.EnterpriseYear", UPLOAD)
def do_upload(
    user,
    department: str,
    year: int,
    data: bytes,
    filename: str,
    ignore_unmatched: bool = False,
    replace: bool = False,
) -> UploadOutcome:
    """Check a department's file whole; store it only when every row is right and matched. A file that
    would overwrite figures this department already gave for the year is stored only with `replace`:
    without it the outcome says how many firms' figures it replaces, and the file waits (`pending`)."""
    check_department(user, department)
    chosen = dict(ColumnMapping.objects.filter(department=department).values_list("header", "field"))
    try:
        file = read_department_file(data, filename, department, chosen, reading_limits())
    except ReadError as exc:
        return UploadOutcome(False, errors=[m.RowError(0, "", filename, str(exc))])
    codes = [str(r["credit_code"]) for _, r in file.records if r.get("credit_code")]
    enterprises = {
        e.credit_code: e
        for e in Enterprise.objects.visible_to(user, UPLOAD)
        .filter(credit_code__in=codes)
        .only("pk", "credit_code", "name")
    }
    report = match(file, {c: e.name for c, e in enterprises.items()})
    key_header = file.headers.get("credit_code", "统一社会信用代码")
    problems = list(file.errors)
    if not ignore_unmatched:
        faulty = {e.row for e in file.errors}  # a code already refused is not reported again as unmatched
        problems += [
            m.RowError(row, key_header, code, NOT_IN_SCOPE) for row, code, _ in report.unmatched if row not in faulty
        ]
    for code, label, values in report.conflicts:
        rows = report.duplicates[code]
        for row in rows:
            others = "、".join(f"第{n}行" for n in rows if n != row)
            shown = "、".join("空" if v is None else f"{v:g}" for v in values)
            problems.append(m.RowError(row, key_header, code, f"与{others}的信用代码相同但{label}不一致（{shown}）"))
    outcome = UploadOutcome(
        False,
        rows=len(file.records),
        errors=sorted(problems, key=lambda e: e.row),
        notes=file.notes,
        report=report,
        show_registry_names=Scope.of(user).allows(VIEW, Enterprise),
    )
    if problems:
        outcome.marked = keep_marked(user, annotate(data, filename, problems, file.table.header_row, reading_limits()))
        return outcome
    if not replace:
        outcome.replaces = _replaced(department, year, file, enterprises)
        if outcome.replaces:
            outcome.previous = list(
                DepartmentUpload.objects.visible_to(user, UPLOAD).filter(department=department, year=year)[:5]
            )
            outcome.pending = _keep(user, "pending", data)
            return outcome
    try:
        with all_or_nothing():
            stored = _store(user, department, year, file, enterprises)
            DepartmentUpload.objects.create(
                department=department,
                year=year,
                filename=filename[:200],
                uploaded_by=user,
                rows=outcome.rows,
                stored=stored,
                notes=file.notes,
                **made_for(user),
            )
    except ValidationError as exc:
        outcome.errors = [m.RowError(0, "", filename, "；".join(exc.messages))]
        return outcome
    outcome.stored, outcome.accepted = stored, True
    return outcome


def _fields(department: str, file) -> list[str]:
    return [x.field for x in DEPARTMENTS[department].measures if x.field in file.headers]


def _replaced(department: str, year: int, file, enterprises: dict[str, Enterprise]) -> int:
    """How many of the file's firms already hold a figure of this department for the year."""
    held = Q()
    for name in _fields(department, file):
        held |= Q(**{f"{name}__isnull": False})
    matched = [e.pk for e in enterprises.values()]
    return EnterpriseYear.objects.filter(held, year=year, enterprise_id__in=matched).count() if held else 0


def _store(user, department: str, year: int, file, enterprises: dict[str, Enterprise]) -> int:
    fields = _fields(department, file)
    values, firms = {}, {}
    for _, record in file.records:
        enterprise = enterprises.get(str(record.get("credit_code")))
        if enterprise is not None:
            values[enterprise.pk] = {f: record.get(f) for f in fields}
            firms[enterprise.pk] = enterprise
    with transaction.atomic(), changes_by(user, IMPORT):
        write_year(year, values, firms, fields)
    return len(values)


def write_year(year: int, values: dict[int, dict], firms: dict[int, Enterprise], fields: list[str]) -> None:
    """Write the year's figures of these firms (enterprise pk -> field -> value), creating the missing
    years: the one path by which departmental data enters, from a file or from an accepted objection.
    The caller has checked the firms' scope and holds the transaction and the changelog's context."""
    stored = EnterpriseYear.objects.filter(year=year, enterprise_id__in=values).select_related("enterprise")
    existing = {y.enterprise_id: y for y in stored}
    for pk, loaded in existing.items():
        for name, value in values[pk].items():
            setattr(loaded, name, value)
    do_bulk_update(EnterpriseYear, list(existing.values()), fields)
    do_bulk_create(
        EnterpriseYear,
        [EnterpriseYear(enterprise=firms[pk], year=year, **row) for pk, row in values.items() if pk not in existing],
    )


def _key(user, kind: str, token: str) -> str:
    return f"jiju:{kind}:{user.pk}:{token}"


def _keep(user, kind: str, body: bytes) -> str:
    token = secrets.token_urlsafe(16)
    cache.set(_key(user, kind, token), body, MARKED_SECONDS)
    return token


def keep_marked(user, body: bytes) -> str:
    """Keep a red-marked workbook for its sender for an hour; the token names it."""
    return _keep(user, "marked", body)


def marked_workbook(user, token: str) -> bytes | None:
    """The red-marked copy of a rejected file, for the user who sent it, for an hour."""
    return cache.get(_key(user, "marked", token))


def pending_file(user, token: str) -> bytes | None:
    """A file waiting for its sender to confirm that it replaces the year's figures, for an hour."""
    return cache.get(_key(user, "pending", token))
