"""A card for every indicator the shipped schemes use, with the definitions of DOMAIN.md §6. The
alert and excellence thresholds are the county's to set: none is written here."""

from django.db import migrations

TAX = ("税务局", "税务部门企业纳税数据（实缴税金合计）")
STATS = ("统计局", "统计部门规上工业企业年报（工业增加值、营业收入、从业人员、R&D经费）")
LAND = "自然资源和规划局（用地面积：宗地面积之和，租赁企业按租赁建筑面积折算）"
CARDS = [
    ("tax_per_mu", "亩均税收", "企业单位用地面积上的评价税收", "评价税收 / 用地面积", "万元/亩", TAX, LAND),
    ("va_per_mu", "亩均增加值", "企业单位用地面积上的工业增加值", "工业增加值 / 用地面积", "万元/亩", STATS, LAND),
    ("revenue_per_mu", "亩均营业收入", "企业单位用地面积上的营业收入", "营业收入 / 用地面积", "万元/亩", STATS, LAND),
    ("sales_per_mu", "亩均销售收入", "企业单位用地面积上的销售收入", "销售收入 / 用地面积", "万元/亩", STATS, LAND),
    (
        "va_per_energy",
        "单位能耗增加值",
        "企业每吨标准煤综合能耗（等价值）产生的工业增加值",
        "工业增加值 / 综合能耗（等价值）",
        "万元/吨标准煤",
        STATS,
        "发展改革委（综合能源消费量）",
    ),
    (
        "tax_per_energy",
        "单位能耗税收",
        "企业每吨标准煤综合能耗产生的评价税收",
        "评价税收 / 综合能耗",
        "万元/吨标准煤",
        TAX,
        "发展改革委（综合能源消费量）",
    ),
    (
        "va_per_emission",
        "单位排放增加值",
        "企业每吨主要污染物排放量产生的工业增加值",
        "工业增加值 / 主要污染物排放量（化学需氧量、氨氮、二氧化硫、氮氧化物之和）",
        "万元/吨",
        STATS,
        "生态环境局（主要污染物排放量）",
    ),
    (
        "labour_productivity",
        "全员劳动生产率",
        "企业年平均每名职工创造的工业增加值",
        "工业增加值 / 年平均职工人数",
        "万元/人",
        STATS,
        "人力资源和社会保障局",
    ),
    (
        "rd_ratio",
        "R&D经费占营业收入比",
        "企业研究与试验发展经费支出占营业收入（主营业务收入）的比重",
        "R&D经费支出 / 营业收入",
        "比值",
        STATS,
        "科技局",
    ),
    (
        "tax_per_kwh",
        "单位用电税收",
        "企业每万千瓦时用电量产生的评价税收",
        "评价税收 / 用电量",
        "万元/万千瓦时（元/千瓦时）",
        TAX,
        "供电公司（用电量，按户号归集到企业）",
    ),
]


def add_cards(apps, schema_editor):
    card = apps.get_model("assessment", "IndicatorCard")
    for code, label, definition, formula, unit, (lead, source), supporting in CARDS:
        card.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "definition": definition,
                "formula": formula,
                "unit": unit,
                "lead_department": lead,
                "supporting_departments": supporting,
                "source_file": source,
                "update_frequency": "年度",
            },
        )


def remove_cards(apps, schema_editor):
    apps.get_model("assessment", "IndicatorCard").objects.filter(code__in=[c[0] for c in CARDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0009_indicatorcard")]
    operations = [migrations.RunPython(add_cards, remove_cards)]
