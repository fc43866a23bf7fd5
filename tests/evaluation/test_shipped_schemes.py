"""Each shipped scheme on a small table whose results were worked out by hand."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from jiju.evaluation.engine import evaluate
from jiju.evaluation.scheme import load

SCHEMES = Path(__file__).resolve().parents[2] / "src" / "jiju" / "evaluation" / "schemes"


def by_id(result: pl.DataFrame) -> dict[str, dict]:
    return {r["credit_code"]: r for r in result.iter_rows(named=True)}


def huangyan_firm(code: str, share: float, emissions: bool = True) -> dict:
    """A firm of 10 亩 whose six ratios are `share` times Huangyan's 2021 benchmarks, each on its own item."""
    va = 1322.7  # 132.27 万元/亩 × 10 亩 at share 1
    return {
        "credit_code": code,
        "scale": "above",
        "land_mu": 10.0,
        "tax": 260.1 * share,  # 26.01 万元/亩
        "value_added": va * share,
        "energy_tce": va / 2.54,  # 单位能耗增加值 2.54 × share
        "emissions": va / 4861.08 if emissions else None,  # 单位排放增加值 4861.08 × share
        "employees": va / 17.45,  # 全员劳动生产率 17.45 × share
        "rd": 305.0 * share,  # 0.0305 of 10,000 万元
        "revenue": 10_000.0,
    }


def test_huangyan_2021_above_scores_each_ratio_on_its_published_item():
    frame = pl.DataFrame([huangyan_firm("A", 1.0), huangyan_firm("B", 0.5), huangyan_firm("C", 1.0, emissions=False)])
    rows = by_id(evaluate(load(SCHEMES / "huangyan_2021_above.toml"), frame))
    assert rows["A"]["score"] == pytest.approx(100.0)  # every ratio at its benchmark: 30 + 20 + 20 + 10 + 10 + 10
    assert rows["B"]["score"] == pytest.approx(50.0)
    # No emissions data: the average 规上 score of that item, (1.0 + 0.5) / 2, times its weight 10.
    assert rows["C"]["va_per_emission.normalized"] == pytest.approx(0.75)
    assert rows["C"]["score"] == pytest.approx(97.5)
    assert [rows[k]["rank"] for k in "ACB"] == [1, 2, 3]


# One 规上 firm worked by hand: 20 亩, tax 500 万元, value added 3,000 万元, 1,000 吨标准煤, 0.6 吨 of
# emissions, 150 employees, revenue 12,000 万元 and R&D 360 万元, so 亩均税收 25, 亩均增加值 150,
# 单位能耗增加值 3, 单位排放增加值 5,000, 全员劳动生产率 20 and R&D ratio 0.03.
HAND = {
    "credit_code": "H",
    "scale": "above",
    "land_mu": 20.0,
    "tax": 500.0,
    "value_added": 3000.0,
    "energy_tce": 1000.0,
    "emissions": 0.6,
    "employees": 150.0,
    "revenue": 12_000.0,
    "rd": 360.0,
}


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        # 25/24.097·30 + 150/136.16·20 + 3/2.694·20 + 5000/4929.81·10 + 20/18.14·10 + 0.03/0.0302·10
        # = 31.1242 + 22.0329 + 22.2717 + 10.1424 + 11.0254 + 9.9338
        ("huangyan_2022_above", 106.5303),
        # 25/26.01·30 + 150/132.27·20 + 3/2.54·20 + 5000/4861.08·10 + 20/17.45·10 + 0.03/0.0305·10
        # = 28.8351 + 22.6809 + 23.6220 + 10.2858 + 11.4613 + 9.8361
        ("huangyan_2021_above", 106.7212),
    ],
)
def test_huangyan_above_reproduces_the_published_formula_by_hand(scheme, expected):
    result = evaluate(load(SCHEMES / f"{scheme}.toml"), pl.DataFrame([HAND]))
    assert result["score"][0] == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ("huangyan_2022_below", 25.8772 + 63.7755),  # 6/11.5932·50 + 0.3/0.2352·50
        ("huangyan_2021_below", 18.0711 + 63.4076),  # 6/16.601058·50 + 0.3/0.236565·50
    ],
)
def test_huangyan_below_reproduces_the_published_formula_by_hand(scheme, expected):
    frame = pl.DataFrame(
        {
            "credit_code": ["A", "C"],
            "scale": ["below", "below"],
            "tax": [30.0, 50.0],  # 万元
            "land_mu": [5.0, 2.0],  # C is on 2 亩, under the 3 亩 floor of the 规下 evaluation
            "electricity_kwh": [100.0, 10.0],  # 万千瓦时
        }
    )
    rows = by_id(evaluate(load(SCHEMES / f"{scheme}.toml"), frame))
    assert "C" not in rows
    assert rows["A"]["score"] == pytest.approx(expected, abs=1e-3)


def test_huaian_2024():
    frame = pl.DataFrame(
        {
            "credit_code": ["F1", "F2", "F3", "F4", "F5", "F6"],
            "tax": [10.0, 20.0, 30.0, 40.0, 99.0, 99.0],
            "revenue": [100.0, 200.0, 300.0, 400.0, 1.0, 1.0],
            "land_mu": [1.0] * 6,
            "energy_tce": [1.0] * 6,
            "section": ["C", "C", "C", "C", "D", "C"],
            "years_in_production": [5, 5, 5, 1, 9, 9],
            "years_since_supply": [9, 9, 9, 9, 9, 2],
            "scale": ["above"] * 6,
        }
    )
    rows = by_id(evaluate(load(SCHEMES / "huaian_2024.toml"), frame))
    assert (rows["F4"]["grade"], rows["F4"]["status"], rows["F4"]["excluded_reason"]) == (
        "T",
        "暂不评价",
        "投产不满两年",
    )
    assert (rows["F5"]["status"], rows["F5"]["excluded_reason"]) == ("不参评", "电力、热力、燃气及水生产和供应业不参评")
    assert (rows["F6"]["status"], rows["F6"]["excluded_reason"]) == ("暂不评价", "新供地块不满三年")
    assert {r["list"] for r in rows.values()} == {"规上企业"}
    # Among F1-F3 the benchmark is twice the average (tax 40, sales 400, tax per tce 40).
    assert [rows[k]["score"] for k in ("F1", "F2", "F3")] == pytest.approx([25.0, 50.0, 75.0])
    # Three firms: rank 1 is 1/3 of the list (past A's 20 %), rank 2 is 2/3 (past B's 60 %), rank 3 is D.
    assert [rows[k]["grade"] for k in ("F3", "F2", "F1")] == ["B", "C", "D"]


def test_jingde_linear_scores():
    frame = pl.DataFrame(
        {
            "credit_code": ["best", "middle", "worst"],
            "tax": [30.0, 20.0, 10.0],
            "revenue": [300.0, 200.0, 100.0],
            "land_mu": [1.0, 1.0, 1.0],
            "energy_tce": [1.0, 1.0, 1.0],
            "rd": [30.0, 13.0, 3.0],
        }
    )
    rows = by_id(evaluate(load(SCHEMES / "jingde.toml"), frame))
    # Each indicator scores weight × (20 + 80 × position between min and max) / 100; weights sum to 100.
    assert rows["best"]["score"] == pytest.approx(100.0)
    assert rows["worst"]["score"] == pytest.approx(20.0)
    assert rows["middle"]["score"] == pytest.approx(60.0)  # R&D ratio 0.065, halfway between 0.03 and 0.1
    assert [rows[k]["grade"] for k in ("best", "middle", "worst")] == ["A", "B", "D"]


def test_anyang_two_stage():
    n = 20
    energy = [1.0] * n
    energy[13], energy[19] = 5.0, 4.0  # the two least energy-efficient firms, both in the lower half
    frame = pl.DataFrame(
        {
            "credit_code": [f"F{i + 1}" for i in range(n)],
            "tax": [float(n - i) for i in range(n)],
            "revenue": [100.0] * n,
            "land_mu": [1.0] * n,
            "rd": [1.0] * n,
            "value_added": [100.0] * n,
            "energy_tce": energy,
            "emissions": [10.0] * n,
        }
    )
    rows = by_id(evaluate(load(SCHEMES / "anyang_2019.toml"), frame))
    grades = {k: r["grade"] for k, r in rows.items()}
    assert sorted(k for k, g in grades.items() if g == "A") == ["F1", "F2", "F3"]  # 15 % of 20
    assert sorted(k for k, g in grades.items() if g == "C") == ["F14", "F20"]  # 10 % of 20
    assert sum(g == "B" for g in grades.values()) == 15


def test_huaian_benchmark_is_twice_the_countys_per_mu_figure_not_the_mean_of_ratios():
    frame = pl.DataFrame(
        {
            "credit_code": ["F1", "F2"],
            "tax": [10.0, 30.0],
            "revenue": [100.0, 300.0],
            "land_mu": [1.0, 4.0],
            "energy_tce": [1.0, 3.0],
            "section": ["C", "C"],
            "years_in_production": [5, 5],
            "years_since_supply": [9, 9],
            "scale": ["above", "above"],
        }
    )
    rows = by_id(evaluate(load(SCHEMES / "huaian_2024.toml"), frame))
    # County figures Σ/Σ: tax 40 / 5 亩 = 8, sales 400 / 5 = 80, tax per tce 40 / 4 = 10; benchmarks twice those.
    # F1: 45 · 10/16 + 35 · 100/160 + 20 · 10/20 = 28.125 + 21.875 + 10 = 60
    # F2: 45 · 7.5/16 + 35 · 75/160 + 20 · 10/20 = 21.09375 + 16.40625 + 10 = 47.5
    assert rows["F1"]["score"] == pytest.approx(60.0)
    assert rows["F2"]["score"] == pytest.approx(47.5)
