"""Hostile workbooks written by hand, byte for byte, as an attacker or a careless tool writes them."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)


def column(index: int) -> str:
    """'A' for 0."""
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Formula:
    """A formula cell, with the value Excel computed for it, or none when a tool never computed it."""

    def __init__(self, formula: str, cached: float | None = None) -> None:
        self.formula, self.cached = formula, cached


def _cell(ref: str, value: object) -> str:
    if isinstance(value, Formula):
        cached = "" if value.cached is None else f"<v>{value.cached}</v>"
        return f'<c r="{ref}"><f>{escape(value.formula)}</f>{cached}</c>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_xstring(str(value))}</t></is></c>'


def _xstring(text: str) -> str:
    """Text as Excel writes it: control characters, which XML cannot hold, as _xHHHH_."""
    return "".join(f"_x{ord(c):04X}_" if ord(c) < 32 and c not in "\t\n\r" else c for c in escape(text))


def sheet_xml(
    rows: list[list[object]],
    far: dict[str, object] | None = None,
    dimension: str | None = None,
    merged: list[str] | None = None,
    prologue: str = "",
) -> str:
    """A worksheet of `rows` from A1, cells at the references of `far` after them."""
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{column(c)}{r}", v) for c, v in enumerate(row) if v is not None and v != "")
        body.append(f'<row r="{r}">{cells}</row>')
    for ref, value in (far or {}).items():
        number = "".join(ch for ch in ref if ch.isdigit())
        body.append(f'<row r="{number}">{_cell(ref, value)}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    merges = ""
    if merged:
        merges = f'<mergeCells count="{len(merged)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merged)
        merges += "</mergeCells>"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prologue}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{''.join(body)}</sheetData>{merges}</worksheet>"
    )


def workbook(rows: list[list[object]], **options) -> bytes:
    """An .xlsx whose first sheet holds `rows` (see `sheet_xml` for the options)."""
    return package(sheet_xml(rows, **options))


def package(sheet: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, body in (extra or {}).items():
            archive.writestr(name, body)
    return buffer.getvalue()


def far_corner() -> bytes:
    """The 5 KB workbook of issue 9: A1 and XFD1048576, which made calamine ask for 512 GiB."""
    return workbook([["统一社会信用代码"]], far={"XFD1048576": 1})


def zip_bomb(megabytes: int = 64) -> bytes:
    """A valid workbook with an entry of `megabytes` of zeros, packed about a thousand to one."""
    return package(sheet_xml([["a"]]), {"xl/media/padding.bin": bytes(megabytes * 1024 * 1024)})
