"""The navigation each user sees, built from what its scope allows, so no template tests a role by name.

A link shows when the page behind it would open for the user: the same
`Scope.allows` check its view makes. The site package builds it because it
is the one place that may know every app's pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiju.accounts.models import Profile
from jiju.assessment.models import EnterpriseYear, EvaluationResult
from jiju.monitoring.models import Report
from jiju.platform.permissions import ACCOUNTS, IMPORT, UPLOAD, VIEW, Scope
from jiju.registry.kinds import KINDS
from jiju.registry.models import Enterprise, Parcel, Zone


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    on: bool


def links(user, path: str) -> list[Link]:
    """The links `user` may open, in the header's order, the one holding `path` marked."""
    scope = Scope.of(user)
    entries = [
        (scope.allows(VIEW, Zone), _("首页"), reverse("home"), ()),
        (scope.allows(VIEW, Zone), _("行政区划"), reverse("regions"), ("/regions/",)),
        (scope.allows(VIEW, Zone), _("开发区"), reverse("record_list", args=["zones"]), ("/zones/",)),
        (scope.allows(VIEW, Enterprise), _("企业"), reverse("record_list", args=["enterprises"]), ("/enterprises/",)),
        (scope.allows(VIEW, Parcel), _("地块"), reverse("record_list", args=["parcels"]), ("/parcels/",)),
        (
            any(scope.allows(IMPORT, k.model) for k in KINDS.values() if k.import_kind),
            _("数据导入"),
            reverse("import"),
            ("/import/",),
        ),
        (scope.allows(VIEW, EvaluationResult), _("亩均评价"), reverse("assessment_runs"), ("/assessment/runs/",)),
        (scope.allows(VIEW, Report), _("统计监测"), reverse("dashboard"), ("/monitoring/", "/dashboard/")),
        (scope.allows(UPLOAD, EnterpriseYear), _("部门数据"), reverse("assessment_upload"), ("/assessment/upload/",)),
        (scope.allows(ACCOUNTS, Profile), _("账号管理"), reverse("users"), ("/accounts/",)),
        (scope.everything, _("变更记录"), reverse("changes"), ("/changes/",)),
        (scope.allows(VIEW, Zone), _("接口文档"), "/api/docs", ()),
    ]
    return [
        Link(str(label), url, path == url if not prefixes else any(p in path for p in prefixes))
        for shown, label, url, prefixes in entries
        if shown
    ]


def navigation(request) -> dict:
    """Context processor: the header's links and the account's name and role, each said once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    profile = getattr(user, "profile", None)
    role = profile.get_role_display() if profile is not None else ""
    return {
        "navigation": links(user, request.path),
        "account_name": user.get_full_name() or user.get_username(),
        "account_role": _("系统管理员") if user.is_superuser else role,
    }
