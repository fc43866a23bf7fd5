"""Files that would bring the reader down or slip wrong values through are refused, in Chinese (issue 9)."""

from __future__ import annotations

import datetime as dt
import io
import resource
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest
import xlsxwriter
from openpyxl import load_workbook

from jiju.core import values
from jiju.ingest import mapping as m
from jiju.ingest.departments import annotate
from jiju.ingest.guard import Limits
from jiju.ingest.reading import ReadError, read_grid, read_table
from tests.ingest.hostile import Formula, far_corner, workbook, zip_bomb

CHILD_MEMORY = 2_000_000_000  # the child that reads a hostile file may not take more of the shared machine


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def test_the_5_kb_workbook_is_refused_without_allocating_the_sheet(tmp_path):
    data = far_corner()
    assert len(data) < 5_000
    path = tmp_path / "far.xlsx"
    path.write_bytes(data)
    # Read in a child with a memory ceiling: the old reader aborted the whole process here.
    script = textwrap.dedent(
        f"""
        from jiju.ingest.reading import ReadError, read_grid
        try:
            read_grid(open({str(path)!r}, "rb").read(), "far.xlsx")
        except ReadError as exc:
            print(exc)
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, preexec_fn=_limit_memory, timeout=60
    )
    assert child.returncode == 0, child.stderr[-500:]
    assert "工作表范围过大（XFD1048576" in child.stdout and "最多允许 100000 行 256 列" in child.stdout


def test_a_declared_dimension_beyond_the_limits_is_refused():
    data = workbook([["名称"], ["甲"]], dimension="A1:ZZ500000")
    with pytest.raises(ReadError, match="工作表范围过大"):
        read_grid(data, "a.xlsx")


def test_limits_come_from_the_caller():
    data = workbook([["名称", "数量"], *[[f"甲{i}", i] for i in range(30)]])
    assert len(read_grid(data, "a.xlsx")) == 31
    with pytest.raises(ReadError, match="最多允许 20 行 256 列"):
        read_grid(data, "a.xlsx", Limits(max_rows=20))
    csv = "名称,数量\n" + "".join(f"甲{i},{i}\n" for i in range(30))
    with pytest.raises(ReadError, match="最多允许 20 行"):
        read_grid(csv.encode(), "a.csv", Limits(max_rows=20))


def test_a_zip_bomb_is_refused_by_its_ratio_and_its_unpacked_size():
    with pytest.raises(ReadError, match="压缩比异常"):
        read_grid(zip_bomb(8), "bomb.xlsx")
    with pytest.raises(ReadError, match="解压后过大"):
        read_grid(zip_bomb(8), "bomb.xlsx", Limits(max_ratio=10**6, max_unpacked_bytes=4 * 1024 * 1024))


def test_entity_declarations_are_refused():
    data = workbook([["a"]], prologue='<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>')
    with pytest.raises(ReadError, match="DOCTYPE"):
        read_grid(data, "a.xlsx")


def test_a_formula_without_a_cached_value_is_refused_with_its_cell():
    data = workbook([["企业名称", "税收"], ["甲", Formula("B3*2", 84)], ["乙", Formula("SUM(B1:B2)")]])
    with pytest.raises(ReadError) as refused:
        read_grid(data, "a.xlsx")
    assert "公式没有计算结果" in str(refused.value) and "第3行B列" in str(refused.value)
    assert "第2行" not in str(refused.value)


def test_a_formula_with_its_cached_value_reads_as_that_value():
    data = workbook([["企业名称", "税收"], ["甲", Formula("21*2", 42)]])
    assert read_grid(data, "a.xlsx") == [["企业名称", "税收"], ["甲", "42"]]


@pytest.mark.parametrize("length", [131_073, 200_000])
def test_a_csv_field_over_the_csv_limit_is_a_chinese_refusal(length):
    data = ("名称,地址\n甲," + "长" * length + "\n").encode()
    with pytest.raises(ReadError, match="第2行"):
        read_grid(data, "a.csv")


def test_a_csv_field_over_the_cell_limit_is_refused_with_its_place():
    data = ("名称,地址\n甲," + "长" * 40_000 + "\n").encode()
    with pytest.raises(ReadError, match="第2行第2列的内容过长（40000个字符）"):
        read_grid(data, "a.csv")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("名称,数量\n".encode(), "a.csv"),
        ("\ufeff名称,数量\n,\n\n".encode(), "a.csv"),
        (b"", "a.csv"),
        (workbook([["名称", "数量"]]), "a.xlsx"),
        (workbook([]), "a.xlsx"),
    ],
)
def test_a_file_without_data_rows_is_refused(data, name):
    with pytest.raises(ReadError, match="没有数据行"):
        read_table(data, name, {"名称", "数量"})


def test_the_old_binary_format_is_refused_before_reading():
    with pytest.raises(ReadError, match=r"另存为 \.xlsx"):
        read_grid(b"\xd0\xcf\x11\xe0" + bytes(600), "a.xls")


@pytest.mark.parametrize("text", ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e400", "-1e400", "1e15"])
def test_numbers_that_are_not_finite_or_too_large_are_refused_with_row_and_column(text):
    table = read_table(f"名称,数量\n甲,{text}\n".encode(), "a.csv", {"名称", "数量"})
    mapped = m.map_table(table, [m.Column("name", ("名称",), m.text()), m.Column("n", ("数量",), m.number)])
    assert [(e.row, e.column) for e in mapped.errors] == [(2, "数量")]
    with pytest.raises(values.BadValue):
        values.decimal(text)


def test_ordinary_numbers_still_read():
    assert values.decimal("1,234.5") == Decimal("1234.5")
    assert values.decimal("-3") == Decimal(-3)


@pytest.mark.parametrize("bad", ["甲\x00乙", "\x07响铃", "甲\x1b[31m"])
def test_control_characters_in_text_are_refused_with_row_and_column(bad):
    data = workbook([["名称", "地址"], ["好", "好"], [bad, "路"]])
    table = read_table(data, "a.xlsx", {"名称", "地址"})
    mapped = m.map_table(table, [m.Column("name", ("名称",), m.text()), m.Column("a", ("地址",), m.text())])
    assert [(e.row, e.column) for e in mapped.errors] == [(3, "名称")]
    assert "控制字符" in mapped.errors[0].reason


def test_a_csv_cell_escaped_against_formula_injection_reads_back_as_written():
    data = "名称,备注\n'=HYPERLINK(\"x\"),'+86\n'-1,'@me\n".encode()
    assert read_grid(data, "a.csv")[1:] == [['=HYPERLINK("x")', "+86"], ["-1", "@me"]]
    assert read_grid("名称\n'单引号开头\n".encode(), "a.csv")[1] == ["'单引号开头"]


def test_the_red_marked_copy_keeps_every_cell_type():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["统一社会信用代码", "入库税收(元)", "开业日期", "是否规上"])
    sheet.write_row(1, 0, ["91410100MA44XXXX1X", 1234.5])
    sheet.write_datetime(1, 2, dt.datetime(2021, 3, 4), book.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.write_boolean(1, 3, True)
    sheet.write_row(2, 0, ["91410100MA44XXXX2X", -7])
    book.close()
    errors = [m.RowError(3, "入库税收(元)", "-7", "不能为负数")]
    marked = load_workbook(io.BytesIO(annotate(buffer.getvalue(), "税务.xlsx", errors, 1))).active
    assert marked["B2"].value == 1234.5 and marked["B3"].value == -7
    assert marked["C2"].value == dt.datetime(2021, 3, 4) and marked["C2"].is_date
    assert marked["D2"].value is True and marked["A2"].value == "91410100MA44XXXX1X"
    assert "不能为负数" in marked["B3"].comment.text and marked["B2"].comment is None


@pytest.mark.parametrize("text", ["²7", "2.0.2.0.0", "٣٣", "4²000"])
def test_a_date_of_digits_that_are_no_number_is_a_cell_fault(text):
    with pytest.raises(m.CellError, match="日期"):
        m.date(text)


def test_an_excel_day_serial_still_reads_as_its_day():
    assert m.date("45000") == dt.date(2023, 3, 15) and m.date("45000.5") == dt.date(2023, 3, 15)


def test_the_red_marked_copy_of_a_nan_or_infinite_number_cell_is_written():
    data = workbook([["统一社会信用代码", "入库税收(元)"], ["91410100MA44XXXX1X", float("nan")], ["x", float("inf")]])
    errors = [m.RowError(2, "入库税收(元)", "nan", "不是有限的数字")]
    marked = load_workbook(io.BytesIO(annotate(data, "税务.xlsx", errors, 1))).active
    assert marked["B2"].value == "=#NUM!" and "不是有限的数字" in marked["B2"].comment.text
    assert marked["B3"].value == "=1/0"  # Excel shows #DIV/0!


@pytest.mark.parametrize("far", ["J1000000", "IV39000", "CV20000"])
def test_a_few_cells_far_apart_within_the_limits_are_refused_before_reading(far):
    # Within the rows, columns and cells allowed, but the reader would allocate the whole rectangle:
    # 1.6 KB made it take 540 MB and 35 s (measured on the shared machine).
    limits = Limits(max_rows=1_048_576, max_cells=10_000_000)
    data = workbook([["统一社会信用代码", "企业名称"], ["a", "b"]], far={far: 1})
    with pytest.raises(ReadError, match=f"工作表中有远离数据的单元格（最远到 {far}）"):
        read_grid(data, "a.xlsx", limits)


def test_a_sheet_over_the_sparse_floor_that_is_filled_reads():
    rows = [["名称", *(f"列{c}" for c in range(9))], *([f"甲{r}", *range(9)] for r in range(300))]
    assert len(read_grid(workbook(rows), "a.xlsx", Limits(sparse_floor=1_000))) == 301
    rows[150][1:] = [""] * 9  # a blank stretch keeps the rectangle filled enough
    assert len(read_grid(workbook(rows), "a.xlsx", Limits(sparse_floor=1_000, max_sparse_ratio=2))) == 301
    with pytest.raises(ReadError, match="远离数据"):
        read_grid(workbook(rows[:2], far={"J3000": 1}), "a.xlsx", Limits(sparse_floor=1_000))
