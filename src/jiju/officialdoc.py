"""Word documents in the official format of GB/T 9704-2012 (党政机关公文格式).

A4; top margin 37 mm, left 28 mm, a text block of 156 × 225 mm (so right 26 mm,
bottom 35 mm), 22 lines of 28 characters; title in 2号 小标宋; body in 3号
仿宋_GB2312 with a first-line indent of two characters; "一、" headings in 黑体,
"（一）" in 楷体; page numbers "— 1 —" in 4号 宋体, outside (odd right, even left).
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, PAGE_FONT = (
    "方正小标宋简体",
    "仿宋_GB2312",
    "黑体",
    "楷体_GB2312",
    "宋体",
)
SIZE_2, SIZE_3, SIZE_4 = Pt(22), Pt(16), Pt(14)
LINE = Pt(28.95)  # 225 mm / 22 lines
TEXT_WIDTH_MM = 156


def _font(run, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page_number(footer, align) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.left_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.LEFT else None
    paragraph.paragraph_format.right_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.RIGHT else None
    _font(paragraph.add_run("— "), PAGE_FONT, SIZE_4)
    run = paragraph.add_run()
    _font(run, PAGE_FONT, SIZE_4)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _font(paragraph.add_run(" —"), PAGE_FONT, SIZE_4)


KEPT_WHOLE = 12  # a table of at most this many rows is kept on one page with its caption


def _flag(properties, tag: str) -> None:
    """Switch on a row's or a cell's property (w:tblHeader, w:cantSplit, w:noWrap)."""
    properties.append(OxmlElement(tag))


def _cell(cell, text: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), BODY_FONT, Pt(12), bold)


def cell_text(value: object) -> str:
    """How a value reads in a document's table: a dash for nothing, separators and two decimals."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


class OfficialDocument:
    """A document laid out by GB/T 9704: add its parts in order, then take its bytes."""

    def __init__(self) -> None:
        self.document = Document()
        section = self.document.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.left_margin = Mm(37), Mm(28)
        section.right_margin, section.bottom_margin = Mm(26), Mm(35)
        section.footer_distance = Mm(28)
        self.document.settings.odd_and_even_pages_header_footer = True
        _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    def paragraph(
        self,
        text: str = "",
        font: str = BODY_FONT,
        size: Pt = SIZE_3,
        indent: bool = True,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        bold: bool = False,
    ):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(32) if indent else None
        if text:
            _font(paragraph.add_run(text), font, size, bold)
        return paragraph

    def title(self, text: str) -> None:
        """The title in 2号 小标宋, centred, and the blank line under it."""
        self.paragraph(text, TITLE_FONT, SIZE_2, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.paragraph()

    def addressee(self, text: str) -> None:
        self.paragraph(text, indent=False)

    def heading(self, text: str) -> None:
        """A first-level heading ("一、…") in 黑体."""
        self.paragraph(text, HEADING_FONT)

    def subheading(self, text: str) -> None:
        """A second-level heading ("（一）…") in 楷体."""
        self.paragraph(text, SUBHEADING_FONT)

    def table(
        self,
        headers: list[str],
        rows: list[list[object]],
        widths_mm: list[float] | None = None,
        caption: str | None = None,
        nowrap: tuple[int, ...] = (),
    ) -> None:
        """A centred grid as printed: the header row repeats on every page, no row breaks across pages,
        the caption (if any) stays with the first rows and the last rows stay together (a short table
        stays whole), and the columns in `nowrap` (a rank) never wrap. `widths_mm` sum to the 156 mm
        text block when the columns differ."""
        if caption:
            self.paragraph(caption, SUBHEADING_FONT).paragraph_format.keep_with_next = True
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _cell(cell, text, bold=True)
        _flag(table.rows[0]._tr.get_or_add_trPr(), "w:tblHeader")
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                _cell(cell, cell_text(value))
        count = len(table.rows)
        for index, row in enumerate(table.rows):
            _flag(row._tr.get_or_add_trPr(), "w:cantSplit")
            for column in nowrap:
                _flag(row.cells[column]._tc.get_or_add_tcPr(), "w:noWrap")
            if count <= KEPT_WHOLE or index < 2 or count - 3 <= index < count - 1:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        if widths_mm is not None:
            widths = [Mm(w) for w in widths_mm]
            for column, width in zip(table.columns, widths, strict=True):
                column.width = width  # the grid, which LibreOffice reads
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = width  # the cells, which Word reads

    def signature(self, office: str, day: dt.date) -> None:
        """The issuing office and the date, right-aligned under a blank line, on the page of the last
        paragraph: a signature never stands alone at the top of a page."""
        body = self.document.element.body
        if len(body) > 1:  # the last block before the section's properties, or a table's last row
            block = body[-2] if body[-2].tag != qn("w:tbl") else body[-2].findall(qn("w:tr"))[-1]
            for paragraph in block.iter(qn("w:p")):
                Paragraph(paragraph, None).paragraph_format.keep_with_next = True
        self.paragraph().paragraph_format.keep_with_next = True
        self.paragraph(office, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.keep_with_next = True
        self.paragraph(f"{day.year}年{day.month}月{day.day}日", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)

    def attachment(self, number: int, title: str) -> None:
        """An attachment (附件) on a page of its own: "附件N" in 黑体 at the top left, then its title."""
        self.paragraph(f"附件{number}", HEADING_FONT, indent=False).paragraph_format.page_break_before = True
        self.paragraph()
        self.paragraph(title, TITLE_FONT, SIZE_2, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.paragraph()

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
