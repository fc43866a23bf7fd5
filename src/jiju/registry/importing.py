"""Bulk import of zones, enterprises and parcels from .xlsx or .csv: all or nothing.

Every row is read, resolved and checked before anything is written; a single
fault rejects the file with every (row, column, value, reason) listed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models

from jiju import data as reference
from jiju.changelog.context import IMPORT, changes_by
from jiju.core import divisions, industries
from jiju.core.divisions import city_of
from jiju.ingest import mapping as m
from jiju.ingest.reading import ReadError, known_headers, read_table
from jiju.platform.actions import action, all_or_nothing, placement
from jiju.platform.files import reading_limits
from jiju.platform.permissions import IMPORT as IMPORT_ACTION
from jiju.platform.permissions import Scope
from jiju.platform.tables import Col, importable
from jiju.registry import tables
from jiju.registry.actions import do_bulk_create, set_relations, unregistrable
from jiju.registry.models import Enterprise, Industry, Parcel, Region, Tag, Zone

OUT_OF_SCOPE = "所在区划或开发区不在您的管辖范围内，或无权修改该记录"


@dataclass
class ImportReport:
    """What an import did, or why it wrote nothing."""

    kind: str
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list[m.RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    instance: models.Model
    m2m: dict[str, list]


class _Importer:
    model: type[models.Model]
    kind: str

    def __init__(self, user) -> None:
        self.user = user
        self.scope = Scope.of(user)
        self.columns = self.table_columns()
        self.headers = {c.key: c.header for c in self.columns}
        self.report = ImportReport(self.kind)

    def table_columns(self) -> list[Col]:
        raise NotImplementedError

    def error(self, row: int, key: str, value: object, reason: str) -> None:
        column = self.file_headers.get(key, self.headers.get(key, key))
        self.report.errors.append(m.RowError(row, column, "" if value is None else str(value), reason))

    def run(self, data: bytes, filename: str) -> ImportReport:
        columns = importable(self.columns)
        known = known_headers(h for c in columns for h in (c.header, *c.aliases))
        try:
            table = read_table(data, filename, known, reading_limits())
        except ReadError as exc:
            self.report.errors.append(m.RowError(0, "", filename, str(exc)))
            return self.report
        mapped = m.map_table(table, [c.as_import_column() for c in columns])
        self.file_headers = mapped.headers
        self.report.total = len(mapped.records)
        self.report.errors.extend(mapped.errors)
        if not self.scope.allows(IMPORT_ACTION, self.model):
            self.report.errors.append(m.RowError(0, "", filename, "您的角色无权导入此类数据"))
            return self.report
        failed_rows = {e.row for e in mapped.errors}
        rows = self.resolve([(n, r) for n, r in mapped.records if n not in failed_rows])
        for row in rows:
            self.check(row)
        if self.report.ok:
            self.write(rows)
        self.report.errors.sort(key=lambda e: e.row)
        return self.report

    def resolve(self, records: list[tuple[int, dict]]) -> list[_Row]:
        raise NotImplementedError

    def check(self, row: _Row) -> None:
        instance = row.instance
        try:
            # Keys, relations and uniqueness were resolved in bulk; skip their per-row queries.
            related = [f.name for f in instance._meta.concrete_fields if f.is_relation]
            instance.full_clean(exclude=related, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                key = name if name in self.headers else next(iter(self.headers))
                for message in messages:
                    self.error(row.number, key, getattr(instance, name, ""), message)
            return
        if not self.scope.covers(*placement(instance)):
            self.error(row.number, next(iter(self.headers)), str(instance), OUT_OF_SCOPE)

    def write(self, rows: list[_Row]) -> None:
        new = [r for r in rows if r.instance.pk is None]
        try:
            with all_or_nothing(), changes_by(self.user, IMPORT):
                for row in rows:
                    if row.instance.pk is not None:
                        row.instance.save()
                        set_relations(row.instance, row.m2m)
                do_bulk_create(self.model, [r.instance for r in new], [r.m2m for r in new])
        except ValidationError as exc:
            self.report.errors.append(m.RowError(0, "", "", "；".join(exc.messages)))
            return
        self.report.created = len(new)
        self.report.updated = len(rows) - len(new)

    def guard_existing(self, number: int, instance: models.Model | None, key: str, value: object) -> bool:
        """False (with an error) when a stored record lies outside the user's scope; the error does
        not say that the key exists elsewhere."""
        if instance is not None and not self.scope.covers(*placement(instance)):
            self.error(number, key, value, unregistrable(self.headers[key]))
            return False
        return True

    def zone_lookup(self) -> dict[str, Zone]:
        """Zones by name, and by catalog code where the code names one zone only (S377018 names two)."""
        zones = list(Zone.objects.select_related("region"))
        codes = Counter(z.code for z in zones if z.code)
        lookup = {z.code: z for z in zones if z.code and codes[z.code] == 1}
        lookup.update({z.name: z for z in zones})
        return lookup


class ZoneImporter(_Importer):
    model, kind = Zone, "zone"
    AUTHORITY_LEVELS = {
        "国务院": "national",
        "省政府": "provincial",
        "省人民政府": "provincial",
        "市政府": "city",
        "市人民政府": "city",
        "县政府": "county",
        "县人民政府": "county",
    }
    CATALOG_KINDS = {"工业园区": "park"}

    def table_columns(self) -> list[Col]:
        return tables.zone_columns()

    def resolve(self, records):
        regions = {r.code: r for r in Region.objects.all()}
        provinces = {r.name: r for r in regions.values() if r.level == Region.PROVINCE}
        province_names = {r.code[:2]: r.name for r in provinces.values()}
        by_province: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
        for region in regions.values():
            if region.level != Region.PROVINCE:
                bucket = by_province[region.code[:2]][0 if region.level == Region.CITY else 1]
                bucket.append(
                    divisions.Division(region.code, divisions.display_name(region.name, region.code, province_names))
                )
        stored = {(z.code, z.name): z for z in Zone.objects.select_related("region")}
        keywords = reference.industry_keywords()
        industry_by_code = {i.code: i for i in Industry.objects.filter(level=Industry.DIVISION)}
        seen: dict[tuple[str, str], int] = {}
        names_by_code: dict[str, list[str]] = defaultdict(list)
        rows = []
        for number, record in records:
            code, name = record.get("code") or "", record["name"]
            key = (code, name)
            if key in seen:
                self.error(number, "name", name, f"与第{seen[key]}行重复（代码与名称均相同）")
                continue
            seen[key] = number
            if code:
                names_by_code[code].append(name)
            region = self._region(number, record, regions, provinces, by_province)
            level = record.get("level") or self.AUTHORITY_LEVELS.get(record.get("approval_authority") or "")
            if level is None:
                self.error(
                    number,
                    "level",
                    record.get("approval_authority"),
                    "无法确定级别：请填写“级别”（国家级/省级/市级/县级）或“批准级别”（国务院/省政府）",
                )
            kind = record.get("kind")
            approval_date, approval_note = self._approval(number, record.get("approval_date"))
            zone = stored.get(key)
            if not self.guard_existing(number, zone, "name", name) or region is None or level is None:
                continue
            zone = zone or Zone(code=code, name=name)
            for attr in (
                "approval_authority",
                "leading_industries",
                "management_committee",
                "platform_company",
                "approved_area_m2",
                "planned_area_m2",
                "built_area_m2",
            ):
                if attr in record:
                    setattr(
                        zone,
                        attr,
                        record[attr]
                        if record[attr] is not None
                        else ("" if isinstance(getattr(zone, attr), str) else None),
                    )
            zone.region, zone.level = region, level
            zone.kind = kind or zone.kind
            zone.approval_date, zone.approval_note = approval_date, approval_note
            codes = industries.divisions_for(zone.leading_industries or "", keywords)
            rows.append(
                _Row(number, zone, {"industries": [industry_by_code[c] for c in codes if c in industry_by_code]})
            )
        for code, names in names_by_code.items():
            if len(names) > 1:
                self.report.warnings.append(
                    f"目录代码 {code} 在文件中对应 {len(names)} 个开发区（{'、'.join(names)}）："
                    "按“代码+名称”分别登记为不同的开发区"
                )
        return rows

    def _region(self, number, record, regions, provinces, by_province) -> Region | None:
        code = record.get("region_code")
        if code:
            region = regions.get(code.ljust(6, "0"))
            if region is None:
                self.error(number, "region_code", code, "区划代码不存在（应为 GB/T 2260 的6位代码）")
            return region
        province = provinces.get(record.get("province") or "")
        if province is None and len(self.scope.prefixes) == 1 and len(self.scope.prefixes[0]) == 2:
            province = regions.get(self.scope.prefixes[0] + "0000")
        if province is None:
            self.error(
                number, "province", record.get("province"), "无法确定所在区划：请填写“所在区划代码”或正确的“省份”"
            )
            return None
        cities, counties = by_province[province.code[:2]]
        located = divisions.locate(record["name"], cities, counties)
        if located is None:
            self.report.warnings.append(
                f"第{number}行 {record['name']}：名称中未见所属市县，暂归入{province.name}，请补填“所在区划代码”"
            )
            return province
        return regions[located]

    def _approval(self, number, raw):
        if not raw:
            return None, ""
        parts = [p for p in raw.replace("、", "/").split("/") if p.strip()]
        try:
            first = m.date(parts[0])
        except m.CellError as exc:
            self.error(number, "approval_date", raw, str(exc))
            return None, ""
        return first, raw if len(parts) > 1 else ""


class EnterpriseImporter(_Importer):
    model, kind = Enterprise, "enterprise"

    def table_columns(self) -> list[Col]:
        return tables.enterprise_columns()

    def resolve(self, records):
        zones = self.zone_lookup()
        regions = {r.code: r for r in Region.objects.all()}
        classes = {i.code: i for i in Industry.objects.all()}
        tags = {t.name: t for t in Tag.objects.all()}
        codes = [r["credit_code"] for _, r in records]
        stored = {
            e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes).select_related("region", "zone")
        }
        seen: dict[str, int] = {}
        rows = []
        for number, record in records:
            code = record["credit_code"]
            if code in seen:
                self.error(number, "credit_code", code, f"与第{seen[code]}行的统一社会信用代码重复")
                continue
            seen[code] = number
            enterprise = stored.get(code)
            if not self.guard_existing(number, enterprise, "credit_code", code):
                continue
            enterprise = enterprise or Enterprise(credit_code=code)
            enterprise.name = record["name"]
            zone_name = record.get("zone")
            if zone_name:
                zone = zones.get(zone_name)
                if zone is None:
                    self.error(number, "zone", zone_name, "开发区不存在：请填写已登记的开发区名称或代码")
                    continue
                enterprise.zone, enterprise.region = zone, zone.region
            elif enterprise.pk is None:
                region_code = record.get("region_code") or code[2:8]
                region = regions.get(region_code) or regions.get(city_of(region_code))
                if region is None:
                    self.error(
                        number, "region_code", region_code, "无法确定所在区划：请填写“所在开发区”或“所在区划代码”"
                    )
                    continue
                enterprise.region = region
            if record.get("industry"):
                industry = classes.get(record["industry"])
                if industry is None:
                    self.error(number, "industry", record["industry"], "行业代码不在 GB/T 4754-2017 中")
                    continue
                enterprise.industry = industry
            for attr in ("scale", "production_start", "registered_capital_yuan", "address"):
                if record.get(attr) is not None:
                    setattr(enterprise, attr, record[attr])
            if record.get("employees") is not None:
                enterprise.employees = int(record["employees"])
            m2m = {}
            if record.get("tags") is not None:
                unknown = [t for t in record["tags"] if t not in tags]
                if unknown:
                    self.error(number, "tags", "、".join(unknown), "未知标签，可用：" + "、".join(tags))
                    continue
                m2m["tags"] = [tags[t] for t in record["tags"]]
            rows.append(_Row(number, enterprise, m2m))
        return rows


class ParcelImporter(_Importer):
    model, kind = Parcel, "parcel"

    def table_columns(self) -> list[Col]:
        return tables.parcel_columns()

    def resolve(self, records):
        zones = self.zone_lookup()
        holders_wanted = [r["holder"] for _, r in records if r.get("holder")]
        holders = {
            e.credit_code: e
            for e in Enterprise.objects.filter(credit_code__in=holders_wanted).select_related("region", "zone")
        }
        stored = {
            p.number: p
            for p in Parcel.objects.filter(number__in=[r["number"] for _, r in records]).select_related("zone__region")
        }
        # Every other column of the parcel table is a field copied as read.
        plain = [c.key for c in importable(self.table_columns()) if c.key not in ("number", "zone", "holder")]
        seen: dict[str, int] = {}
        rows = []
        for number, record in records:
            key = record["number"]
            if key in seen:
                self.error(number, "number", key, f"与第{seen[key]}行的地块编号重复")
                continue
            seen[key] = number
            parcel = stored.get(key)
            if not self.guard_existing(number, parcel, "number", key):
                continue
            zone = zones.get(record["zone"])
            if zone is None:
                self.error(number, "zone", record["zone"], "开发区不存在：请填写已登记的开发区名称或代码")
                continue
            parcel = parcel or Parcel(number=key)
            parcel.zone = zone
            if record.get("holder"):
                holder = holders.get(record["holder"])
                if holder is None or not self.scope.covers(*placement(holder)):
                    self.error(number, "holder", record["holder"], "土地使用权人未登记：请先登记或导入该企业")
                    continue
                parcel.holder = holder
            for attr in plain:
                if attr in record and (record[attr] is not None or attr != "use"):
                    setattr(parcel, attr, record[attr])
            rows.append(_Row(number, parcel, {}))
        return rows


IMPORTERS: dict[str, type[_Importer]] = {
    "zone": ZoneImporter,
    "enterprise": EnterpriseImporter,
    "parcel": ParcelImporter,
}


@action("*", IMPORT_ACTION)
def do_import(user, kind: str, data: bytes, filename: str) -> ImportReport:
    """Import a whole file, or nothing: the report lists every fault found."""
    return IMPORTERS[kind](user).run(data, filename)
