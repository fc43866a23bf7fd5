"""Records made for a scope (适用范围): a run, an evaluation, a rating event, a deadline, an upload.

Such a record belongs to the office, city or zone it was made for. Those who cover that scope
act on it; those inside it read it too (a zone officer reads the province's evaluation run,
though only its own firms' results, which are scoped by their enterprise).
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiju.core.divisions import chain
from jiju.platform.permissions import READ_ACTIONS, VIEW, RestrictedQuerySet, Scope


class MadeForQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action: str = VIEW) -> MadeForQuerySet:
        if action not in READ_ACTIONS:
            return super().visible_to(user, action)
        scope = Scope.of(user)
        if not scope.allows(action, self.model) or scope.everything:
            return super().visible_to(user, action)
        inside = scope.q(self.model) or Q(pk__in=[])
        above = Q(zone__isnull=True) & (Q(region__isnull=True) | Q(region__code__in=scope.upward_codes()))
        return self.filter(inside | above)


class MadeFor(models.Model):
    """The scope a record was made for: a zone, a division, or (neither) the whole country."""

    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("适用区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    zone = models.ForeignKey(
        "registry.Zone", verbose_name=_("适用开发区"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = MadeForQuerySet.as_manager()
    scope_region, scope_zone = "region", "zone"

    class Meta:
        abstract = True

    @property
    def scope_name(self) -> str:
        if self.zone_id:
            return self.zone.name
        return self.region.name if self.region_id else str(_("全国"))

    def same_scope(self) -> Q:
        """The records made for exactly this one's scope."""
        return Q(region_id=self.region_id, zone_id=self.zone_id)


def made_for(user) -> dict:
    """The scope a record made by `user` is made for, as fields: its one zone, or the smallest
    division holding all of its divisions and zones; nothing for a whole-country account."""
    scope = Scope.of(user)
    if len(scope.zone_ids) == 1 and not scope.prefixes and not scope.everything:
        zone_id = scope.zone_ids[0]
        region_id = apps.get_model("registry", "Zone").objects.values_list("region_id", flat=True).get(pk=zone_id)
        return {"region_id": region_id, "zone_id": zone_id}
    codes = [p.ljust(6, "0") for p in scope.prefixes] + list(scope.zone_regions)
    if scope.everything or not codes:
        return {"region_id": None, "zone_id": None}
    shared = set(chain(codes[0])).intersection(*(chain(c) for c in codes[1:]))
    code = max(shared, key=lambda c: len(c.rstrip("0"))) if shared else None
    regions = apps.get_model("registry", "Region").objects.filter(code=code)
    return {"region_id": regions.values_list("pk", flat=True).first() if code else None, "zone_id": None}
