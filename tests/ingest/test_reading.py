"""Reading departmental files: encodings, header rows under titles, blank and totals rows."""

import io

import pytest
import xlsxwriter

from jiju.ingest import mapping as m
from jiju.ingest.reading import ReadError, decode, read_table

KNOWN = {"统一社会信用代码", "企业名称", "用地面积"}
CSV_TEXT = '统一社会信用代码,企业名称,用地面积(亩)\n91350100M000100Y43,福州示例有限公司,"1,234.5"\n'


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_excel_saves(encoding):
    table = read_table(CSV_TEXT.encode(encoding), "税务.csv", KNOWN)
    assert table.headers == ["统一社会信用代码", "企业名称", "用地面积(亩)"]
    assert table.rows == [["91350100M000100Y43", "福州示例有限公司", "1,234.5"]]


def test_gb18030_only_characters_survive():
    text = "企业名称\n㐀㐁实业有限公司\n"  # CJK Extension A: in GB18030, not in GBK
    assert read_table(text.encode("gb18030"), "a.csv", {"企业名称"}).rows == [["㐀㐁实业有限公司"]]


def test_undecodable_bytes_say_so_in_chinese():
    with pytest.raises(ReadError, match="无法识别文件编码"):
        decode(b"\xff\xfe\x00\xd8\x00")


def _xlsx(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    sheet.merge_range(0, 0, 0, 2, "2025年度企业用地情况表")
    book.close()
    return buffer.getvalue()


def test_xlsx_header_found_under_a_merged_title_with_blank_and_totals_rows_dropped():
    data = _xlsx(
        [
            ["2025年度企业用地情况表", None, None],
            [None, None, None],
            ["统一社会信用代码", "企业名称", "用地面积(亩)"],
            ["91350100M000100Y43", "福州示例有限公司", 12.5],
            [None, None, None],
            ["91110108551385082Q", "北京示例有限公司", 30],
            ["合计", None, 42.5],
        ]
    )
    table = read_table(data, "用地.xlsx", KNOWN)
    assert table.headers[0] == "统一社会信用代码"
    assert table.rows == [
        ["91350100M000100Y43", "福州示例有限公司", "12.5"],
        ["91110108551385082Q", "北京示例有限公司", "30"],
    ]
    assert table.row_numbers == [4, 6]


def test_unsupported_type_and_missing_header():
    with pytest.raises(ReadError, match="不支持的文件类型"):
        read_table(b"x", "a.pdf", KNOWN)
    with pytest.raises(ReadError, match="未找到表头行"):
        read_table("甲,乙\n1,2\n".encode(), "a.csv", KNOWN)


def test_mapping_reports_every_fault_with_row_column_value_reason():
    from jiju.core.units import AreaUnit

    columns = [
        m.Column("code", ("统一社会信用代码",), m.credit, required=True),
        m.Column("name", ("企业名称",), m.text(10), required=True),
        m.Column("area", ("用地面积",), m.area(AreaUnit.M2)),
        m.Column("since", ("投产时间",), m.date),
    ]
    text = (
        "统一社会信用代码,企业名称,用地面积(亩),投产时间\n"
        '91350100M000100Y43,甲公司,"1,500",2020.05\n'
        "91350100M000100Y44,,-3,2020-13-01\n"
    )
    mapped = m.map_table(read_table(text.encode("gbk"), "a.csv", {"统一社会信用代码"}), columns)
    assert mapped.records[0][1]["area"] == pytest.approx(1_000_000)  # 1500 亩 in m², by the header's unit
    assert str(mapped.records[0][1]["since"]) == "2020-05-01"
    faults = {(e.row, e.column, e.value): e.reason for e in mapped.errors}
    assert faults[(3, "统一社会信用代码", "91350100M000100Y44")].startswith("校验位不符")
    assert faults[(3, "企业名称", "")] == "必填项为空"
    assert faults[(3, "用地面积(亩)", "-3")] == "不能为负数"
    assert faults[(3, "投产时间", "2020-13-01")] == "日期不存在"


def test_missing_required_column_is_reported_once():
    columns = [
        m.Column("code", ("统一社会信用代码",), m.credit, required=True),
        m.Column("name", ("企业名称",), m.text(), required=True),
    ]
    mapped = m.map_table(read_table("企业名称\n甲\n".encode(), "a.csv", {"企业名称"}), columns)
    assert [(e.row, e.reason) for e in mapped.errors] == [(1, "缺少必填列“统一社会信用代码”")]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2010.12", "2010-12-01"),
        ("2010-12-05", "2010-12-05"),
        ("2010/2/3", "2010-02-03"),
        ("2010年3月", "2010-03-01"),
        ("20100304", "2010-03-04"),
        ("2010-12-05 00:00:00", "2010-12-05"),
        ("40513", "2010-12-01"),  # an Excel serial day number
    ],
)
def test_dates_as_tables_write_them(text, iso):
    assert m.date(text).isoformat() == iso
