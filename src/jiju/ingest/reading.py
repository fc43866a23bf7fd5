"""Read .xlsx and .csv (UTF-8 with or without BOM, GBK/GB18030) into a table of text.

Departmental files carry merged titles above the header, blank separator rows
and totals lines: the header is found by the columns it names, and rows that
are blank or say 合计 are dropped, keeping each row's number in the sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

ENCODINGS = ("utf-8-sig", "gb18030")
TOTAL_WORDS = ("合计", "总计", "小计")


class ReadError(ValueError):
    """A file that cannot be read as a table, said in Chinese."""


@dataclass
class Table:
    """Text cells under a header; `row_numbers` are 1-based rows of the sheet."""

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int] = field(default_factory=list)
    header_row: int = 1


def decode(data: bytes) -> str:
    """Text of a CSV as Excel saves it: UTF-8 (BOM or not) first, else GB18030."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV，或直接上传 .xlsx")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()


def read_grid(data: bytes, filename: str) -> list[list[str]]:
    """Every row of the first sheet (or the CSV) as text cells."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        text = decode(data)
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    if suffix in (".xlsx", ".xls", ".xlsm"):
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            # Keep the empty area above and left of the first cell, so row numbers are the sheet's.
            grid = sheet.to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own types for damaged files
            raise ReadError(f"无法读取 Excel 文件：{exc}") from exc
        return [[_cell(v) for v in row] for row in grid]
    raise ReadError(f"不支持的文件类型“{suffix or filename}”：请上传 .xlsx 或 .csv 文件")


def find_header(grid: list[list[str]], known: set[str], scan: int = 20) -> int:
    """Index of the row naming most known columns among the first `scan` rows."""
    best, best_hits = -1, 0
    for index, row in enumerate(grid[:scan]):
        hits = sum(1 for cell in row if cell.strip() in known or bare_header(cell) in known)
        if hits > best_hits:
            best, best_hits = index, hits
    if best < 0:
        raise ReadError("未找到表头行：前20行中没有可识别的列名")
    return best


_TRAILING_UNIT = re.compile(r"\s*[（(\[【][^（()）\[\]【】]*[)）\]】]\s*$")


def bare_header(header: str) -> str:
    """A header without its trailing unit: '用地面积(亩)' -> '用地面积',
    '工业总产值(当年价格)(千元)' -> '工业总产值(当年价格)'; '核准面积_公顷' stays whole."""
    return _TRAILING_UNIT.sub("", header.strip()).strip()


def known_headers(headers) -> set[str]:
    """Headers as written and without their trailing unit, for finding the header row."""
    return {h.strip() for h in headers} | {bare_header(h) for h in headers}


def read_table(data: bytes, filename: str, known: set[str]) -> Table:
    """The table under the detected header, without blank and totals rows."""
    return table_of(read_grid(data, filename), known)


def table_of(grid: list[list[str]], known: set[str]) -> Table:
    """`read_table` on a grid already read, for callers that also look above the header."""
    if not grid:
        raise ReadError("文件为空")
    header_index = find_header(grid, known)
    headers = [h.strip() for h in grid[header_index]]
    rows, numbers = [], []
    for offset, row in enumerate(grid[header_index + 1 :], start=header_index + 2):
        cells = (row + [""] * len(headers))[: len(headers)]
        if not any(cells):
            continue
        if any(c.replace(" ", "") in TOTAL_WORDS for c in cells[:3]):
            continue
        rows.append(cells)
        numbers.append(offset)
    return Table(headers, rows, numbers, header_index + 1)
