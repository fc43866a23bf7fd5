"""Departmental uploads. Thin: the checks and the writing are in assessment.actions."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiju.assessment import actions
from jiju.assessment.models import ColumnMapping, DepartmentUpload
from jiju.ingest.departments import DEPARTMENTS
from jiju.registry.querysets import DATA_PROVIDER, UPLOAD, Scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _departments(user) -> list:
    scope = Scope.of(user)
    if not scope.allows(UPLOAD, actions.EnterpriseYear):
        raise PermissionDenied("您的角色无权上传部门数据")
    if scope.role == DATA_PROVIDER:
        own = getattr(getattr(user, "profile", None), "department", "")
        return [DEPARTMENTS[own]] if own in DEPARTMENTS else []
    return list(DEPARTMENTS.values())


@login_required
def upload(request):
    departments = _departments(request.user)
    if not departments:
        raise PermissionDenied("您的账号未设置报送部门，请联系管理员")
    chosen = request.POST.get("department") or request.GET.get("department") or departments[0].code
    if chosen not in {d.code for d in departments}:
        raise PermissionDenied("数据报送部门账号只能上传本部门的数据")
    outcome = None
    year = int(request.POST.get("year") or timezone.localdate().year - 1)
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            messages.error(request, "请选择要上传的文件")
        else:
            outcome = actions.do_upload(
                request.user,
                chosen,
                year,
                file.read(),
                file.name,
                ignore_unmatched=bool(request.POST.get("ignore_unmatched")),
            )
            if outcome.accepted:
                messages.success(request, f"上传成功：{outcome.rows} 行，写入 {outcome.stored} 家企业的 {year} 年数据")
    department = DEPARTMENTS[chosen]
    return render(
        request,
        "assessment/upload.html",
        {
            "departments": departments,
            "department": department,
            "year": year,
            "outcome": outcome,
            "fields": [
                ("credit_code", "统一社会信用代码"),
                ("name", "企业名称"),
                *((x.field, x.label) for x in department.measures),
            ],
            "mappings": ColumnMapping.objects.filter(department=chosen),
            "uploads": DepartmentUpload.objects.filter(department=chosen)[:20],
        },
    )


@login_required
@require_POST
def add_mapping(request):
    department = request.POST.get("department", "")
    try:
        actions.do_set_mapping(request.user, department, request.POST.get("header", ""), request.POST.get("field", ""))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已保存列映射，今后该部门文件中的这一列将按此读取")
    return redirect(f"/assessment/upload/?department={quote(department)}")


@login_required
def marked(request, token: str):
    body = actions.marked_workbook(request.user, token)
    if body is None:
        raise Http404("标注文件已过期，请重新上传")
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('校验结果（错误已标红）.xlsx')}"
    return response
