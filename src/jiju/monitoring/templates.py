"""The Excel template of a report form: the zone and period above, one line per typed indicator."""

from __future__ import annotations

import io

import xlsxwriter

from jiju.monitoring.actions import TEMPLATE_HEADERS, typed_items
from jiju.monitoring.models import Report


def report_template(report: Report) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(report.form.code)
    title = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#DDE6F2", "border": 1})
    locked = book.add_format({"border": 1, "bg_color": "#F2F2F2"})
    cell = book.add_format({"border": 1, "locked": False, "num_format": "#,##0.00"})
    sheet.write(0, 0, f"{report.form.code} {report.form.name}", title)
    sheet.write(1, 0, "开发区：")
    sheet.write(1, 1, report.zone.name)
    sheet.write(2, 0, "报告期：")
    sheet.write(2, 1, report.period)
    for column, text in enumerate(TEMPLATE_HEADERS):
        sheet.write(4, column, text, header)
    for row, item in enumerate(typed_items(report.form), start=5):
        indicator = item.indicator
        name = indicator.name + ("（累计）" if indicator.cumulative else "") + ("" if item.required else "（选填）")
        sheet.write(row, 0, indicator.code, locked)
        sheet.write(row, 1, name, locked)
        sheet.write(row, 2, indicator.unit, locked)
        value = report.values.get(indicator.code)
        if value is None:
            sheet.write_blank(row, 3, None, cell)
        else:
            sheet.write_number(row, 3, value, cell)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 10)
    sheet.set_column(3, 3, 18)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    book.close()
    return buffer.getvalue()
