"""Departmental files (税务, 统计, 电力, 能源, 生态环境): their columns, units and match to the registry.

Each department exports from its own system, so headers and units differ by
department and year. A department's columns are named here with the synonyms
seen in practice; a user's own mapping (header -> field) is remembered by the
platform and passed in as `chosen`. Values are converted to one unit per
measure: money in 元, electricity in kWh, energy in 吨标准煤, emissions in 吨.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import xlsxwriter

from jiju.core import units
from jiju.ingest import mapping as m
from jiju.ingest.guard import Limits
from jiju.ingest.reading import Table, cell_text, known_headers, read_cells, read_table


@dataclass(frozen=True)
class Measure:
    """A quantity a department reports, with its synonyms and how to read its unit."""

    field: str
    label: str
    headers: tuple[str, ...]
    kind: str  # money | electricity | plain
    default_unit: str = ""  # said when a header names no unit


@dataclass(frozen=True)
class Department:
    code: str
    label: str
    measures: tuple[Measure, ...]
    key_headers: tuple[str, ...] = ("统一社会信用代码", "社会信用代码", "信用代码", "纳税人识别号")
    name_headers: tuple[str, ...] = ("企业名称", "单位详细名称", "纳税人名称", "户名", "单位名称")


DEPARTMENTS: dict[str, Department] = {
    d.code: d
    for d in (
        Department(
            "tax",
            "税务部门",
            (Measure("tax", "实缴税金", ("实缴税金合计", "入库税收", "税收收入", "实缴税金", "税收"), "money", "元"),),
        ),
        Department(
            "statistics",
            "统计部门",
            (
                Measure("output", "工业总产值", ("工业总产值(当年价格)", "工业总产值"), "money", "千元"),
                Measure("value_added", "工业增加值", ("工业增加值(现价)", "工业增加值"), "money", "千元"),
                Measure("revenue", "营业收入", ("营业收入", "主营业务收入"), "money", "千元"),
                Measure("employees", "从业人员平均人数", ("从业人员平均人数", "从业人员"), "plain"),
                Measure(
                    "rd", "R&D经费支出", ("研究与试验发展(R&D)经费支出", "R&D经费支出", "研发经费支出"), "money", "千元"
                ),
            ),
        ),
        Department(
            "power",
            "供电部门",
            (Measure("electricity_kwh", "用电量", ("用电量", "售电量", "电量"), "electricity", "千瓦时"),),
            key_headers=("统一社会信用代码", "社会信用代码", "信用代码", "户号"),
        ),
        Department(
            "energy",
            "能源管理部门",
            (Measure("energy_tce", "综合能源消费量", ("综合能源消费量", "综合能耗"), "plain"),),
        ),
        Department(
            "ecology",
            "生态环境部门",
            (
                Measure("cod_t", "化学需氧量排放量", ("化学需氧量排放量", "化学需氧量"), "plain"),
                Measure("ammonia_t", "氨氮排放量", ("氨氮排放量", "氨氮"), "plain"),
                Measure("so2_t", "二氧化硫排放量", ("二氧化硫排放量", "二氧化硫"), "plain"),
                Measure("nox_t", "氮氧化物排放量", ("氮氧化物排放量", "氮氧化物"), "plain"),
            ),
        ),
    )
}


def _parser(measure: Measure, notes: list[str]) -> m.Parser:
    """Parse a cell into the measure's canonical unit, noting once when the header names no unit."""

    def parse(value: str, header: str) -> float:
        number = m.non_negative(value)
        if measure.kind == "money":
            unit = units.money_unit_in_header(header)
            if unit is None:
                unit = next(u for u in units.MoneyUnit if u.label == measure.default_unit)
                _note(notes, f"“{header}”未注明单位，按{unit.label}换算")
            return float(units.to_yuan(number, unit))
        if measure.kind == "electricity":
            factor = units.electricity_factor_in_header(header)
            if factor is None:
                factor = units.ELECTRICITY_UNITS[measure.default_unit]
                _note(notes, f"“{header}”未注明单位，按{measure.default_unit}换算")
            return float(number) * factor
        return float(number)

    return parse


def _note(notes: list[str], text: str) -> None:
    if text not in notes:
        notes.append(text)


@dataclass
class DepartmentFile:
    """A department's file read and checked: one record per row, every fault and note."""

    department: Department
    table: Table
    records: list[tuple[int, dict[str, object]]]
    errors: list[m.RowError]
    notes: list[str]
    headers: dict[str, str]  # field -> the file's header


def read_department_file(
    data: bytes,
    filename: str,
    department: str,
    chosen: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> DepartmentFile:
    """Read a departmental file. `chosen` maps a file header to a field, overriding the synonyms."""
    dept = DEPARTMENTS[department]
    notes: list[str] = []
    chosen = dict(chosen or {})
    by_field = defaultdict(list)
    for header, target in chosen.items():
        by_field[target].append(header)
    columns = [
        m.Column("credit_code", (*by_field["credit_code"], *dept.key_headers), m.text(30), required=True),
        m.Column("name", (*by_field["name"], *dept.name_headers), m.text(200)),
        *(m.Column(x.field, (*by_field[x.field], *x.headers), _parser(x, notes)) for x in dept.measures),
    ]
    table = read_table(data, filename, known_headers(h for c in columns for h in c.headers), limits)
    mapped = m.map_table(table, columns)
    unused = [h for h in table.headers if h and h not in mapped.headers.values()]
    if unused:
        notes.append(f"未识别的列（未读取）：{'、'.join(unused)}；如需读取，请在列映射中指定")
    measures_found = [x for x in dept.measures if x.field in mapped.headers]
    if not measures_found:
        labels = "、".join(x.label for x in dept.measures)
        mapped.errors.append(m.RowError(1, "", "", f"未找到{dept.label}的数据列（{labels}）：请在列映射中指定"))
    for number, record in mapped.records:
        code = record.get("credit_code")
        if isinstance(code, str) and len(code) == 18:
            try:
                record["credit_code"] = m.credit(code)
            except m.CellError as exc:
                mapped.errors.append(m.RowError(number, mapped.headers["credit_code"], code, str(exc)))
    return DepartmentFile(dept, table, mapped.records, mapped.errors, notes, mapped.headers)


@dataclass
class MatchReport:
    """How a file's rows meet the registry's enterprises, by credit code."""

    matched: int = 0
    unmatched: list[tuple[int, str, str]] = field(default_factory=list)  # row, code, name in the file
    duplicates: dict[str, list[int]] = field(default_factory=dict)  # code -> rows
    conflicts: list[tuple[str, str, list[object]]] = field(default_factory=list)  # code, field, values
    name_differs: list[tuple[int, str, str, str]] = field(default_factory=list)  # row, code, file, registry


def match(file: DepartmentFile, registry: Mapping[str, str]) -> MatchReport:
    """Match rows to `registry` (credit code -> name); list the unknown, repeated and contradictory."""
    report = MatchReport()
    rows_by_code: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for number, record in file.records:
        code = record.get("credit_code")
        if code:
            rows_by_code[str(code)].append((number, record))
    for code, rows in rows_by_code.items():
        number, record = rows[0]
        if code not in registry:
            report.unmatched.append((number, code, str(record.get("name") or "")))
            continue
        report.matched += 1
        if record.get("name") and record["name"] != registry[code]:
            report.name_differs.append((number, code, str(record["name"]), registry[code]))
        if len(rows) > 1:
            report.duplicates[code] = [n for n, _ in rows]
            for measure in file.department.measures:
                values = [r.get(measure.field) for _, r in rows]
                if len({v for v in values if v is not None}) > 1:
                    report.conflicts.append((code, measure.label, values))
    return report


def annotate(
    data: bytes, filename: str, errors: list[m.RowError], header_row: int, limits: Limits | None = None
) -> bytes:
    """The uploaded sheet as .xlsx with every faulty cell in red and its reason as a comment.

    Every cell keeps the type it had in the file (numbers stay numbers, dates stay dates), so
    the copy can be mended and uploaded again. `header_row` is the sheet row (1-based) of the
    header, as `Table.header_row` gives it.
    """
    grid = read_cells(data, filename, limits)
    headers = [cell_text(h) for h in grid[header_row - 1]] if 0 < header_row <= len(grid) else []
    position = {h: i for i, h in enumerate(headers)}
    buffer = io.BytesIO()
    # A crafted cell may hold NaN or Infinity as a number; Excel shows such a cell as #NUM!, and so does the copy.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True, "nan_inf_to_errors": True})
    sheet = book.add_worksheet("校验结果")
    red = {"bg_color": "#F8CBAD", "font_color": "#9C0006", "border": 1, "border_color": "#C00000"}
    formats = {
        "plain": (None, book.add_format(red)),
        "date": (book.add_format({"num_format": "yyyy-mm-dd"}), book.add_format({**red, "num_format": "yyyy-mm-dd"})),
        "datetime": (
            book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            book.add_format({**red, "num_format": "yyyy-mm-dd hh:mm:ss"}),
        ),
        "time": (book.add_format({"num_format": "hh:mm:ss"}), book.add_format({**red, "num_format": "hh:mm:ss"})),
    }
    by_cell: dict[tuple[int, int], list[str]] = defaultdict(list)
    for error in errors:
        column = position.get(error.column.strip(), 0)
        row = max(error.row, 1) - 1
        by_cell[(row, column)].append(error.reason)
    cells = {(r, c): value for r, row in enumerate(grid) for c, value in enumerate(row)}
    for key in by_cell:
        cells.setdefault(key, "")
    for (row, column), value in cells.items():
        marked = (row, column) in by_cell
        if value is None or value == "":
            if marked:
                sheet.write_blank(row, column, None, formats["plain"][1])
        else:
            _write_typed(sheet, row, column, value, formats, marked)
    for (row, column), reasons in by_cell.items():
        sheet.write_comment(row, column, "；".join(reasons), {"x_scale": 2, "y_scale": 1.5})
    sheet.freeze_panes(header_row, 0)
    book.close()
    return buffer.getvalue()


def _write_typed(sheet, row: int, column: int, value: object, formats: dict, marked: bool) -> None:
    """One cell as the type the reader gave it: a number, a date, a time, a truth value or text."""
    pick = 1 if marked else 0
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value, formats["plain"][pick])
    elif isinstance(value, (int, float)):
        sheet.write_number(row, column, value, formats["plain"][pick])
    elif isinstance(value, dt.datetime):
        kind = "date" if value.time() == dt.time() else "datetime"
        sheet.write_datetime(row, column, value, formats[kind][pick])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), formats["date"][pick])
    elif isinstance(value, dt.time):
        sheet.write_datetime(row, column, value, formats["time"][pick])
    else:
        sheet.write_string(row, column, cell_text(value), formats["plain"][pick])
