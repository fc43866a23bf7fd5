"""The one place that decides what a user may see and do (as NetBox's RestrictedQuerySet).

Every list, detail, export, search, import and API view asks
`Model.objects.visible_to(user, action)`; nothing else filters by permission.
A model names the paths to its region and zone in `scope_region` and `scope_zone`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from jiju.core.divisions import scope_prefix

VIEW, ADD, CHANGE, DELETE, IMPORT, EXPORT = "view", "add", "change", "delete", "import", "export"
UPLOAD = "upload"  # send a department's yearly data about enterprises in scope
REVIEW = "review"  # approve or return a zone's statistical report (审核)
UNLOCK = "unlock"  # reopen an approved report, with a reason (解锁)
CONFIGURE = "configure"  # define indicators, report forms and deadlines

PROVINCE_ADMIN, CITY_OFFICE, ZONE_OFFICER, DATA_PROVIDER, LEADER = (
    "province_admin",
    "city_office",
    "zone_officer",
    "data_provider",
    "leader",
)
_EDITOR = frozenset({VIEW, ADD, CHANGE, DELETE, IMPORT, EXPORT, UPLOAD})
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    PROVINCE_ADMIN: _EDITOR | {REVIEW, UNLOCK, CONFIGURE},
    CITY_OFFICE: _EDITOR | {REVIEW},
    ZONE_OFFICER: _EDITOR,
    # A department uploads its own yearly data about enterprises in its scope and reads nothing.
    DATA_PROVIDER: frozenset({UPLOAD}),
    LEADER: frozenset({VIEW, EXPORT}),
}
# A model may narrow what a zone officer does with it (`zone_officer_actions`): a zone officer
# keeps its zones' records but does not create zones, nor set its own targets.


@dataclass(frozen=True)
class Scope:
    """A user's role, the division code prefixes and zone ids it covers.

    `zone_regions` are the division codes its zones lie in: the only divisions a user that holds
    zones but no division may place a record of those zones in.
    """

    role: str
    prefixes: tuple[str, ...]
    zone_ids: tuple[int, ...]
    everything: bool = False
    zone_regions: tuple[str, ...] = ()

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
                    zone_regions=tuple(sorted({code for _, code in zones})),
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

    def covers(self, region_code: str | None, zone_id: int | None) -> bool:
        """Whether a record placed in this region and zone falls inside the scope.

        A record of one of the user's zones must also lie in a division the user may place records
        in (its divisions, or those its zones lie in, as `restrict_regions` offers them): otherwise
        a zone officer could move its zone, or a record of it, out of its city's and province's sight.
        """
        if self.everything:
            return True
        in_divisions = region_code is not None and any(region_code.startswith(p) for p in self.prefixes)
        if zone_id is not None and zone_id in self.zone_ids:
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
