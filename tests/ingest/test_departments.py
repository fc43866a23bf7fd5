"""Departmental files: synonyms, units, remembered mappings, the match report and the red-marked workbook."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from jiju.ingest.departments import annotate, match, read_department_file

GOOD, OTHER = "91350100M000100Y43", "914403001922038216"
BAD = "91110108551385082R"  # the check character should be Q


def test_tax_file_in_gbk_with_wan_yuan_in_the_header():
    text = (
        "2025年度企业税收明细\n\n纳税人识别号,纳税人名称,入库税收（万元）\n"
        f'{GOOD},福州示例有限公司,"1,234.5"\n{OTHER},深圳示例有限公司,20\n合计,,"1,254.5"\n'
    )
    file = read_department_file(text.encode("gbk"), "税务.csv", "tax")
    assert not file.errors and file.table.header_row == 3
    assert [r["tax"] for _, r in file.records] == [12_345_000.0, 200_000.0]  # 万元 to 元


def test_statistics_without_units_are_read_as_thousand_yuan_and_said_so():
    text = f"统一社会信用代码,单位详细名称,工业增加值(现价),从业人员平均人数\n{GOOD},甲,1500,120\n"
    file = read_department_file(text.encode(), "统计.csv", "statistics")
    [(_, record)] = file.records
    assert record["value_added"] == 1_500_000.0 and record["employees"] == 120.0
    assert file.notes == ["“工业增加值(现价)”未注明单位，按千元换算"]


def test_power_in_ten_thousand_kwh():
    text = f"户号,户名,用电量(万千瓦时)\n{GOOD},甲,3.5\n"
    file = read_department_file(text.encode(), "电力.csv", "power")
    assert file.records[0][1]["electricity_kwh"] == 35_000.0


def test_a_remembered_mapping_reads_an_unusual_header():
    text = f"社会信用代码,企业,本年实缴(元)\n{GOOD},甲,100\n"
    unmapped = read_department_file(text.encode(), "a.csv", "tax")
    assert any("未找到税务部门的数据列" in e.reason for e in unmapped.errors)
    mapped = read_department_file(text.encode(), "a.csv", "tax", chosen={"本年实缴(元)": "tax", "企业": "name"})
    assert not mapped.errors and mapped.records[0][1] == {"credit_code": GOOD, "name": "甲", "tax": 100.0}


def test_match_report_lists_unknown_repeated_and_conflicting_rows():
    text = (
        f"统一社会信用代码,企业名称,实缴税金合计(元)\n{GOOD},甲公司,10\n{OTHER},乙,5\n{GOOD},甲公司,12\n"
        "91110108551385082Q,未登记公司,1\n"
    )
    file = read_department_file(text.encode(), "a.csv", "tax")
    report = match(file, {GOOD: "甲公司", OTHER: "乙有限公司"})
    assert report.matched == 2
    assert report.unmatched == [(5, "91110108551385082Q", "未登记公司")]
    assert report.duplicates == {GOOD: [2, 4]}
    assert report.conflicts == [(GOOD, "实缴税金", [10.0, 12.0])]
    assert report.name_differs == [(3, OTHER, "乙", "乙有限公司")]


def test_bad_cells_come_back_red_with_their_reason():
    text = f"报表标题\n统一社会信用代码,企业名称,实缴税金合计(元)\n{GOOD},甲,10\n{BAD},乙,-5\n"
    data = text.encode("gbk")
    file = read_department_file(data, "税务.csv", "tax")
    assert {(e.row, e.column) for e in file.errors} == {(4, "统一社会信用代码"), (4, "实缴税金合计(元)")}
    sheet = load_workbook(io.BytesIO(annotate(data, "税务.csv", file.errors, file.table.header_row))).active
    code_cell, tax_cell, good_cell = sheet["A4"], sheet["C4"], sheet["A3"]
    assert code_cell.value == BAD and code_cell.fill.fgColor.rgb.endswith("F8CBAD")
    assert "校验位不符" in code_cell.comment.text
    assert tax_cell.comment.text == "不能为负数"
    assert good_cell.comment is None and sheet["B2"].value == "企业名称"


@pytest.mark.parametrize("department", ["tax", "statistics", "power", "energy", "ecology"])
def test_every_department_reads_its_own_typical_headers(department):
    from jiju.ingest.departments import DEPARTMENTS

    dept = DEPARTMENTS[department]
    headers = ["统一社会信用代码", "企业名称", *(x.headers[0] for x in dept.measures)]
    row = [GOOD, "甲", *("1" for _ in dept.measures)]
    file = read_department_file((",".join(headers) + "\n" + ",".join(row) + "\n").encode(), "a.csv", department)
    assert not file.errors
    assert set(file.records[0][1]) == {"credit_code", "name", *(x.field for x in dept.measures)}


def test_headers_with_a_qualifier_and_a_unit_are_read_and_unknown_ones_noted():
    text = (
        f"统一社会信用代码,单位详细名称,工业总产值(当年价格)(千元),研究与试验发展(R&D)经费支出(千元),备注\n"
        f"{GOOD},甲,100,5,无\n"
    )
    file = read_department_file(text.encode(), "统计.csv", "statistics")
    assert file.records[0][1]["output"] == 100_000.0 and file.records[0][1]["rd"] == 5_000.0
    assert any("未识别的列（未读取）：备注" in n for n in file.notes)
