"""The frame an evaluation reads: one row per enterprise of a year, from the registry and departmental data.

Money is in 万元 and electricity in 万千瓦时, the units the shipped schemes' benchmarks use;
land in 亩; `years_since_supply` counts from the newest parcel a firm holds (a new parcel is provisional).
A parcel's holder gets the parcel's area; a tenant gets the land share of the floor area it leases
(leased floor / the parcel's floor area × the parcel's area), taken from the holder, unless the scheme
lists tenants separately, or grades them with their landlord (their figures added to the landlord's).
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl
from django.db.models import Max, QuerySet

from jiju.assessment.models import EnterpriseYear
from jiju.core import units
from jiju.evaluation.scheme import Scheme
from jiju.registry.models import Parcel, Tenancy

WAN = float(units.MoneyUnit.WAN.yuan)
MONEY = ("tax", "output", "value_added", "revenue", "rd")
POLLUTANTS = ("cod_t", "ammonia_t", "so2_t", "nox_t")


def land_by_enterprise(enterprise_ids: QuerySet, tenants: str) -> tuple[dict[int, float], set[int]]:
    """亩 of land each enterprise uses, and the ids of tenants (for a scheme that lists them apart).

    `enterprise_ids` is a query of enterprise keys, sent to the database as a subquery: a list
    of 20,000 keys makes PostgreSQL plan badly, and 65,536 of them exceed its parameter limit.
    """
    land: dict[int, float] = defaultdict(float)
    parcels = (
        Parcel.objects.filter(holder_id__in=enterprise_ids)
        .order_by()
        .values_list("pk", "holder_id", "area_m2", "floor_area_m2")
    )
    floor = {}
    for pk, holder, area, floor_area in parcels:
        land[holder] += units.from_m2(area, units.AreaUnit.MU)
        floor[pk] = (holder, area, floor_area)
    tenant_ids = set()
    tenancies = Tenancy.objects.filter(tenant_id__in=enterprise_ids).order_by()
    for parcel_id, tenant, leased in tenancies.values_list("parcel_id", "tenant_id", "floor_area_m2"):
        tenant_ids.add(tenant)
        holder, area, floor_area = floor.get(parcel_id, (None, None, None))
        if tenants != "land_share" or not floor_area:
            continue
        share = units.from_m2(area * min(leased / floor_area, 1.0), units.AreaUnit.MU)
        land[tenant] += share
        land[holder] -= share
    return dict(land), tenant_ids


def build(enterprises, year: int, scheme: Scheme) -> pl.DataFrame:
    """The evaluation frame for `enterprises` (a queryset already restricted to the user's scope)."""
    rows = list(
        enterprises.values(
            "pk",
            "credit_code",
            "name",
            "scale",
            "zone_id",
            "zone__name",
            "industry__code",
            "industry__section",
            "production_start",
        )
    )
    ids = enterprises.order_by().values("pk")
    data = {y["enterprise_id"]: y for y in EnterpriseYear.objects.filter(year=year, enterprise_id__in=ids).values()}
    land, tenant_ids = land_by_enterprise(ids, scheme.tenants)
    supplied = dict(
        Parcel.objects.filter(holder_id__in=ids, supply_date__isnull=False)
        .order_by()
        .values("holder_id")
        .annotate(latest=Max("supply_date"))
        .values_list("holder_id", "latest")
    )
    records = []
    for row in rows:
        reported = data.get(row["pk"], {})
        start = row["production_start"]
        record = {
            "enterprise_id": row["pk"],
            "credit_code": row["credit_code"],
            "name": row["name"],
            "scale": row["scale"],
            "zone_id": row["zone_id"],
            "zone": row["zone__name"] or "",
            "industry": row["industry__code"] or "",
            "section": row["industry__section"] or "",
            "years_in_production": (year - start.year) if start else None,
            "years_since_supply": (year - supplied[row["pk"]].year) if row["pk"] in supplied else None,
            "land_mu": land.get(row["pk"]) or None,
            "is_tenant": row["pk"] in tenant_ids,
            "landlord_id": None,
            "employees": reported.get("employees"),
            "energy_tce": reported.get("energy_tce"),
            "electricity_kwh": _scaled(reported.get("electricity_kwh"), 1e4),
            "emissions": _sum(reported.get(p) for p in POLLUTANTS),
        }
        record.update({m: _scaled(reported.get(m), WAN) for m in MONEY})
        records.append(record)
    if scheme.tenants == "landlord":
        _merge_into_landlords(records, ids)
    schema = {
        "enterprise_id": pl.Int64,
        "credit_code": pl.String,
        "name": pl.String,
        "scale": pl.String,
        "zone_id": pl.Int64,
        "zone": pl.String,
        "industry": pl.String,
        "section": pl.String,
        "years_in_production": pl.Int64,
        "years_since_supply": pl.Int64,
        "land_mu": pl.Float64,
        "is_tenant": pl.Boolean,
        "landlord_id": pl.Int64,
        "employees": pl.Float64,
        "energy_tce": pl.Float64,
        "electricity_kwh": pl.Float64,
        "emissions": pl.Float64,
        **dict.fromkeys(MONEY, pl.Float64),
    }
    return pl.DataFrame(records, schema=schema)


ADDITIVE = (*MONEY, "employees", "energy_tce", "electricity_kwh", "emissions")


def _merge_into_landlords(records: list[dict], ids: QuerySet) -> None:
    """Graded with the landlord (tenants = "landlord"): each tenant's figures are added to its landlord's (the
    holder of the parcel where it leases the most floor), and the tenant row names the landlord in `landlord_id`."""
    by_id = {r["enterprise_id"]: r for r in records}
    largest: dict[int, tuple[float, int]] = {}
    leases = Tenancy.objects.filter(tenant_id__in=ids, parcel__holder_id__in=ids).order_by("pk")
    for tenant, holder, floor in leases.values_list("tenant_id", "parcel__holder_id", "floor_area_m2"):
        if holder != tenant and floor > largest.get(tenant, (-1.0, 0))[0]:
            largest[tenant] = (floor, holder)
    for tenant, (_, holder) in largest.items():
        row, landlord = by_id[tenant], by_id[holder]
        row["landlord_id"] = holder
        for name in ADDITIVE:
            if row[name] is not None:
                landlord[name] = (landlord[name] or 0.0) + row[name]


def _scaled(value: float | None, divisor: float) -> float | None:
    return None if value is None else value / divisor


def _sum(values) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None
