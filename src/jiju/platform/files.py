"""Files in and out: any table written to .xlsx or .csv with Chinese headers and handed to the
browser; every upload's size checked and every reader's limits taken here.

The limits live in settings (`JIJU_UPLOAD_LIMITS` per kind of upload, `JIJU_READING_LIMITS` for
what a file may hold); docs/operations.md says how to change them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO
from urllib.parse import quote

import xlsxwriter
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from jiju.ingest.guard import Limits
from jiju.ingest.reading import FORMULA_STARTS
from jiju.platform.tables import Col

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV = "text/csv; charset=utf-8"


def _plain(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    return value


EXPORT_CHUNK = 2000  # rows fetched per query while an export streams


def rows_of(records: Iterable[object]) -> Iterator[object]:
    """Records one chunk at a time: a queryset is read with .iterator() (prefetches too, per chunk),
    so an export of 500 000 rows never holds them all."""
    if isinstance(records, QuerySet):
        return records.iterator(chunk_size=EXPORT_CHUNK)
    return iter(records)


def to_xlsx(columns: list[Col], records: Iterable[object], title: str) -> bytes:
    """A one-sheet workbook with a frozen, bold header row, dates as dates and widths that fit."""
    return to_xlsx_sheets(columns, [(title, records)])


def to_xlsx_sheets(columns: list[Col], sheets: list[tuple[str, Iterable[object]]]) -> bytes:
    """One sheet per (title, records), each laid out as `to_xlsx` lays out its one."""
    buffer = io.BytesIO()
    _workbook(buffer, [(title, columns, records) for title, records in sheets])
    return buffer.getvalue()


def grid_to_xlsx(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """Plain tables — one sheet per (title, headers, rows) — laid out as `to_xlsx` lays out records;
    a row shorter than the headers leaves the rest of its cells empty (a sheet to fill in)."""

    def cell(index: int):
        return lambda row: row[index] if index < len(row) else None

    buffer = io.BytesIO()
    _workbook(
        buffer,
        [
            (title, [Col(str(i), header, cell(i)) for i, header in enumerate(headers)], rows)
            for title, headers, rows in sheets
        ],
    )
    return buffer.getvalue()


def _workbook(target: IO[bytes], sheets: list[tuple[str, list[Col], Iterable[object]]]) -> None:
    """Write the sheets into `target` in xlsxwriter's constant-memory mode: each row goes to a
    temporary file as it is written, so memory does not grow with the number of rows."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "remove_timezone": True})
    header = book.add_format({"bold": True, "bg_color": "#DDE6F2", "border": 1, "text_wrap": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for title, columns, records in sheets:
        _write_sheet(book.add_worksheet(title[:31]), columns, rows_of(records), header, date)
    book.close()


def attachment(body: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    """A file to download under its Chinese name (RFC 5987 encoding, which every browser reads)."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = _disposition(filename)
    return response


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def export(columns: list[Col], records: Iterable[object], title: str, filename: str) -> HttpResponseBase:
    """A list's export, .xlsx or .csv by the filename's ending, in constant memory: the workbook is
    built in a temporary file and sent from it; the CSV is streamed row by row as it is read."""
    if filename.endswith(".csv"):
        response = StreamingHttpResponse(_csv_chunks(columns, rows_of(records)), content_type=CSV)
        response["Content-Disposition"] = _disposition(filename)
        return response
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it once sent
    _workbook(spool, [(title, columns, records)])
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX)
    response["Content-Disposition"] = _disposition(filename)
    return response


def _write_sheet(sheet, columns: list[Col], records: Iterable[object], header, date) -> None:
    widths = [max(8, len(c.header) * 2 + 2) for c in columns]
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.header, header)
    row_number = 0
    for row_number, record in enumerate(records, start=1):
        for index, column in enumerate(columns):
            value = _plain(column.show(record))
            if isinstance(value, dt.date):
                sheet.write_datetime(row_number, index, dt.datetime.combine(value, dt.time()), date)
                widths[index] = max(widths[index], 12)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(row_number, index, value)
            else:
                text = str(value)
                sheet.write_string(row_number, index, text)
                widths[index] = min(60, max(widths[index], len(text) * 2))
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row_number, 1), len(columns) - 1)


class _Line:
    """The file-like object csv.writer writes one line to, handing it straight back."""

    def write(self, line: str) -> str:
        return line


def _csv_chunks(columns: list[Col], records: Iterable[object]) -> Iterator[bytes]:
    """UTF-8 with a BOM, so that Excel opens the Chinese text correctly.

    Text that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) gets a
    leading quote, as OWASP advises against CSV injection; the importers take the quote off again.
    """
    writer = csv.writer(_Line())
    yield ("\ufeff" + writer.writerow([c.header for c in columns])).encode()
    for record in records:
        yield writer.writerow([_escaped(_plain(c.show(record))) for c in columns]).encode()


def _escaped(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


UPLOAD_KINDS = {
    "registry": "底册导入文件",
    "department": "部门数据文件",
    "report": "报表模板",
    "rating": "评分表",
    "targets": "目标任务文件",
    "evidence": "异议证明材料",
}


class TooLarge(ValueError):
    """An upload over its kind's size limit, refused before it is read; the message is in Chinese."""


def reading_limits() -> Limits:
    """The limits every file reader applies, from settings."""
    return Limits(**settings.JIJU_READING_LIMITS)


def upload_data(upload: UploadedFile, kind: str) -> bytes:
    """The uploaded file's bytes, once its size is within the limit for `kind` (a key of `UPLOAD_KINDS`)."""
    limit = settings.JIJU_UPLOAD_LIMITS[kind]
    if upload.size is not None and upload.size > limit:
        raise TooLarge(
            f"文件过大（{_size(upload.size)}）：{UPLOAD_KINDS[kind]}最大 {_size(limit)}，文件未读取；"
            "请删除多余的行列或工作表后再上传"
        )
    return upload.read()


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
