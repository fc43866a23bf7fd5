"""Write any registry table to .xlsx or .csv with Chinese headers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

import xlsxwriter

from jiju.registry.tables import Col

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    return value


def to_xlsx(columns: list[Col], records: Iterable[object], title: str) -> bytes:
    """A one-sheet workbook with a frozen, bold header row, dates as dates and widths that fit."""
    return to_xlsx_sheets(columns, [(title, records)])


def to_xlsx_sheets(columns: list[Col], sheets: list[tuple[str, Iterable[object]]]) -> bytes:
    """One sheet per (title, records), each laid out as `to_xlsx` lays out its one."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    header = book.add_format({"bold": True, "bg_color": "#DDE6F2", "border": 1, "text_wrap": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for title, records in sheets:
        _write_sheet(book.add_worksheet(title[:31]), columns, records, header, date)
    book.close()
    return buffer.getvalue()


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


def to_csv(columns: list[Col], records: Iterable[object]) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in columns])
    for record in records:
        writer.writerow([_plain(c.show(record)) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")
