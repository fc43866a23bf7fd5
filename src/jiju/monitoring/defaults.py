"""The indicators and report forms a new installation starts with (DOMAIN.md §5, Henan's JJQ201).

Administrators change them on the 指标与报表 page; these rows are only the first set,
written by a data migration. The row layout of Henan's official JJQ201 form is not in
our sources: its JJQ201 here carries the quarterly indicators DOMAIN.md names.
A zone's total is checked against its enterprises only where both cover the same firms:
税收 (the tax bureau's file covers every firm), 规上工业增加值 (the statistics bureau's
规上 returns) and the number of 规上 firms in the registry.
"""

from __future__ import annotations

# code, name, unit, frequency, cumulative, aggregation, numerator, denominator, part_of,
# growth band (low, high) in percent or None, enterprise check
INDICATORS = [
    ("revenue", "营业收入", "万元", "month", True, "sum", "", "", "", (-30, 50), ""),  # 主营业务收入 on older forms
    ("output", "工业总产值", "万元", "month", True, "sum", "", "", "", (-30, 50), ""),
    ("value_added", "规上工业增加值", "万元", "month", True, "sum", "", "", "output", (-30, 50), "value_added"),
    ("tax", "税收收入", "万元", "month", True, "sum", "", "", "", (-30, 50), "tax"),
    ("fixed_investment", "固定资产投资", "万元", "month", True, "sum", "", "", "", (-40, 80), ""),
    ("industrial_investment", "工业投资", "万元", "month", True, "sum", "", "", "fixed_investment", (-40, 80), ""),
    ("fdi", "实际利用外资", "万美元", "month", True, "sum", "", "", "", (-60, 150), ""),
    ("domestic_capital", "实际利用内资", "万元", "month", True, "sum", "", "", "", (-50, 100), ""),
    ("trade", "进出口总额", "万美元", "month", True, "sum", "", "", "", (-50, 100), ""),
    ("employees", "从业人员", "人", "quarter", False, "sum", "", "", "", (-20, 30), ""),
    ("firms_above", "规上工业企业数", "个", "quarter", False, "sum", "", "", "", None, "firms_above"),
    ("hightech_firms", "高新技术企业数", "个", "quarter", False, "sum", "", "", "", None, ""),
    ("hightech_va", "高新技术产业增加值", "万元", "quarter", True, "sum", "", "", "value_added", (-30, 60), ""),
    (
        "hightech_share",
        "高新技术产业增加值占比",
        "%",
        "quarter",
        False,
        "ratio",
        "hightech_va",
        "value_added",
        "",
        None,
        "",
    ),
    ("standard_factory", "标准厂房面积", "万平方米", "quarter", False, "sum", "", "", "", None, ""),
    ("occupancy", "标准厂房入驻率", "%", "quarter", False, "mean", "", "", "", None, ""),
    ("built_area", "建成区面积", "平方公里", "year", False, "sum", "", "", "", None, ""),
    ("road_length", "道路长度", "公里", "year", False, "sum", "", "", "", None, ""),
    ("energy", "综合能源消费量", "吨标准煤", "year", False, "sum", "", "", "", (-30, 50), ""),
    ("rd", "研发经费支出", "万元", "year", False, "sum", "", "", "", (-30, 80), ""),
]

# code, name, frequency, deadline day, indicator codes, note
FORMS = [
    (
        "YB01",
        "开发区主要经济指标月报",
        "month",
        10,
        [
            "revenue",
            "output",
            "value_added",
            "tax",
            "fixed_investment",
            "industrial_investment",
            "fdi",
            "domestic_capital",
            "trade",
        ],
        "累计值按年初至本月末填报。",
    ),
    (
        "JJQ201",
        "产业集聚区主要指标季报",
        "quarter",
        15,
        [
            "employees",
            "firms_above",
            "hightech_firms",
            "hightech_va",
            "hightech_share",
            "standard_factory",
            "occupancy",
        ],
        "依河南省产业集聚区统计季报（JJQ201）所列指标设置；高新技术产业增加值占比由系统计算。",
    ),
    ("NB01", "开发区基本情况年报", "year", 28, ["built_area", "road_length", "energy", "rd"], ""),
]


def install(indicator_model, form_model, item_model) -> None:
    """Write the default set; existing codes are left as the administrator changed them."""
    for order, (code, name, unit, frequency, cumulative, aggregation, num, den, part, band, source) in enumerate(
        INDICATORS, start=1
    ):
        indicator_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "frequency": frequency,
                "cumulative": cumulative,
                "aggregation": aggregation,
                "numerator": num,
                "denominator": den,
                "part_of": part,
                "growth_low": band[0] if band else None,
                "growth_high": band[1] if band else None,
                "enterprise_source": source,
                "order": order,
            },
        )
    for code, name, frequency, day, codes, note in FORMS:
        form, created = form_model.objects.get_or_create(
            code=code, defaults={"name": name, "frequency": frequency, "deadline_day": day, "note": note}
        )
        if created:
            for order, indicator in enumerate(codes, start=1):
                item_model.objects.create(
                    form=form, indicator=indicator_model.objects.get(code=indicator), order=order, required=True
                )
