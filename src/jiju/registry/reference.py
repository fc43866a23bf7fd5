"""Load the shipped GB/T 2260 divisions and GB/T 4754-2017 industries."""

from __future__ import annotations

from jiju import data
from jiju.core import divisions
from jiju.core import industries as codes


def division_rows() -> list[tuple[str, str, int]]:
    """(code, name, level) of every province, city and county; the x7x zone codes left out."""
    rows = [(divisions.expand(r["code"]), r["name"], 1) for r in data.rows("provinces.csv")]
    rows += [(divisions.expand(r["code"]), r["name"], 2) for r in data.rows("cities.csv")]
    rows += [(r["code"], r["name"], 3) for r in data.rows("areas.csv") if not divisions.is_zone_code(r["code"])]
    return rows


def industry_rows() -> list[tuple[str, str, int, str]]:
    """(code, name, level, section) of the standard, with the 中类 the source left out restored.

    Where a 中类 holds a single 小类 the source omits it: its code is the 小类's
    first three digits and its name the 小类's.
    """
    rows = [(r["code"], r["name"], int(r["level"]), r["section"]) for r in data.rows("gbt4754_2017.csv")]
    present = {code for code, *_ in rows}
    for code, name, level, section in list(rows):
        if level == 4 and code[:3] not in present:
            rows.append((code[:3], name, 3, section))
            present.add(code[:3])
    return sorted(rows, key=lambda r: (r[3], r[2] > 1, r[0]))


def load(region_model, industry_model) -> None:
    """Insert both tables, parents before children (models may be historical ones)."""
    regions = {}
    for code, name, level in sorted(division_rows(), key=lambda r: (r[2], r[0])):
        parent_code = divisions.parent_of(code)
        regions[code] = region_model(code=code, name=name, level=level, parent=regions.get(parent_code))
    for level in (1, 2, 3):
        batch = [r for r in regions.values() if r.level == level]
        for r in batch:
            r.parent_id = r.parent.pk if r.parent else None
        region_model.objects.bulk_create(batch, batch_size=1000)
    found = {}
    for level in (1, 2, 3, 4):
        batch = []
        for code, name, lvl, section in industry_rows():
            if lvl != level:
                continue
            parent = found.get(codes.parent_of(code, section))
            batch.append(
                industry_model(
                    code=code, name=name, level=lvl, section=section, parent_id=parent.pk if parent else None
                )
            )
        for item in industry_model.objects.bulk_create(batch, batch_size=1000):
            found[item.code] = item
