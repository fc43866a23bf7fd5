"""The evaluation notice (通报) as a Word document in the official format, GB/T 9704-2012.

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

TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, PAGE_FONT = (
    "方正小标宋简体",
    "仿宋_GB2312",
    "黑体",
    "楷体_GB2312",
    "宋体",
)
SIZE_2, SIZE_3, SIZE_4 = Pt(22), Pt(16), Pt(14)
LINE = Pt(28.95)  # 225 mm / 22 lines


def _font(run, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(
    document,
    text: str = "",
    font: str = BODY_FONT,
    size: Pt = SIZE_3,
    indent: bool = True,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    bold: bool = False,
):
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32) if indent else None
    if text:
        _font(paragraph.add_run(text), font, size, bold)
    return paragraph


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


def _table(document, headers: list[str], rows: list[list[object]], widths_mm: list[float] | None = None) -> None:
    """A centred grid; `widths_mm` (summing to the 156 mm text block) when the columns differ."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _cell(cell, _text(value))
    if widths_mm is not None:
        widths = [Mm(w) for w in widths_mm]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid, which LibreOffice reads
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width  # the cells, which Word reads


def _cell(cell, text: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), BODY_FONT, Pt(12), bold)


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def build(run, zones: list[dict], migration, policies: list[dict], office: str, today: dt.date) -> bytes:
    """The notice for a run: totals, the zones compared, grade moves and the policy per grade."""
    document = Document()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.right_margin, section.bottom_margin = Mm(26), Mm(35)
    section.footer_distance = Mm(28)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    draft = "" if run.state == run.PUBLISHED else "（审核稿）"
    _paragraph(
        document,
        f"关于{run.year}年度工业企业亩均效益综合评价结果的通报{draft}",
        TITLE_FONT,
        SIZE_2,
        indent=False,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _paragraph(document)
    _paragraph(document, "各县（市、区）人民政府，各开发区管委会：", indent=False)
    counts = run.grade_counts
    graded = sum(n for g, n in counts.items() if g != "T")
    summary = "，".join(f"{g}类{n}家" for g, n in sorted(counts.items()) if g != "T")
    _paragraph(document, f"根据《{run.scheme_name}》，现将{run.year}年度工业企业亩均效益综合评价结果通报如下。")
    _paragraph(document, "一、评价总体情况", HEADING_FONT)
    _paragraph(
        document,
        f"本次共评价企业{graded}家，其中{summary}。"
        + (f"另有{counts['T']}家企业因数据不全或按规定不参评。" if counts.get("T") else ""),
    )
    _paragraph(document, "二、各开发区亩均效益", HEADING_FONT)
    _paragraph(document, "（一）亩均税收排名", SUBHEADING_FONT)
    grades = [g for g, _ in zones[0]["grades"]] if zones else []
    _table(
        document,
        ["排名", "开发区", "参评企业", *grades, "亩均税收（万元/亩）", "亩均增加值（万元/亩）"],
        [
            [z["rank"], z["zone"], z["firms"], *(n for _, n in z["grades"]), z["tax_per_mu"], z["va_per_mu"]]
            for z in zones
        ],
        widths_mm=[11, 156 - 11 - 13 - 10 * len(grades) - 21 * 2, 13, *([10] * len(grades)), 21, 21],
    )
    if migration:
        names, rows = migration
        _paragraph(document, "三、等级变动情况", HEADING_FONT)
        _paragraph(document, "行为上年等级，列为本年等级。")
        _table(document, ["上年＼本年", *names], [[g, *counts_row] for g, counts_row in rows])
    if policies:
        _paragraph(document, "四、差别化政策" if migration else "三、差别化政策", HEADING_FONT)
        labels = [label for label, _ in policies[0]["items"]]
        _table(document, ["等级", *labels], [[p["grade"], *(v for _, v in p["items"])] for p in policies])
    _paragraph(document)
    _paragraph(document, office, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, f"{today.year}年{today.month}月{today.day}日", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
