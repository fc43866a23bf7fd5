"""Three years of zone reports for the demo province: seasonal, growing, and with planted anomalies.

Monthly reports (YB01) run from November 2023 to October 2026 (36 months), the quarterly
JJQ201 and the yearly NB01 alongside. Where departmental data exist (2024 and 2025), a
zone's December tax and value added are its enterprises' sums, so that the check against
the enterprises passes except where an anomaly is planted. Every stored finding is what
`jiju.analytics.checks` finds; the planted anomalies are listed in PLANTED.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter, defaultdict

from django.db.models import Count, Sum
from django.utils import timezone

from jiju.analytics.checks import check_report
from jiju.assessment.models import EnterpriseYear
from jiju.changelog.context import COMMAND, changes_by
from jiju.monitoring import defaults
from jiju.monitoring.models import (
    Indicator,
    RatingEvent,
    RatingScore,
    Report,
    ReportForm,
    Target,
    ZoneEvaluation,
)
from jiju.monitoring.zone_evaluations import do_evaluate_zones, do_publish_zones, schemes
from jiju.registry.actions import do_bulk_create
from jiju.registry.models import Enterprise, Zone

LAST = (2026, 10)  # the newest monthly period of the demo
FIRST = (2023, 11)
OWN_ZONE = "郑州经济技术开发区"  # left unreported for 2026-10, for the zzetdz account to fill
# Seasonal shares of a year's flow by month: the Spring Festival dip, the half-year and year-end pushes.
SEASON = [0.065, 0.055, 0.085, 0.083, 0.085, 0.095, 0.080, 0.080, 0.090, 0.088, 0.090, 0.104]
MONTHLY = {form[0]: form[4] for form in defaults.FORMS}["YB01"]  # the monthly form's indicators
# (position among the demo zones, form, year, month, check, state): what the checks must find.
PLANTED = [
    (3, "YB01", 2026, 10, "growth", "fdi", Report.SUBMITTED),
    (7, "YB01", 2026, 10, "share", "industrial_investment", Report.SUBMITTED),
    (11, "YB01", 2026, 10, "cumulative", "revenue", Report.DRAFT),
    (15, "JJQ201", 2026, 9, "enterprises", "firms_above", Report.SUBMITTED),
    (19, "JJQ201", 2026, 9, "share", "occupancy", Report.DRAFT),
    (23, "YB01", 2025, 12, "enterprises", "tax", Report.APPROVED),
]
EXPLANATIONS = {
    ("growth", "fdi"): "本年引进的外资项目集中到资，实际利用外资大幅增长，已附到资凭证。",
    ("growth", "industrial_investment"): "新开工工业项目集中入统。",
    ("share", "industrial_investment"): "按统计部门口径填报，待核实。",
    ("enterprises", "firms_above"): "部分企业注册在区内、生产在区外，口径不同，已与统计部门核对。",
    ("enterprises", "tax"): "部分税款由区外总部汇总缴纳，已与税务部门核对。",
}
CHECKED = "经核实，数据无误。"


def _periods() -> list[tuple[int, int]]:
    periods, (year, month) = [], FIRST
    while (year, month) <= LAST:
        periods.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return periods


class Generator:
    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.zones = list(Zone.objects.order_by("pk").select_related("region"))
        sums = (
            EnterpriseYear.objects.values("enterprise__zone", "year")
            .annotate(
                tax=Sum("tax"),
                va=Sum("value_added"),
                revenue=Sum("revenue"),
                employees=Sum("employees"),
                energy=Sum("energy_tce"),
                rd=Sum("rd"),
            )
            .order_by()
        )
        self.enterprises = {(s["enterprise__zone"], s["year"]): s for s in sums}
        self.above = dict(
            Enterprise.objects.filter(scale="above").values("zone").annotate(n=Count("pk")).values_list("zone", "n")
        )

    def annual(self, zone: Zone) -> dict[int, dict[str, float]]:
        """A zone's yearly flows 2023-2026 (万元, 万美元) and year-end stocks."""
        rng = self.random
        years: dict[int, dict[str, float]] = {}
        for year in (2024, 2025):
            found = self.enterprises.get((zone.pk, year)) or {}
            tax = (found.get("tax") or 0) / 1e4 or rng.uniform(2000, 20000)
            va = (found.get("va") or 0) / 1e4 or tax * rng.uniform(2, 4)
            revenue = max((found.get("revenue") or 0) / 1e4 * rng.uniform(1.15, 1.3), va * 3.5)
            years[year] = {"tax": tax, "value_added": va, "revenue": revenue}
            years[year]["employees"] = (found.get("employees") or revenue / 60) * rng.uniform(1.2, 1.4)
        # Energy and R&D from 2025's returns, 2024 by a growth draw (the firms' returns of the two
        # years are drawn independently and would make the zone's growth a coin toss).
        found = self.enterprises.get((zone.pk, 2025)) or {}
        years[2025]["energy"] = (found.get("energy") or years[2025]["value_added"] / 2) * rng.uniform(1.05, 1.2)
        years[2025]["rd"] = (found.get("rd") or years[2025]["revenue"] * 150) / 1e4 * rng.uniform(1.0, 1.2)
        for code in ("energy", "rd"):
            years[2024][code] = years[2025][code] / rng.uniform(0.95, 1.2)
        shares = {
            "output": rng.uniform(0.9, 1.05),
            "fixed_investment": rng.uniform(0.2, 0.45),
            "fdi": rng.uniform(0.0008, 0.004),
            "domestic_capital": rng.uniform(0.05, 0.15),
            "trade": rng.uniform(0.004, 0.02),
        }
        industrial = rng.uniform(0.5, 0.75)
        for year in (2024, 2025):
            flows = years[year]
            for code, share in shares.items():
                flows[code] = flows["revenue"] * share * (rng.uniform(0.97, 1.12) if year == 2025 else 1)
            flows["output"] = max(flows["output"], flows["value_added"] * 1.6)
            flows["industrial_investment"] = flows["fixed_investment"] * industrial
        growth_2024 = {code: rng.uniform(1.0, 1.14) for code in years[2024]}
        years[2023] = {code: value / growth_2024[code] for code, value in years[2024].items()}
        years[2023]["industrial_investment"] = years[2023]["fixed_investment"] * industrial
        growth_2026 = {code: rng.uniform(0.98, 1.18) for code in years[2025]}
        years[2026] = {code: value * growth_2026[code] for code, value in years[2025].items()}
        years[2026]["industrial_investment"] = years[2026]["fixed_investment"] * industrial
        return years

    def monthly(self, flows: dict[int, dict[str, float]]) -> dict[tuple[int, int], dict[str, float]]:
        """Year-to-date values by month; whole years add up to the year's flow exactly."""
        out: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
        for year, values in flows.items():
            for code in MONTHLY:
                own = [values[code] * s * self.random.uniform(0.95, 1.05) for s in SEASON]
                if year < 2026:
                    scale = values[code] / sum(own)
                    own = [v * scale for v in own]
                total = 0.0
                for month, value in enumerate(own, start=1):
                    total += value
                    out[(year, month)][code] = round(total, 2)
        return out

    def quarterly(self, zone: Zone, flows, cumulative) -> dict[tuple[int, int], dict[str, float]]:
        rng = self.random
        firms = float(self.above.get(zone.pk, 0))
        hightech = max(1, round(firms * rng.uniform(0.08, 0.3)))
        share = rng.uniform(0.2, 0.5)
        factory = rng.uniform(10, 120)
        occupancy = rng.uniform(72, 96)
        out = {}
        for year, month in _periods():
            if month % 3:
                continue
            grow = (year - 2023) * 4 + month // 3
            out[(year, month)] = {
                "employees": round(flows[year]["employees"] * rng.uniform(0.97, 1.03)),
                "firms_above": firms,
                "hightech_firms": float(hightech + grow // 3),
                "hightech_va": round(cumulative[(year, month)]["value_added"] * share * rng.uniform(0.97, 1.03), 2),
                "standard_factory": round(factory * (1 + 0.01 * grow), 2),
                "occupancy": round(min(99.0, occupancy + rng.uniform(-2, 2)), 1),
            }
        return out

    def yearly(self, zone: Zone, flows) -> dict[tuple[int, int], dict[str, float]]:
        rng = self.random
        area = zone.built_area_m2 / 1e6 if zone.built_area_m2 else rng.uniform(8, 40)
        road = area * rng.uniform(3, 6)
        return {
            (year, 12): {
                "built_area": round(area * (1 + 0.03 * (year - 2025)), 2),
                "road_length": round(road * (1 + 0.04 * (year - 2025)), 1),
                "energy": round(flows[year]["energy"], 1),
                "rd": round(flows[year]["rd"], 2),
            }
            for year in (2023, 2024, 2025)
        }


def _plant(check: str, code: str, values: dict[str, float], previous: dict[str, float]) -> None:
    if check == "growth":
        values[code] = round(values[code] * 2.6, 2)
    elif check == "share":
        if code == "occupancy":
            values[code] = 103.5
        else:
            values[code] = round(values["fixed_investment"] * 1.18, 2)
    elif check == "cumulative":
        values[code] = round(previous[code] * 0.1, 2)  # a slipped digit
    elif check == "enterprises":
        values[code] = round(values[code] * 1.4) + 3 if code == "firms_above" else round(values[code] * 1.12, 2)


def reset() -> None:
    """Remove reports, targets, ratings and zone evaluations."""
    for model in (ZoneEvaluation, RatingEvent, Target, Report):
        model.objects.all().delete()


def build(admin, seed: int = 2018, progress=None) -> int:
    """Reports, targets, a rating event and published zone evaluations; returns the number of reports."""
    generator = Generator(seed)
    forms = {f.code: f for f in ReportForm.objects.all()}
    rules = {
        code: [
            item.indicator.rule(item.required)
            for item in form.items.select_related("indicator")
            if not item.indicator.computed
        ]
        for code, form in forms.items()
    }
    zones = generator.zones
    # Zones with the most firms first, so that the planted anomalies sit where enterprise data exist.
    size = Counter(Enterprise.objects.values_list("zone_id", flat=True))
    others = sorted((z for z in zones if z.name != OWN_ZONE), key=lambda z: (-size[z.pk], z.pk))
    planted = {
        (others[p].pk, form, year, month): (check, code, state) for p, form, year, month, check, code, state in PLANTED
    }
    outstanding = {z.pk for z in others[30:36]} | {z.pk for z in zones if z.name == OWN_ZONE}
    submitted = {z.pk for z in others[40:52]}
    returned = {z.pk for z in others[56:58]}
    quarterly_outstanding = {z.pk for z in others[60:64]}
    reports: list[Report] = []
    annual_2025: dict[int, dict[str, float]] = {}
    now = timezone.now()
    for number, zone in enumerate(zones, start=1):
        flows = generator.annual(zone)
        annual_2025[zone.pk] = flows[2025]
        cumulative = generator.monthly(flows)
        series = {
            "YB01": {p: cumulative[p] for p in _periods()},
            "JJQ201": generator.quarterly(zone, flows, cumulative),
            "NB01": generator.yearly(zone, flows),
        }
        for code, periods in series.items():
            form = forms[code]
            for (year, month), values in periods.items():
                values = {k: v for k, v in values.items() if k in {r.code for r in rules[code]}}
                key = (zone.pk, code, year, month)
                previous = periods.get((year, month - form.step), {}) if month > form.step else {}
                state = Report.APPROVED
                if key in planted:
                    check, planted_code, state = planted[key]
                    _plant(check, planted_code, values, previous)
                elif (code, year, month) == ("YB01", *LAST):
                    if zone.pk in outstanding:
                        continue
                    state = (
                        Report.SUBMITTED if zone.pk in submitted else Report.RETURNED if zone.pk in returned else state
                    )
                elif (code, year, month) == ("JJQ201", 2026, 9) and zone.pk in quarterly_outstanding:
                    continue
                enterprises = {}
                if "firms_above" in values:
                    enterprises["firms_above"] = float(generator.above.get(zone.pk, 0))
                found = generator.enterprises.get((zone.pk, year)) if month == 12 else None
                if code == "YB01" and found:
                    sums = {"tax": found["tax"], "value_added": found["va"]}
                    enterprises.update({k: v / 1e4 for k, v in sums.items() if v is not None})
                last_year = periods.get((year - 1, month), {})
                findings = check_report(rules[code], values, previous, last_year, enterprises, form.tolerance / 100)
                due = form.default_deadline(year, month)
                # Most reports come in during the week before the deadline, one in eight a day or two late.
                day = due - dt.timedelta(days=generator.random.choice([-2, -1, *range(0, 7), *range(0, 7)]))
                office_hours = dt.timedelta(minutes=generator.random.randint(0, 480))  # 9:00 to 17:00
                submitted_at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)) + office_hours)
                reports.append(
                    Report(
                        form=form,
                        zone=zone,
                        year=year,
                        month=month,
                        state=state,
                        values=values,
                        findings=[dataclasses.asdict(f) for f in findings],
                        explanations={
                            f.key: EXPLANATIONS.get((f.check, f.code), CHECKED)
                            for f in findings
                            if state != Report.DRAFT
                        },
                        submitted_by=None,
                        submitted_at=None if state == Report.DRAFT else min(submitted_at, now),
                        reviewed_by=admin if state in (Report.APPROVED, Report.RETURNED) else None,
                        reviewed_at=min(submitted_at + dt.timedelta(days=3), now) if state == Report.APPROVED else None,
                        review_comment="请核实固定资产投资数据后重新报送" if state == Report.RETURNED else "",
                    )
                )
        if progress:
            progress("生成开发区统计报表", number, len(zones))
    with changes_by(admin, COMMAND):
        do_bulk_create(Report, reports, batch_size=500)
        _targets(zones, annual_2025, generator.random)
        _rating(admin, zones, generator.random)
    for key in schemes():
        for year in (2023, 2024, 2025):
            do_publish_zones(admin, do_evaluate_zones(admin, key, year))
    if progress:
        progress("开发区考核评价", 1, 1)
    return len(reports)


def _targets(zones, annual_2025, rng) -> None:
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=["revenue", "tax", "fixed_investment", "fdi"])}
    do_bulk_create(
        Target,
        [
            Target(
                zone=zone,
                year=2026,
                indicator=indicator,
                value=round(annual_2025[zone.pk][code] * rng.uniform(0.97, 1.10), -2 if code != "fdi" else 0),
            )
            for zone in zones
            for code, indicator in indicators.items()
        ],
    )


def _rating(admin, zones, rng) -> None:
    criteria = [("项目建设进度", 40), ("投资强度与质量", 30), ("科技与绿色水平", 30)]
    event = RatingEvent.objects.create(
        name="2026年上半年全省开发区建设观摩点评",
        date=dt.date(2026, 7, 15),
        criteria=[{"name": n, "max": m} for n, m in criteria],
        created_by=admin,
    )
    judges = [f"评委{c}" for c in "甲乙丙丁戊己庚"]
    scores = []
    for zone in zones:
        quality = rng.uniform(0.6, 0.95)
        for project in ("智能制造产业园项目", "科技孵化中心项目"):
            for name, top in criteria:
                for judge in judges:
                    share = min(1.0, max(0.3, quality + rng.gauss(0, 0.05)))
                    scores.append(
                        RatingScore(
                            event=event,
                            judge=judge,
                            zone=zone,
                            project=project,
                            criterion=name,
                            score=round(top * share, 1),
                        )
                    )
    RatingScore.objects.bulk_create(scores, batch_size=2000)
