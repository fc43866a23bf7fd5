"""Whose name a document bears and what area it covers, from the account that asks for it.

A city office's bulletin is that city's bulletin, titled for the city and signed by the city's
office; a leader's copy is signed by the leader's own body, never by a role name such as
"领导（只读）". The office is the account's 单位 (Profile.organisation), else its 姓名或单位
(which the account form says is the name documents carry), else the office of its area.
"""

from __future__ import annotations

from jiju.accounts.models import Profile
from jiju.registry.models import Region

ROLE_NAMES = {str(label) for _, label in Profile.ROLES}


def _profile(user) -> Profile | None:
    return getattr(user, "profile", None)


def area_name(user) -> str:
    """What the account's documents cover: 全省 for a province (or the whole system), the city's
    or county's name, or the zones' names."""
    profile = _profile(user)
    if profile is None:
        return "全省"
    regions = sorted(profile.regions.all(), key=lambda r: r.code)
    if regions and all(r.level == Region.PROVINCE for r in regions):
        return "全省"
    if regions:
        return "、".join(r.name for r in regions)
    zones = sorted(z.name for z in profile.zones.all())
    return "、".join(zones) or "全省"


def issuing_office(user) -> str:
    """The office that signs the account's documents."""
    profile = _profile(user)
    for name in (profile.organisation if profile else "", user.get_full_name()):
        name = name.strip()
        if name and name not in ROLE_NAMES and not any(role in name for role in ROLE_NAMES):
            return name
    if profile is not None:
        regions = sorted(profile.regions.all(), key=lambda r: r.code)
        if regions:
            return f"{regions[0].name}开发区工作领导小组办公室"
        zones = sorted(z.name for z in profile.zones.all())
        if zones:
            return f"{zones[0]}管理委员会"
    return "开发区工作领导小组办公室"
