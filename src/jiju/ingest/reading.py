"""Read .xlsx and .csv (UTF-8 with or without BOM, GBK/GB18030) into a table of text.

Departmental files carry merged titles above the header, blank separator rows
and totals lines: the header is found by the columns it names, and rows that
are blank or say 合计 are dropped, keeping each row's number in the sheet.

Every reader takes the caller's `Limits` (jiju.ingest.guard) and checks a file
against them before the file is parsed or anything is allocated for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from jiju.ingest.guard import Limits, WorkbookRefused, check_extent, check_xlsx

ENCODINGS = ("utf-8-sig", "gb18030")
TOTAL_WORDS = ("合计", "总计", "小计")
# A CSV export puts a quote before text that a spreadsheet would take for a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NO_DATA = "文件中没有数据行"


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


def cell_text(value: object) -> str:
    """A cell as the text the importers parse: whole numbers without '.0', midnight dates as days."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()


def read_grid(data: bytes, filename: str, limits: Limits | None = None) -> list[list[str]]:
    """Every row of the first sheet (or the CSV) as text cells."""
    return [[cell_text(v) for v in row] for row in read_cells(data, filename, limits)]


def read_cells(data: bytes, filename: str, limits: Limits | None = None) -> list[list[object]]:
    """Every row of the first sheet as the reader gives it (numbers, dates, text), or of the CSV as text.

    The file is checked against `limits` first; a refusal is a `ReadError` in Chinese.
    """
    limits = limits or Limits()
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return _read_csv(decode(data), limits)
    if suffix in (".xlsx", ".xlsm"):
        try:
            check_xlsx(data, limits)
        except WorkbookRefused as exc:
            raise ReadError(str(exc)) from None
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            # Keep the empty area above and left of the first cell, so row numbers are the sheet's.
            grid = sheet.to_python(skip_empty_area=False)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # calamine raises its own types for damaged files, and a panic is a BaseException
            raise ReadError("无法读取 Excel 文件：文件已损坏或不是有效的 .xlsx 格式") from None
        return grid
    if suffix == ".xls":
        # The old binary format cannot be checked before the reader allocates its whole sheet.
        raise ReadError("不支持旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 后上传")
    raise ReadError(f"不支持的文件类型“{suffix or filename}”：请上传 .xlsx 或 .csv 文件")


def _read_csv(text: str, limits: Limits) -> list[list[object]]:
    rows: list[list[object]] = []
    width = 0
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            width = max(width, len(row))
            check_extent(len(rows) + 1, width, limits)
            for index, cell in enumerate(row):
                if len(cell) > limits.max_cell_chars:
                    raise ReadError(
                        f"第{reader.line_num}行第{index + 1}列的内容过长（{len(cell)}个字符），"
                        f"每个单元格最多 {limits.max_cell_chars} 个字符"
                    )
            rows.append([_unescape(c.strip()) for c in row])
    except csv.Error:
        # The csv module refuses a field over its own limit (131,072 characters) or a stray quote.
        raise ReadError(
            f"第{reader.line_num}行附近的内容无法按 CSV 读取（单元格过长或引号不成对），"
            f"每个单元格最多 {limits.max_cell_chars} 个字符"
        ) from None
    except WorkbookRefused as exc:
        raise ReadError(str(exc)) from None
    return rows


def _unescape(cell: str) -> str:
    """Undo the quote a CSV export put before a formula-like text, so that the export imports back."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:].strip()
    return cell


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


def read_table(data: bytes, filename: str, known: set[str], limits: Limits | None = None) -> Table:
    """The table under the detected header, without blank and totals rows."""
    return table_of(read_grid(data, filename, limits), known)


def table_of(grid: list[list[str]], known: set[str]) -> Table:
    """`read_table` on a grid already read, for callers that also look above the header.

    A file with a header and no row under it is refused: no import path takes it for success.
    """
    if not any(any(row) for row in grid):
        raise ReadError(f"文件为空：{NO_DATA}")
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
    if not rows:
        raise ReadError(f"{NO_DATA}：表头（第{header_index + 1}行）下没有填写任何数据")
    return Table(headers, rows, numbers, header_index + 1)
