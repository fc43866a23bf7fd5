"""Check an uploaded workbook before the Excel reader allocates anything for it.

The reader (calamine) allocates the whole rectangle from A1 to the farthest
cell a sheet names: a 5 KB file with a cell at XFD1048576 asks for 512 GiB and
aborts the process. An .xlsx is a zip of XML, so its entries' sizes, their
compression ratio and the sheet's extent are read here first, streaming, with
the limits the caller passes in (the platform takes them from its settings).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_REF = re.compile(r"^\$?([A-Za-z]{1,8})\$?(\d{1,12})$")
_CHUNK = 64 * 1024


class WorkbookRefused(ValueError):
    """A workbook that is not read, said in Chinese."""


@dataclass(frozen=True)
class Limits:
    """How large a file may be once unpacked and read; the defaults are the platform's."""

    max_rows: int = 100_000
    max_columns: int = 256
    max_cells: int = 2_000_000  # rows × columns: the reader allocates the whole rectangle
    max_unpacked_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 200  # unpacked / packed, per entry of more than a megabyte
    max_cell_chars: int = 32_767  # what Excel itself holds in a cell
    # A rectangle of more than `sparse_floor` cells must be filled at least one cell in `max_sparse_ratio`:
    # a 1.6 KB file with a value at J1000000 otherwise costs the reader half a gigabyte and half a minute.
    sparse_floor: int = 1_000_000
    max_sparse_ratio: int = 50
    max_listed: int = 20  # cells named in one message


def column_letters(index: int) -> str:
    """'A' for 1, 'XFD' for 16384."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index


def _ref(ref: str) -> tuple[int, int] | None:
    """(row, column), 1-based, of a cell reference such as 'B7'."""
    found = _REF.match(ref.strip())
    return (int(found.group(2)), _column_index(found.group(1))) if found else None


def check_extent(rows: int, columns: int, limits: Limits) -> None:
    """Refuse a table larger than the limits, whatever kind of file it came from."""
    if rows > limits.max_rows or columns > limits.max_columns or rows * columns > limits.max_cells:
        raise WorkbookRefused(
            f"工作表范围过大（{column_letters(columns)}{rows}，即 {rows} 行 {columns} 列）："
            f"最多允许 {limits.max_rows} 行 {limits.max_columns} 列、共 {limits.max_cells} 个单元格；"
            "请删除多余的行列后另存再上传"
        )


def check_xlsx(data: bytes, limits: Limits) -> None:
    """Refuse a zip bomb, a sheet too large, or formula cells whose value Excel never computed.

    Reads every entry through the zip's own size and checksum, so declared sizes cannot lie,
    and the first sheet as a stream of XML events, so nothing is held but counters.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookRefused("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式") from None
    declared = sum(e.file_size for e in entries)
    if declared > limits.max_unpacked_bytes:
        raise WorkbookRefused(f"文件解压后过大（{_mb(declared)}），最多允许 {_mb(limits.max_unpacked_bytes)}")
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
            raise WorkbookRefused(
                f"文件压缩比异常（{entry.filename} 压缩比超过 {limits.max_ratio} 倍），疑似压缩炸弹，已拒绝读取"
            )
    try:
        for entry in entries:
            with archive.open(entry) as stream:
                while stream.read(_CHUNK):
                    pass
        sheet = _first_sheet(archive)
        if sheet is not None:
            with archive.open(sheet) as stream:
                _scan_sheet(stream, limits)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise WorkbookRefused("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式") from None
    except ElementTree.ParseError:
        raise WorkbookRefused("无法读取 Excel 文件：工作表内容不是有效的 XML") from None


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _parse_small(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        with archive.open(name) as stream:
            return _safe_parse(stream)
    except KeyError:
        return None


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The zip entry of the workbook's first sheet, which is the one the importers read."""
    names = set(archive.namelist())
    workbook = _parse_small(archive, "xl/workbook.xml")
    rels = _parse_small(archive, "xl/_rels/workbook.xml.rels")
    if workbook is not None and rels is not None:
        sheet = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
        target = None
        if sheet is not None:
            wanted = sheet.get(RELATIONSHIP)
            target = next((r.get("Target") for r in rels.iter(PACKAGE_RELS) if r.get("Id") == wanted), None)
        if target:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            if path in names:
                return path
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    return sheets[0] if sheets else None


def _safe_parse(stream) -> ElementTree.Element:
    parser = ElementTree.XMLPullParser(events=("end",))
    root = None
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        _refuse_doctype(chunk)
        parser.feed(chunk)
        for _, element in parser.read_events():
            root = element
    parser.close()
    for _, element in parser.read_events():
        root = element
    if root is None:
        raise ElementTree.ParseError("empty")
    return root


def _refuse_doctype(chunk: bytes) -> None:
    # Entity definitions have no place in a workbook; refusing them rules out entity expansion bombs.
    if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
        raise WorkbookRefused("Excel 文件中含有不允许的 XML 声明（DOCTYPE/ENTITY），已拒绝读取")


def _check_sparse(rows: int, columns: int, filled: int, limits: Limits) -> None:
    """Refuse a sheet whose few cells lie far apart: the reader allocates the rectangle between them."""
    cells = rows * columns
    if cells > limits.sparse_floor and cells > limits.max_sparse_ratio * filled:
        raise WorkbookRefused(
            f"工作表中有远离数据的单元格（最远到 {column_letters(columns)}{rows}）："
            f"{rows} 行 {columns} 列的范围内只有 {filled} 个单元格有内容；"
            "请删除数据区域以外的单元格后另存再上传"
        )


def _scan_sheet(stream, limits: Limits) -> None:
    """Walk the sheet's XML: its declared dimension, each cell's place, formulas without a value."""
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    row, column, rows, columns = 0, 0, 0, 0
    uncomputed: list[str] = []
    count, filled = 0, 0
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        _refuse_doctype(chunk)
        parser.feed(chunk)
        for event, element in parser.read_events():
            tag = element.tag
            if event == "start":
                if tag == f"{MAIN}dimension":
                    last = (element.get("ref") or "").split(":")[-1]
                    place = _ref(last)
                    if place:
                        check_extent(*place, limits)
                elif tag == f"{MAIN}row":
                    given = element.get("r")
                    row = int(given) if given and given.isdigit() else row + 1
                    column = 0
                elif tag == f"{MAIN}c":
                    place = _ref(element.get("r") or "")
                    row, column = place if place else (row, column + 1)
                    rows, columns = max(rows, row), max(columns, column)
                    check_extent(rows, columns, limits)
                continue
            if tag == f"{MAIN}c":
                formula = element.find(f"{MAIN}f")
                value = element.find(f"{MAIN}v")
                if formula is not None or value is not None or element.find(f"{MAIN}is") is not None:
                    filled += 1
                if formula is not None and (value is None or not (value.text or "").strip()):
                    count += 1
                    if len(uncomputed) < limits.max_listed:
                        uncomputed.append(f"第{row}行{column_letters(column)}列")
                element.clear()
            elif tag == f"{MAIN}row":
                element.clear()
    parser.close()
    _check_sparse(rows, columns, filled, limits)
    if count:
        more = f"等 {count} 个单元格" if count > len(uncomputed) else ""
        raise WorkbookRefused(
            f"公式没有计算结果，无法读取其数值：{'、'.join(uncomputed)}{more}；"
            "请在 Excel 或 WPS 中打开文件、重新计算并保存后再上传（或将公式粘贴为数值）"
        )
