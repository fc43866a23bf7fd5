"""What the generic registry views need to know of each kind of record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.db import models
from django.db.models import Q

from jiju.core.divisions import scope_prefix
from jiju.platform.tables import Col
from jiju.registry import forms as registry_forms
from jiju.registry import tables
from jiju.registry.models import Enterprise, Parcel, PlanDocument, SubPark, Tenancy, Zone


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[models.Model]
    form: type[forms.ModelForm]
    columns: Callable[[], list[Col]] | None = None
    list_keys: tuple[str, ...] = ()
    parent: str | None = None
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)
    import_kind: str | None = None  # the key of its importer in registry.importing.IMPORTERS

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    def queryset(self, base: models.QuerySet) -> models.QuerySet:
        return base.select_related(*self.related).prefetch_related(*self.prefetch)

    def condition(self, params) -> Q:
        """The search box and each filter the request names, as one condition (the pages and the API's
        filter schemas both use it, so a list filters alike wherever it is asked for)."""
        condition = Q()
        text = str(params.get("q") or "").strip()
        if text and self.search:
            condition &= Q(*(Q(**{name: text}) for name in self.search), _connector=Q.OR)
        for param, lookup in self.filters.items():
            value = str(params.get(param) or "").strip()
            if not value:
                continue
            if lookup == "region":
                condition &= Q(**{f"{self.model.scope_region}__code__startswith": scope_prefix(value.ljust(6, "0"))})
            else:
                condition &= Q(**{lookup: value})
        return condition

    def apply_filters(self, queryset: models.QuerySet, params) -> models.QuerySet:
        """Narrow by the search box and by each filter the request names."""
        return queryset.filter(self.condition(params))


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind(
            "zones",
            Zone,
            registry_forms.ZoneForm,
            tables.zone_columns,
            ("code", "name", "region_name", "level", "kind", "approval_date", "approved_area_m2", "leading_industries"),
            related=("region__parent__parent",),
            search=("name__icontains", "code__iexact"),
            filters={"region": "region", "level": "level", "kind": "kind"},
            import_kind="zone",
        ),
        Kind(
            "enterprises",
            Enterprise,
            registry_forms.EnterpriseForm,
            tables.enterprise_columns,
            ("credit_code", "name", "zone", "industry", "industry_name", "scale", "production_start", "tags"),
            related=("zone", "region__parent__parent", "industry"),
            prefetch=("tags",),
            search=("name__icontains", "credit_code__iexact"),
            filters={
                "region": "region",
                "zone": "zone_id",
                "industry": "industry__code__startswith",
                "section": "industry__section",
                "scale": "scale",
                "tag": "tags__code",
            },
            import_kind="enterprise",
        ),
        Kind(
            "parcels",
            Parcel,
            registry_forms.ParcelForm,
            tables.parcel_columns,
            ("number", "zone", "holder_name", "area_m2", "use", "supply_date", "agreed_start_date", "completion_date"),
            related=("zone__region", "holder"),
            search=("number__icontains", "holder__name__icontains"),
            filters={"region": "region", "zone": "zone_id", "use": "use"},
            import_kind="parcel",
        ),
        Kind("subparks", SubPark, registry_forms.SubParkForm, parent="zone"),
        Kind("plans", PlanDocument, registry_forms.PlanDocumentForm, parent="zone"),
        Kind("tenancies", Tenancy, registry_forms.TenancyForm, parent="parcel"),
    )
}


def by_import_kind(import_kind: str) -> Kind | None:
    return next((k for k in KINDS.values() if k.import_kind == import_kind), None)
