"""The columns of each registry table, shared by list pages, exports and imports.

Exported headers name their units and are the import's own headers, so an
exported file imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from jiju.core import units
from jiju.ingest import mapping as m
from jiju.platform.tables import Col, labels


def _area(attr: str, unit: units.AreaUnit) -> Callable[[object], float | None]:
    def show(obj):
        value = getattr(obj, attr)
        return None if value is None else round(units.from_m2(value, unit), 4)

    return show


def _money(attr: str, unit: units.MoneyUnit) -> Callable[[object], float | None]:
    def show(obj):
        value = getattr(obj, attr)
        return None if value is None else float(units.from_yuan(value, unit))

    return show


def _attr(path: str) -> Callable[[object], object]:
    def show(obj):
        for part in path.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj() if callable(obj) else obj

    return show


def zone_columns() -> list[Col]:
    from jiju.registry.models import Zone

    return [
        Col("code", "代码", _attr("code"), m.text(20), ("目录代码", "开发区代码")),
        Col("name", "开发区名称", _attr("name"), m.text(100), ("名称",), required=True),
        Col("province", "省份", _attr("region.province_name"), m.text(20), ("所在省份",)),
        Col("region_code", "所在区划代码", _attr("region.code"), m.text(6), ("区划代码",)),
        Col("region_name", "所在区划", _attr("region.full_name"), m.text(50), ("所在地",)),
        Col("approval_authority", "批准级别", _attr("approval_authority"), m.text(50), ("批准机关",)),
        Col("level", "级别", _attr("get_level_display"), m.choice(labels(Zone.LEVELS)), ("开发区级别",)),
        Col("kind", "开发区类型", _attr("get_kind_display"), m.choice(labels(Zone.KINDS)), ("类型",)),
        Col("approval_date", "批准时间", lambda z: z.approval_note or z.approval_date, m.text(30)),
        Col(
            "approved_area_m2",
            "核准面积(公顷)",
            _area("approved_area_m2", units.AreaUnit.HECTARE),
            m.area(units.AreaUnit.HECTARE),
            ("核准面积_公顷", "核准面积"),
        ),
        Col(
            "planned_area_m2",
            "规划面积(公顷)",
            _area("planned_area_m2", units.AreaUnit.HECTARE),
            m.area(units.AreaUnit.HECTARE),
            ("规划面积",),
        ),
        Col(
            "built_area_m2",
            "建成区面积(公顷)",
            _area("built_area_m2", units.AreaUnit.HECTARE),
            m.area(units.AreaUnit.HECTARE),
            ("建成区面积",),
        ),
        Col("leading_industries", "主导产业", _attr("leading_industries"), m.text(200)),
        Col("management_committee", "管委会", _attr("management_committee"), m.text(100)),
        Col("platform_company", "平台公司", _attr("platform_company"), m.text(100)),
    ]


def enterprise_columns() -> list[Col]:
    from jiju.registry.models import Enterprise

    return [
        Col(
            "credit_code",
            "统一社会信用代码",
            _attr("credit_code"),
            m.credit,
            ("社会信用代码", "信用代码"),
            required=True,
        ),
        Col("name", "企业名称", _attr("name"), m.text(200), ("单位详细名称", "纳税人名称", "名称"), required=True),
        Col("zone", "所在开发区", _attr("zone.name"), m.text(100), ("开发区", "所属园区")),
        Col("region_code", "所在区划代码", _attr("region.code"), m.text(6), ("区划代码",)),
        Col("industry", "行业代码", _attr("industry.code"), m.text(4), ("国民经济行业代码", "行业")),
        Col("industry_name", "行业名称", _attr("industry.name")),
        Col("scale", "规模", _attr("get_scale_display"), m.choice(labels(Enterprise.SCALES)), ("企业规模",)),
        Col("production_start", "投产时间", _attr("production_start"), m.date, ("投产日期",)),
        Col(
            "registered_capital_yuan",
            "注册资本(万元)",
            _money("registered_capital_yuan", units.MoneyUnit.WAN),
            m.money(units.MoneyUnit.WAN),
            ("注册资本",),
        ),
        Col("employees", "从业人员(人)", _attr("employees"), m.non_negative, ("从业人员", "从业人员平均人数")),
        Col("address", "地址", _attr("address"), m.text(200), ("注册地址",)),
        Col("tags", "标签", lambda e: "、".join(t.name for t in e.tags.all()), m.split_list, ("企业标签",)),
    ]


def parcel_columns() -> list[Col]:
    from jiju.registry.models import Parcel

    return [
        Col("number", "地块编号", _attr("number"), m.text(50), ("宗地编号", "宗地代码"), required=True),
        Col("zone", "所在开发区", _attr("zone.name"), m.text(100), ("开发区",), required=True),
        Col("holder", "土地使用权人信用代码", _attr("holder.credit_code"), m.credit, ("权利人统一社会信用代码",)),
        Col("holder_name", "土地使用权人", _attr("holder.name"), None, ("土地使用权人名称",)),
        Col(
            "area_m2",
            "用地面积(亩)",
            _area("area_m2", units.AreaUnit.MU),
            m.area(units.AreaUnit.MU),
            ("用地面积", "宗地面积", "土地面积"),
            required=True,
        ),
        Col("use", "用途", _attr("get_use_display"), m.choice(labels(Parcel.USES)), ("土地用途",)),
        Col("supply_date", "供地日期", _attr("supply_date"), m.date, ("出让日期", "供应日期")),
        Col("agreed_start_date", "约定动工日期", _attr("agreed_start_date"), m.date, ("出让合同约定动工日期",)),
        Col("actual_start_date", "实际动工日期", _attr("actual_start_date"), m.date, ("动工日期",)),
        Col("completion_date", "竣工日期", _attr("completion_date"), m.date),
        Col(
            "floor_area_m2",
            "建筑面积(平方米)",
            _area("floor_area_m2", units.AreaUnit.M2),
            m.area(units.AreaUnit.M2),
            ("建筑面积",),
        ),
        Col(
            "footprint_m2",
            "建筑基底面积(平方米)",
            _area("footprint_m2", units.AreaUnit.M2),
            m.area(units.AreaUnit.M2),
            ("建筑基底面积",),
        ),
        Col(
            "contract_investment_yuan",
            "合同投资(万元)",
            _money("contract_investment_yuan", units.MoneyUnit.WAN),
            m.money(units.MoneyUnit.WAN),
            ("合同投资", "合同投资额"),
        ),
    ]
