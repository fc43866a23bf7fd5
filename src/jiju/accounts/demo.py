"""The demo's accounts: one of each role in Henan, two city offices of equal rank among them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from jiju.accounts.models import Profile
from jiju.platform import permissions
from jiju.registry.models import Region, Zone

PASSWORD = "jiju2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    regions: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    department: str = ""


PROVINCE_ACCOUNTS = (
    DemoAccount("province", "河南省开发区办", permissions.PROVINCE_ADMIN, regions=("410000",)),
    DemoAccount("leader", "河南省人民政府", permissions.LEADER, regions=("410000",)),
    DemoAccount("zhengzhou", "郑州市开发区办", permissions.CITY_OFFICE, regions=("410100",)),
    DemoAccount("luoyang", "洛阳市开发区办", permissions.CITY_OFFICE, regions=("410300",)),
    DemoAccount("zzetdz", "郑州经济技术开发区管委会", permissions.ZONE_OFFICER, zones=("郑州经济技术开发区",)),
    DemoAccount("stats", "河南省统计局", permissions.DATA_PROVIDER, regions=("410000",), department="statistics"),
    DemoAccount("tax", "国家税务总局河南省税务局", permissions.DATA_PROVIDER, regions=("410000",), department="tax"),
)


def ensure_admin():
    user_model = get_user_model()
    admin, created = user_model.objects.get_or_create(
        username="admin", defaults={"is_superuser": True, "is_staff": True}
    )
    if created:
        admin.set_password(PASSWORD)
        admin.first_name = "系统管理员"
        admin.save()
    return admin


def create_accounts(accounts: tuple[DemoAccount, ...]) -> None:
    user_model = get_user_model()
    for account in accounts:
        user, _ = user_model.objects.get_or_create(username=account.username)
        user.first_name = account.name
        user.set_password(PASSWORD)
        user.save()
        profile, _ = Profile.objects.update_or_create(
            user=user, defaults={"role": account.role, "organisation": account.name, "department": account.department}
        )
        profile.regions.set(Region.objects.filter(code__in=account.regions))
        profile.zones.set(Zone.objects.filter(name__in=account.zones))


def reset() -> None:
    """Remove the demo's accounts (the administrator stays)."""
    with transaction.atomic():
        get_user_model().objects.filter(username__in=[a.username for a in PROVINCE_ACCOUNTS]).delete()
