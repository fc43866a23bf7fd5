"""Accounts: a role and a scope (regions and/or zones) for every user, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiju.changelog.models import ChangeLoggedModel
from jiju.ingest.departments import DEPARTMENTS
from jiju.platform import permissions
from jiju.registry.models import Region, Zone


def normalise_username(username: str) -> str:
    """One spelling per account: " luoyang ", "LuoYang" and full-width "ｌｕｏｙａｎｇ" are all luoyang,
    for logging in, for counting failed logins and for storing new accounts."""
    return unicodedata.normalize("NFKC", str(username)).strip().casefold()


class ProfileQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = permissions.ACCOUNTS) -> ProfileQuerySet:
        """The accounts `user` may manage: of a role it may grant, with every region and zone inside
        its scope (an account reaching one step outside belongs to a wider office), never its own."""
        scope = permissions.Scope.of(user)
        if not scope.allows(action, self.model):
            return self.none()
        mine = self.exclude(user=user)
        if scope.everything:
            return mine
        inside = Q()
        for prefix in scope.prefixes:
            inside |= Q(code__startswith=prefix)
        zones_inside = scope.q(Zone)
        if not inside and zones_inside is None:
            return self.none()
        placed = Q(pk__in=self.model.regions.through.objects.values("profile_id")) | Q(
            pk__in=self.model.zones.through.objects.values("profile_id")
        )
        return (
            mine.filter(placed, role__in=permissions.GRANTS.get(scope.role, ()))
            .exclude(regions__in=Region.objects.exclude(inside) if inside else Region.objects.all())
            .exclude(zones__in=Zone.objects.exclude(zones_inside) if zones_inside is not None else Zone.objects.all())
        )


class Profile(ChangeLoggedModel):
    ROLES = [
        (permissions.PROVINCE_ADMIN, _("省级管理员")),
        (permissions.CITY_OFFICE, _("市级开发区办")),
        (permissions.ZONE_OFFICER, _("园区管理员")),
        (permissions.DATA_PROVIDER, _("数据报送部门")),
        (permissions.LEADER, _("领导（只读）")),
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

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("用户资料")
        verbose_name_plural = _("用户资料")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"


def token_digest(key: str) -> str:
    """What is stored of a token: its SHA-256, so a copy of the database opens no account."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API (接口令牌), stored as its digest and shown once."""

    scope_global = "令牌只属于其用户，只在本人的账号页面显示"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("令牌开头"), max_length=8, editable=False)
    description = models.CharField(_("说明"), max_length=100, blank=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)

    key: str | None = None  # the plain key, known only to the instance that created it

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    def save(self, *args, **kwargs) -> None:
        """A new token draws its key here, whatever path creates it, so no plain key is ever stored."""
        if not self.digest:
            self.key = secrets.token_hex(20)
            self.digest, self.prefix = token_digest(self.key), self.key[:8]
        super().save(*args, **kwargs)

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        """The active user's token for a presented key, looked up by digest."""
        return cls.objects.select_related("user").filter(digest=token_digest(key), user__is_active=True).first()
