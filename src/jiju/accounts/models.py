"""Accounts: a role and a scope (regions and/or zones) for every user, and API tokens."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiju.ingest.departments import DEPARTMENTS
from jiju.registry import querysets


class Profile(models.Model):
    scope_global = "账号由账号管理页面按管理者的范围筛选"

    ROLES = [
        (querysets.PROVINCE_ADMIN, _("省级管理员")),
        (querysets.CITY_OFFICE, _("市级开发区办")),
        (querysets.ZONE_OFFICER, _("园区管理员")),
        (querysets.DATA_PROVIDER, _("数据报送部门")),
        (querysets.LEADER, _("领导（只读）")),
    ]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("角色"), max_length=20, choices=ROLES)
    organisation = models.CharField(_("单位"), max_length=100, blank=True)
    department = models.CharField(
        _("报送部门"),
        max_length=20,
        blank=True,
        choices=[(d.code, d.label) for d in DEPARTMENTS.values()],
        help_text=_("数据报送部门账号只能上传本部门的数据"),
    )
    regions = models.ManyToManyField("registry.Region", verbose_name=_("管辖区划"), blank=True)
    zones = models.ManyToManyField("registry.Zone", verbose_name=_("管辖开发区"), blank=True)

    class Meta:
        verbose_name = _("用户资料")
        verbose_name_plural = _("用户资料")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"


def new_token_key() -> str:
    return secrets.token_hex(20)


class ApiToken(models.Model):
    """A bearer token for the REST API (接口令牌)."""

    scope_global = "令牌只属于其用户，只在本人的账号页面显示"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key = models.CharField(_("令牌"), max_length=40, unique=True, default=new_token_key)
    description = models.CharField(_("说明"), max_length=100, blank=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.user} {self.key[:6]}…"
