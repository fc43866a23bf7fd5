"""Derivations on hand-worked numbers."""

import polars as pl
import pytest

from jiju.analytics.series import MEAN, RATIO, Spec, aggregate, derive, long_frame

SPECS = [
    Spec("revenue", cumulative=True),
    Spec("employees"),
    Spec("rate", aggregation=MEAN),
    Spec("va"),
    Spec("output"),
    Spec("va_rate", aggregation=RATIO, numerator="va", denominator="output"),
]


def frame(rows):
    return pl.DataFrame(rows, schema=["zone", "city", "year", "month", "code", "value"], orient="row")


def row(result, zone, year, month, code):
    picked = result.filter(
        (pl.col("zone") == zone) & (pl.col("year") == year) & (pl.col("month") == month) & (pl.col("code") == code)
    )
    assert picked.height == 1
    return picked.row(0, named=True)


@pytest.fixture
def derived():
    # Zone 1 (city A): revenue YTD 100, 250, 390 in 2025 months 1-3; 80, 200, 300 in 2024.
    # Zone 2 (city A): 2025 month 3 YTD 110, 2024 month 3 YTD 100.  Zone 3 (city B): 2025/3 500, 2024/3 600.
    rows = [
        (1, "410100", 2024, 1, "revenue", 80.0),
        (1, "410100", 2024, 2, "revenue", 200.0),
        (1, "410100", 2024, 3, "revenue", 300.0),
        (1, "410100", 2025, 1, "revenue", 100.0),
        (1, "410100", 2025, 2, "revenue", 250.0),
        (1, "410100", 2025, 3, "revenue", 390.0),
        (2, "410100", 2024, 3, "revenue", 100.0),
        (2, "410100", 2025, 3, "revenue", 110.0),
        (3, "410300", 2024, 3, "revenue", 600.0),
        (3, "410300", 2025, 3, "revenue", 500.0),
        (1, "410100", 2025, 3, "employees", 1200.0),
        (1, "410100", 2025, 2, "employees", 1100.0),
    ]
    return derive(frame(rows), SPECS, step=1)


def test_own_value_from_cumulative(derived):
    assert row(derived, 1, 2025, 1, "revenue")["own"] == 100  # January is its own value
    assert row(derived, 1, 2025, 2, "revenue")["own"] == 150  # 250 - 100
    assert row(derived, 1, 2025, 3, "revenue")["own"] == 140  # 390 - 250
    assert row(derived, 2, 2025, 3, "revenue")["own"] is None  # February not reported
    # A stock indicator is its own value, not a difference.
    assert row(derived, 1, 2025, 3, "employees")["own"] == 1200


def test_year_on_year_growth(derived):
    assert row(derived, 1, 2025, 3, "revenue")["growth"] == pytest.approx(0.30)  # 390 / 300 - 1
    assert row(derived, 1, 2025, 2, "revenue")["growth"] == pytest.approx(0.25)  # 250 / 200 - 1
    assert row(derived, 3, 2025, 3, "revenue")["growth"] == pytest.approx(-1 / 6)  # 500 / 600 - 1
    # Own March values: 140 against 2024's 100 (300 - 200).
    assert row(derived, 1, 2025, 3, "revenue")["own_growth"] == pytest.approx(0.40)
    assert row(derived, 1, 2024, 3, "revenue")["growth"] is None  # no 2023


def test_shares_ranks_and_contribution(derived):
    one, two, three = (row(derived, z, 2025, 3, "revenue") for z in (1, 2, 3))
    # City A total 390 + 110 = 500; province 1000.
    assert one["city_share"] == pytest.approx(0.78)
    assert two["city_share"] == pytest.approx(0.22)
    assert three["city_share"] == pytest.approx(1.0)
    assert one["province_share"] == pytest.approx(0.39)
    assert three["province_share"] == pytest.approx(0.50)
    assert (three["rank"], one["rank"], two["rank"]) == (1, 2, 3)
    assert (one["city_rank"], two["city_rank"], three["city_rank"]) == (1, 2, 1)
    # Growth ranks: zone 1 +30 %, zone 2 +10 %, zone 3 -16.7 %.
    assert (one["growth_rank"], two["growth_rank"], three["growth_rank"]) == (1, 2, 3)
    # Changes +90, +10, -100: total change 0 → contribution missing (not ±inf), pull over last year's 1000.
    assert one["contribution"] is None and three["contribution"] is None
    assert one["pull"] == pytest.approx(0.09)
    assert three["pull"] == pytest.approx(-0.10)


def test_pull_and_shares_are_missing_when_last_years_total_is_zero():
    rows = [
        (1, "A", 2024, 12, "revenue", 0.0),
        (2, "A", 2024, 12, "revenue", 0.0),
        (1, "A", 2025, 12, "revenue", 30.0),
        (2, "A", 2025, 12, "revenue", 10.0),
    ]
    result = derive(frame(rows), SPECS)
    first = row(result, 1, 2025, 12, "revenue")
    assert first["pull"] is None  # was +inf: 30 / 0
    assert first["contribution"] == pytest.approx(0.75)
    assert row(result, 1, 2024, 12, "revenue")["city_share"] is None  # was NaN: 0 / 0


def test_contribution_share_of_total_change():
    rows = [
        (1, "A", 2024, 12, "revenue", 100.0),
        (2, "A", 2024, 12, "revenue", 300.0),
        (1, "A", 2025, 12, "revenue", 130.0),
        (2, "A", 2025, 12, "revenue", 320.0),
    ]
    result = derive(frame(rows), SPECS)
    # Total change 50: zone 1 contributes 30 / 50 = 60 %, pulls growth by 30 / 400 = 7.5 points.
    assert row(result, 1, 2025, 12, "revenue")["contribution"] == pytest.approx(0.6)
    assert row(result, 2, 2025, 12, "revenue")["contribution"] == pytest.approx(0.4)
    assert row(result, 1, 2025, 12, "revenue")["pull"] == pytest.approx(0.075)


def test_quarterly_step():
    rows = [
        (1, "A", 2025, 3, "revenue", 100.0),
        (1, "A", 2025, 6, "revenue", 260.0),
        (1, "A", 2025, 9, "revenue", 400.0),
    ]
    result = derive(frame(rows), SPECS, step=3)
    assert [row(result, 1, 2025, m, "revenue")["own"] for m in (3, 6, 9)] == [100, 160, 140]


def test_aggregate_sum_mean_ratio():
    rows = [
        (1, "A", 2025, 12, "va", 30.0),
        (1, "A", 2025, 12, "output", 100.0),
        (1, "A", 2025, 12, "rate", 80.0),
        (2, "A", 2025, 12, "va", 10.0),
        (2, "A", 2025, 12, "output", 300.0),
        (2, "A", 2025, 12, "rate", 90.0),
    ]
    result = aggregate(frame(rows), SPECS, by=["city"])
    values = dict(zip(result["code"], result["value"], strict=True))
    assert values["va"] == 40 and values["output"] == 400
    assert values["rate"] == pytest.approx(85)  # mean
    # Ratio of sums 40 / 400 = 10 %, not the mean of ratios (30 % and 3.3 %).
    assert values["va_rate"] == pytest.approx(0.10)
    per_zone = aggregate(frame(rows), SPECS, by=["zone"]).filter(pl.col("code") == "va_rate")
    assert per_zone.sort("zone")["value"].to_list() == pytest.approx([0.30, 10 / 300])


def test_long_frame_from_records():
    records = [
        {"zone": 1, "city": "A", "year": 2025, "month": 1, "values": {"revenue": 5, "employees": None, "x": 1}},
        {"zone": 2, "city": "B", "year": 2025, "month": 1, "values": {"revenue": 7.5}},
    ]
    result = long_frame(records, ["revenue", "employees"]).sort("zone")
    assert result.select("zone", "code", "value").rows() == [(1, "revenue", 5.0), (2, "revenue", 7.5)]
    assert long_frame([], ["revenue"]).height == 0


def test_shares_and_ranks_are_within_the_province():
    """With two provinces in the frame, a Henan zone's 占全省比重 is of Henan, not of the nation."""
    rows = [
        {"zone": 1, "city": "410100", "year": 2026, "month": 1, "values": {"v": 30.0}},
        {"zone": 2, "city": "410300", "year": 2026, "month": 1, "values": {"v": 10.0}},
        {"zone": 3, "city": "130100", "year": 2026, "month": 1, "values": {"v": 60.0}},
    ]
    table = derive(long_frame(rows, ["v"]), [Spec("v", False, "sum", None, None, 1.0)])
    by_zone = {r["zone"]: r for r in table.to_dicts()}
    assert by_zone[1]["province_share"] == pytest.approx(0.75)
    assert by_zone[3]["province_share"] == pytest.approx(1.0)
    assert (by_zone[1]["rank"], by_zone[2]["rank"], by_zone[3]["rank"]) == (1, 2, 1)
