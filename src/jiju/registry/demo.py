"""A deterministic demo: the real zones of the 2018 catalog, synthetic but plausible firms.

Zones come in through the ordinary zone importer (so the catalog file is
exercised as a user would); enterprises, parcels and tenancies are drawn from
a seeded generator, weighted toward each zone's leading industries.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import string
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from jiju import data as reference
from jiju.changelog.context import COMMAND, changes_by
from jiju.core import credit_code, industries, units
from jiju.core.divisions import short_name
from jiju.registry.actions import do_bulk_create
from jiju.registry.importing import ImportReport, do_import
from jiju.registry.models import Enterprise, Industry, Parcel, Tag, Tenancy, Zone

HENAN = "41"
# Zones whose names hold no division name: placed by hand from public sources.
HENAN_PLACES = {
    "红旗渠经济技术开发区": "410581",  # 林州市
    "汴东产业集聚区": "410200",  # 开封市
    "鹤淇产业集聚区": "410622",  # 淇县
    "宛西高新技术产业开发区": "411323",  # 西峡县
}
BRAND = "华瑞恒泰宏盛鑫源中天金达永兴昌隆荣丰裕新东方众诚宇通万博德嘉信佳立正海远长润凯明辉宝祥"
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "科技有限公司", "实业有限公司", "集团有限公司"]
BODY_CHARS = string.digits + "ABCDEFGHJKLMNPQRTUWXY"


def catalog_csv(province_code: str | None) -> bytes:
    """The catalog's rows (of one province, or all), with hand placements added as region codes."""
    provinces = {r["code"]: r["name"] for r in reference.rows("provinces.csv")}
    wanted = provinces.get(province_code) if province_code else None
    buffer = io.StringIO()
    rows = reference.rows("zones2018.csv")
    writer = csv.DictWriter(buffer, fieldnames=[*rows[0].keys(), "所在区划代码"])
    writer.writeheader()
    for row in rows:
        if wanted is None or row["省份"] == wanted:
            writer.writerow({**row, "所在区划代码": HENAN_PLACES.get(row["开发区名称"], "")})
    return buffer.getvalue().encode("utf-8")


class Generator:
    """Seeded draws of firms, parcels and leases for a set of zones."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.codes: set[str] = set()
        self.names: set[str] = set()
        classes = list(Industry.objects.filter(level=Industry.CLASS).values_list("code", "name", "pk"))
        self.classes_by_division: dict[str, list[tuple[str, str, int]]] = {}
        for code, name, pk in classes:
            self.classes_by_division.setdefault(code[:2], []).append((code, name, pk))
        self.manufacturing = [d for d in self.classes_by_division if "13" <= d <= "43"]
        self.services = [d for d in self.classes_by_division if d in ("51", "52", "54", "59", "64", "65", "73")]
        self.keywords = reference.industry_keywords()

    def zone_sizes(self, zones: list[Zone], total: int) -> list[int]:
        """Firms per zone: in proportion to approved area, with a heavy-tailed draw on top."""
        weights = [(z.approved_area_m2 or 5e6) ** 0.8 * self.random.lognormvariate(0, 0.5) for z in zones]
        scale = total / sum(weights)
        return [max(5, round(w * scale)) for w in weights]

    def credit_code(self, division: str) -> str:
        while True:
            body = "".join(self.random.choice(BODY_CHARS) for _ in range(8))
            code = credit_code.make(division, body)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def industry(self, leading: list[str]) -> tuple[str, str, int]:
        draw = self.random.random()
        if leading and draw < 0.72:
            division = self.random.choice(leading)
        elif draw < 0.92:
            division = self.random.choice(self.manufacturing)
        else:
            division = self.random.choice(self.services)
        return self.random.choice(self.classes_by_division[division])

    def name(self, place: str, industry_name: str) -> str:
        term = industry_name.replace("其他", "").removesuffix("制造").removesuffix("加工").removesuffix("业")
        term = term.split("及")[0].split("、")[0][:8] or "实业"
        while True:
            brand = "".join(self.random.sample(BRAND, 2))
            name = f"{place}{brand}{term}{self.random.choice(FORMS)}"
            if name not in self.names:
                self.names.add(name)
                return name

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.random.randrange((end - start).days))

    def enterprises(self, zone: Zone, count: int, tags: dict[str, Tag]) -> tuple[list[Enterprise], list[dict]]:
        leading = [
            d for d in industries.divisions_for(zone.leading_industries, self.keywords) if d in self.classes_by_division
        ]
        place = short_name(zone.region.name)
        firms, relations = [], []
        for _ in range(count):
            _, industry_name, industry_pk = self.industry(leading)
            capital = Decimal(round(self.random.lognormvariate(math.log(800), 1.3), 2))
            above = self.random.random() < min(0.9, 0.12 + float(capital) / 20000)
            firms.append(
                Enterprise(
                    credit_code=self.credit_code(zone.region.code),
                    name=self.name(place, industry_name),
                    zone=zone,
                    region=zone.region,
                    industry_id=industry_pk,
                    scale="above" if above else "below",
                    production_start=self.date_between(dt.date(1995, 1, 1), dt.date(2025, 6, 30)),
                    registered_capital_yuan=units.to_yuan(capital, units.MoneyUnit.WAN),
                    employees=max(3, round(self.random.lognormvariate(math.log(60 if above else 15), 0.9))),
                )
            )
            chosen = []
            for tag, share in (("hitech", 0.08), ("specialized", 0.04), ("foreign", 0.03)):
                if self.random.random() < share * (2 if above else 1):
                    chosen.append(tags[tag])
            relations.append({"tags": chosen})
        biggest = sorted(range(len(firms)), key=lambda i: firms[i].registered_capital_yuan, reverse=True)
        for rank, index in enumerate(biggest[: max(1, len(firms) // 60)]):
            relations[index]["tags"].append(tags["leader"])
            if rank == 0:
                relations[index]["tags"].append(tags["flagship"])
        return firms, relations

    def parcels(self, zone: Zone, firms: list[Enterprise], start: int) -> list[Parcel]:
        result = []
        for firm in firms:
            holds = self.random.random()
            if holds > 0.8:
                continue
            for _ in range(2 if holds < 0.08 else 1):
                mu = round(min(900, max(3, self.random.lognormvariate(math.log(28), 0.9))), 2)
                area = units.to_m2(mu, units.AreaUnit.MU)
                supplied = self.date_between(dt.date(2005, 1, 1), dt.date(2025, 3, 31))
                agreed = supplied + dt.timedelta(days=180)
                started = agreed + dt.timedelta(days=self.random.randrange(-60, 300))
                if self.random.random() < 0.08 or started > dt.date(2026, 6, 30):
                    started = None
                completed = started + dt.timedelta(days=self.random.randrange(300, 900)) if started else None
                if completed and completed > dt.date(2026, 10, 31):
                    completed = None
                intensity = self.random.lognormvariate(math.log(260), 0.45)  # 万元/亩
                result.append(
                    Parcel(
                        number=f"{zone.region.code}-{start + len(result):05d}",
                        zone=zone,
                        holder=firm,
                        area_m2=round(area, 2),
                        use="industrial" if self.random.random() < 0.9 else "storage",
                        supply_date=supplied,
                        agreed_start_date=agreed,
                        actual_start_date=started,
                        completion_date=completed,
                        floor_area_m2=round(area * self.random.uniform(0.6, 1.6), 2) if completed else None,
                        footprint_m2=round(area * self.random.uniform(0.3, 0.6), 2) if completed else None,
                        contract_investment_yuan=units.to_yuan(round(intensity * mu, 2), units.MoneyUnit.WAN),
                    )
                )
        return result

    def tenancies(self, firms: list[Enterprise], parcels: list[Parcel]) -> list[Tenancy]:
        holders = {p.holder_id for p in parcels}
        built = [p for p in parcels if p.floor_area_m2]
        result = []
        for firm in firms:
            if firm.pk in holders or not built or self.random.random() > 0.5:
                continue
            parcel = self.random.choice(built)
            start = (
                self.date_between(parcel.completion_date, dt.date(2026, 6, 30))
                if parcel.completion_date < dt.date(2026, 6, 29)
                else parcel.completion_date
            )
            result.append(
                Tenancy(
                    parcel=parcel,
                    tenant=firm,
                    floor_area_m2=round(parcel.floor_area_m2 * self.random.uniform(0.05, 0.3), 2),
                    start_date=start,
                    end_date=start + dt.timedelta(days=365 * 5),
                )
            )
        return result


def build(
    admin,
    scale: str = "province",
    seed: int = 2018,
    enterprises: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Load the demo into an empty registry as `admin`; returns the zone import's report."""
    if Zone.objects.exists():
        raise RuntimeError("数据库中已有开发区数据：请使用 --reset 清空后再生成演示数据")
    step = progress or (lambda label, done, total: None)
    total = enterprises or (20_000 if scale == "province" else 500_000)
    step("导入开发区目录", 0, 1)
    report = do_import(admin, "zone", catalog_csv(HENAN if scale == "province" else None), "zones2018.csv")
    if not report.ok:
        raise RuntimeError("开发区目录导入失败：" + "; ".join(f"第{e.row}行 {e.reason}" for e in report.errors[:5]))
    step("导入开发区目录", 1, 1)
    generator = Generator(seed)
    tags = {t.code: t for t in Tag.objects.all()}
    zones = list(Zone.objects.select_related("region").order_by("pk"))
    sizes = generator.zone_sizes(zones, total)
    parcel_count = 0
    with changes_by(admin, COMMAND):
        for index, (zone, size) in enumerate(zip(zones, sizes, strict=True)):
            with transaction.atomic():
                firms, relations = generator.enterprises(zone, size, tags)
                firms = do_bulk_create(Enterprise, firms, relations)
                parcels = do_bulk_create(Parcel, generator.parcels(zone, firms, parcel_count))
                parcel_count += len(parcels)
                do_bulk_create(Tenancy, generator.tenancies(firms, parcels))
            step("生成企业、地块与租赁", index + 1, len(zones))
    return report


def reset() -> None:
    """Remove every zone, firm, parcel, lease and their changelog."""
    from jiju.changelog.models import ObjectChange

    with transaction.atomic():
        Tenancy.objects.all().delete()
        Parcel.objects.all().delete()
        Enterprise.tags.through.objects.all().delete()
        Enterprise.objects.all().delete()
        Zone.objects.all().delete()
        ObjectChange.objects.all().delete()
