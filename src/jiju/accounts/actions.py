"""Every change to an account goes through these functions: pages, commands and tests alike.

A manager (a province administrator, a city office) grants only the roles of
`permissions.GRANTS` and only regions and zones inside its own scope; an account
outside that is absent (NotInScope, shown as 404). Each change is written to the
changelog: the user's name and state, the profile's role and scope, and a
password only as the fact that it was reset.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from jiju.accounts.models import ApiToken, Profile, normalise_username
from jiju.changelog.models import ObjectChange, log_change
from jiju.platform import permissions
from jiju.platform.actions import OWN_ACCOUNT, NotInScope, action, get_for
from jiju.registry.actions import set_relations
from jiju.registry.models import Region, Zone

PASSWORD_RESET = "密码已重置"


@dataclass(frozen=True)
class Grant:
    """What an account is given: its role and scope, its office's name and (for a department) which one."""

    role: str
    regions: tuple[Region, ...] = ()
    zones: tuple[Zone, ...] = ()
    department: str = ""
    organisation: str = ""


def grantable_roles(manager) -> list[str]:
    """The roles `manager` may give, in the order Profile lists them (a system administrator: all)."""
    scope = permissions.Scope.of(manager)
    allowed = permissions.GRANTS.get(scope.role, frozenset()) if scope.allows(permissions.ACCOUNTS, Profile) else ()
    return [code for code, _ in Profile.ROLES if scope.everything or code in allowed]


def check_grant(manager, grant: Grant) -> None:
    """Refuse a role or a scope the manager does not hold itself, and a scope that does not fit the role."""
    scope = permissions.Scope.of(manager)
    errors: dict[str, list[str]] = {}
    if grant.role not in grantable_roles(manager):
        errors["role"] = ["您无权授予该角色"]
    outside = [r.full_name for r in grant.regions if not scope.covers(r.code, None)]
    outside += [z.name for z in grant.zones if not scope.covers(z.region.code, z.pk)]
    if outside:
        errors.setdefault("regions" if grant.role != permissions.ZONE_OFFICER else "zones", []).append(
            "超出您的管辖范围：" + "、".join(outside)
        )
    if grant.role == permissions.ZONE_OFFICER:
        if not grant.zones:
            errors.setdefault("zones", []).append("园区管理员须指定所管辖的开发区")
        if grant.regions:
            errors.setdefault("regions", []).append("园区管理员按开发区授权，不设管辖区划")
    else:
        if not grant.regions:
            errors.setdefault("regions", []).append("请指定管辖区划")
        if grant.zones:
            errors.setdefault("zones", []).append("该角色按区划授权，不设管辖开发区")
    if grant.role == permissions.DATA_PROVIDER and not grant.department:
        errors["department"] = ["数据报送部门账号须指定报送部门"]
    if grant.role != permissions.DATA_PROVIDER and grant.department:
        errors["department"] = ["只有数据报送部门账号设置报送部门"]
    if errors:
        raise ValidationError(errors)


def managed_account(manager, pk: int) -> Profile:
    """The profile of user `pk` if `manager` may manage it, else NotInScope (404)."""
    return get_for(manager, Profile, permissions.ACCOUNTS, user_id=pk)


def _user_fields(user) -> dict:
    return {"username": user.username, "first_name": user.first_name, "email": user.email, "is_active": user.is_active}


def _check_password(password: str, user) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


def _apply(profile: Profile, grant: Grant) -> None:
    profile.role, profile.department, profile.organisation = grant.role, grant.department, grant.organisation
    profile.full_clean(exclude=["user"])
    profile.save()
    set_relations(profile, {"regions": grant.regions, "zones": grant.zones})


@action("accounts.Profile", permissions.ACCOUNTS)
@transaction.atomic
def do_create_account(manager, username: str, name: str, password: str, grant: Grant, email: str = ""):
    """A new account with its role and scope; the username is stored normalised."""
    check_grant(manager, grant)
    user = get_user_model()(username=normalise_username(username), first_name=name.strip(), email=email.strip())
    _check_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    log_change(user, ObjectChange.CREATE, None, _user_fields(user))
    _apply(Profile(user=user), grant)
    return user


@action("accounts.Profile", permissions.ACCOUNTS)
@transaction.atomic
def do_update_account(manager, user, name: str, grant: Grant, email: str = ""):
    """Change a managed account's name, role and scope, within what the manager may grant."""
    profile = managed_account(manager, user.pk)
    check_grant(manager, grant)
    before = _user_fields(user)
    user.first_name, user.email = name.strip(), email.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "email"])
    log_change(user, ObjectChange.UPDATE, before, _user_fields(user))
    _apply(profile, grant)
    return user


@action("accounts.Profile", permissions.ACCOUNTS)
@transaction.atomic
def do_set_active(manager, user, active: bool) -> None:
    """Deactivate (its sessions and tokens stop working) or reactivate a managed account."""
    managed_account(manager, user.pk)
    before = _user_fields(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_change(user, ObjectChange.UPDATE, before, _user_fields(user))


def _set_password(user, password: str) -> None:
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    log_change(user, ObjectChange.UPDATE, {}, {"password": PASSWORD_RESET})


@action("accounts.Profile", permissions.ACCOUNTS)
@transaction.atomic
def do_reset_password(manager, user, password: str) -> None:
    """A manager gives a managed account a new password (for instance when it was forgotten)."""
    managed_account(manager, user.pk)
    _set_password(user, password)


@action("accounts.Profile", None, OWN_ACCOUNT)
@transaction.atomic
def do_change_password(user, password: str) -> None:
    """A user changes its own password (the old one already checked by the form)."""
    _set_password(user, password)


@action("accounts.ApiToken", None, OWN_ACCOUNT)
@transaction.atomic
def do_create_token(user, description: str = "") -> ApiToken:
    """A new API token; its plain key is on the returned instance only, to be shown once."""
    token = ApiToken(user=user, description=description.strip()[:100])
    token.save()
    log_change(token, ObjectChange.CREATE, None, _token_fields(token))
    return token


@action("accounts.ApiToken", None, OWN_ACCOUNT)
@transaction.atomic
def do_delete_token(user, pk: int) -> None:
    """Delete one of the user's own tokens; anyone else's is absent."""
    token = user.api_tokens.filter(pk=pk).first()
    if token is None:
        raise NotInScope("接口令牌不存在")
    log_change(token, ObjectChange.DELETE, _token_fields(token), None)
    token.delete()


def _token_fields(token: ApiToken) -> dict:
    return {"user_id": token.user_id, "prefix": token.prefix, "description": token.description}
