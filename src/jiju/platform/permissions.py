"""The one place that decides what a user may see and do (as NetBox's RestrictedQuerySet).

Every list, detail, export, search, import and API view asks
`Model.objects.visible_to(user, action)`; nothing else filters by permission.
A model names the paths to its region and zone in `scope_region` and `scope_zone`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from jiju.core.divisions import chain, scope_prefix

VIEW, ADD, CHANGE, DELETE, IMPORT, EXPORT = "view", "add", "change", "delete", "import", "export"
UPLOAD = "upload"  # send a department's yearly data about enterprises in scope
REVIEW = "review"  # approve or return a zone's statistical report (审核)
UNLOCK = "unlock"  # reopen an approved report, with a reason (解锁)
CONFIGURE = "configure"  # define indicators, report forms and deadlines
PUBLISH = "publish"  # publish a reviewed evaluation run for the scope it was made for (发布)
ACCOUNTS = "accounts"  # create and manage the accounts of one's scope (账号管理)
READ_ACTIONS = frozenset({VIEW, EXPORT})

PROVINCE_ADMIN, CITY_OFFICE, ZONE_OFFICER, DATA_PROVIDER, LEADER = (
    "province_admin",
    "city_office",
    "zone_officer",
    "data_provider",
    "leader",
)
_EDITOR = frozenset({VIEW, ADD, CHANGE, DELETE, IMPORT, EXPORT, UPLOAD})
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    PROVINCE_ADMIN: _EDITOR | {REVIEW, PUBLISH, UNLOCK, CONFIGURE, ACCOUNTS},
    CITY_OFFICE: _EDITOR | {REVIEW, PUBLISH, ACCOUNTS},
    ZONE_OFFICER: _EDITOR,
    # A department uploads its own yearly data about enterprises in its scope and reads nothing.
    DATA_PROVIDER: frozenset({UPLOAD}),
    LEADER: frozenset({VIEW, EXPORT}),
}
# The roles an account manager may grant (and so manage), always within its own scope: nobody
# grants a role above or beside its own; only a system administrator makes province administrators.
GRANTS: dict[str, frozenset[str]] = {
    PROVINCE_ADMIN: frozenset({CITY_OFFICE, ZONE_OFFICER, DATA_PROVIDER, LEADER}),
    CITY_OFFICE: frozenset({ZONE_OFFICER}),
}
# A model may narrow what a zone officer does with it (`zone_officer_actions`): a zone officer
# keeps its zones' records but does not create zones, nor set its own targets.


@dataclass(frozen=True)
class Scope:
    """A user's role, the division code prefixes and zone ids it covers."""

    role: str
    prefixes: tuple[str, ...]
    zone_ids: tuple[int, ...]
    everything: bool = False
    zone_regions: tuple[str, ...] = ()  # the division codes of the zones in `zone_ids`

    @classmethod
    def of(cls, user) -> Scope:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls("", (), ())
        cached = getattr(user, "_jiju_scope", None)
        if cached is not None:
            return cached
        if user.is_superuser:
            scope = cls(PROVINCE_ADMIN, (), (), everything=True)
        else:
            profile = getattr(user, "profile", None)
            if profile is None:
                scope = cls("", (), ())
            else:
                zones = list(profile.zones.values_list("pk", "region__code"))
                scope = cls(
                    profile.role,
                    tuple(scope_prefix(code) for code in profile.regions.values_list("code", flat=True)),
                    tuple(pk for pk, _ in zones),
                    zone_regions=tuple(code for _, code in zones),
                )
        user._jiju_scope = scope
        return scope

    def allows(self, action: str, model: type[models.Model]) -> bool:
        actions = ROLE_ACTIONS.get(self.role, frozenset())
        if self.role == ZONE_OFFICER:
            actions = getattr(model, "zone_officer_actions", actions)
        return action in actions

    def q(self, model: type[models.Model]) -> Q | None:
        """The filter for `model`, or None when the scope covers nothing."""
        condition = Q()
        for prefix in self.prefixes:
            condition |= Q(**{f"{model.scope_region}__code__startswith": prefix})
        if self.zone_ids:
            condition |= Q(**{f"{model.scope_zone}__in": self.zone_ids})
        return condition if condition else None

    def upward_codes(self) -> tuple[str, ...]:
        """The divisions this scope lies in, its own included: a record made for one of them
        concerns this scope too (a city reads the province's evaluation, for its own firms)."""
        codes = {prefix.ljust(6, "0") for prefix in self.prefixes} | set(self.zone_regions)
        return tuple(sorted({upward for code in codes for upward in chain(code)}))

    def provinces(self) -> tuple[str, ...] | None:
        """The two-digit codes of the provinces the scope touches; None for everything."""
        if self.everything:
            return None
        return tuple(sorted({code[:2] for code in (*self.prefixes, *self.zone_regions)}))

    def covers(self, region_code: str | None, zone_id: int | None) -> bool:
        """Whether a record placed in this region and zone falls inside the scope."""
        if self.everything:
            return True
        in_divisions = region_code is not None and any(region_code.startswith(p) for p in self.prefixes)
        if zone_id is not None and zone_id in self.zone_ids:
            # A record of one of the user's zones must stay in a division the user may place records
            # in, or a zone officer could move its zone out of its city's and province's sight.
            return region_code is None or in_divisions or region_code in self.zone_regions
        return in_divisions


class RestrictedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> RestrictedQuerySet:
        scope = Scope.of(user)
        if not scope.allows(action, self.model):
            return self.none()
        if scope.everything:
            return self
        condition = scope.q(self.model)
        return self.filter(condition) if condition is not None else self.none()


def restrict_regions(queryset: models.QuerySet, user) -> models.QuerySet:
    """Divisions a user may place records in: inside its regions or holding its zones."""
    scope = Scope.of(user)
    if scope.everything:
        return queryset
    condition = Q()
    for prefix in scope.prefixes:
        condition |= Q(code__startswith=prefix)
    if scope.zone_ids:
        condition |= Q(zones__in=scope.zone_ids)
    return queryset.filter(condition).distinct() if condition else queryset.none()
