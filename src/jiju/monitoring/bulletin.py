"""The monthly bulletin (月度通报): main figures, rankings, zones behind target and zones not reported.

`collect` gathers the figures once; `document` lays them out by GB/T 9704 and `workbook`
writes the same ranking tables to Excel, so that the two never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from jiju.accounts import offices
from jiju.monitoring import statistics
from jiju.monitoring.actions import outstanding
from jiju.monitoring.models import ReportForm, to_date_label
from jiju.officialdoc import TEXT_WIDTH_MM, OfficialDocument
from jiju.platform import files
from jiju.platform.permissions import VIEW
from jiju.registry.models import Zone

HEADLINE = ["revenue", "tax", "fixed_investment", "industrial_investment", "fdi", "trade"]
RANKED = [("revenue", "营业收入"), ("tax", "税收收入"), ("fixed_investment", "固定资产投资")]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}"


@dataclass
class Bulletin:
    year: int
    month: int
    zones: int  # the zones whose report of the period is approved: the totals' scope
    headline: list[dict]
    ranking_headers: list[str]
    ranking: list[list]
    city_headers: list[str]
    cities: list[list]
    behind: list[tuple[str, list[str]]]
    missing: list[str]
    office: str
    area: str  # 全省, or the city (or zones) the account covers

    @property
    def period(self) -> str:
        return to_date_label(self.year, self.month)


def collect(user, form: ReportForm, year: int, month: int) -> Bulletin:
    """The bulletin of the account's scope, signed by the account's office."""
    names = dict(Zone.objects.visible_to(user, VIEW).values_list("pk", "name"))
    indicators = {i.indicator.code: i.indicator for i in form.items.select_related("indicator")}
    headline = statistics.headline(form, statistics.totals(form, year, month, list(names)), HEADLINE)
    measured = [(code, label, indicators[code].unit) for code, label in RANKED if code in indicators]
    columns = [h for _, label, unit in measured for h in (f"{label}（{statistics.scaled(0, unit)[1]}）", "同比（%）")]

    def cells(values: dict[str, dict]) -> list:
        line: list = []
        for code, _, unit in measured:
            cell = values.get(code, {})
            line += [statistics.scaled(cell.get("value"), unit)[0], _pct(cell.get("growth"))]
        return line

    table = statistics.period_table(form, year, month).filter(pl.col("zone").is_in(list(names)))
    by_zone: dict[int, dict[str, dict]] = {}
    for row in table.filter(pl.col("code").is_in([c for c, _ in RANKED])).to_dicts():
        by_zone.setdefault(row["zone"], {})[row["code"]] = row
    order = sorted(by_zone, key=lambda z: -(by_zone[z].get("revenue", {}).get("growth") or float("-inf")))
    ranking = [[position, names[zone], *cells(by_zone[zone])] for position, zone in enumerate(order, start=1)]
    city_names = statistics.city_names()
    by_city: dict[str, dict[str, dict]] = {}
    for row in statistics.totals(form, year, month, list(names), by=("city",)).sort("city").to_dicts():
        by_city.setdefault(row["city"], {})[row["code"]] = row
    cities = [[city_names.get(city, city), *cells(values)] for city, values in by_city.items()]
    behind: dict[str, list[str]] = {}
    for row in statistics.target_progress(user, year, month):
        if row["behind"]:
            behind.setdefault(row["target"].zone.name, []).append(
                f"{row['target'].indicator.name}完成{_pct(row['completion'])}%"
            )
    missing = [z.name for z in outstanding(user, form, year, month)]
    return Bulletin(
        year,
        month,
        len(statistics.comparable_zones(form, year, month, list(names))),
        headline,
        ["排名", "开发区", *columns],
        ranking,
        ["地市", *columns],
        cities,
        sorted(behind.items()),
        missing,
        offices.issuing_office(user),
        offices.area_name(user),
    )


def document(b: Bulletin, today: dt.date) -> bytes:
    doc = OfficialDocument()
    doc.title(f"关于{b.period}{b.area}开发区主要经济指标完成情况的通报")
    doc.addressee("各省辖市开发区工作领导小组办公室，各开发区管委会：" if b.area == "全省" else "各开发区管委会：")
    doc.paragraph(f"现将{b.period}{b.area}开发区主要经济指标完成情况通报如下。")
    doc.heading("一、总体情况")
    parts = [
        f"{h['name']}{h['value']:,.2f}{h['unit']}"
        + (f"，同比增长{h['growth'] * 100:.1f}%" if h["growth"] is not None else "")
        for h in b.headline
        if h["value"] is not None
    ]
    doc.paragraph(f"{b.period}，报表已审核的{b.zones}个开发区共完成" + "；".join(parts) + "（同比按同口径计算）。")
    doc.heading("二、主要指标排名")
    doc.subheading("（一）各开发区主要指标（按营业收入增速排名）")
    doc.table(b.ranking_headers, b.ranking, widths_mm=[11, TEXT_WIDTH_MM - 11 - 6 * 17.5, *([17.5] * 6)])
    doc.subheading("（二）各地市汇总")
    doc.table(b.city_headers, b.cities, widths_mm=[TEXT_WIDTH_MM - 6 * 20, *([20] * 6)])
    doc.heading("三、目标任务进度滞后的开发区")
    if b.behind:
        doc.paragraph(
            f"按“时间过半、任务过半”要求，截至{b.month}月末时间进度为{b.month / 12 * 100:.1f}%，"
            f"以下{len(b.behind)}个开发区有目标任务进度滞后："
        )
        for name, items in b.behind:
            doc.paragraph(f"{name}：{'，'.join(items)}。")
    else:
        doc.paragraph("各开发区目标任务进度均达到时间进度。")
    doc.heading("四、报送情况")
    if b.missing:
        doc.paragraph(
            f"截至通报日，以下{len(b.missing)}个开发区未按时报送{b.period}统计数据：{'、'.join(b.missing)}。请抓紧报送。"
        )
    else:
        doc.paragraph("各开发区均已按时报送统计数据。")
    doc.signature(b.office, today)
    return doc.bytes()


def workbook(b: Bulletin) -> bytes:
    """The bulletin's ranking tables, one sheet each, with the figures the document prints
    (amounts to two decimals, percentages to one) as numbers."""

    def number(value: object) -> object:
        if isinstance(value, float):
            return round(value, 2)
        if not isinstance(value, str):
            return value
        try:
            return float(value)
        except ValueError:
            return None if value == "—" else value

    return files.grid_to_xlsx(
        [
            (title, headers, [[number(v) for v in row] for row in rows])
            for title, headers, rows in (
                ("开发区排名", b.ranking_headers, b.ranking),
                ("地市汇总", b.city_headers, b.cities),
            )
        ]
    )
