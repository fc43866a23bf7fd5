"""The evaluation notice (通报) of a per-mu run, in the official format (jiju.officialdoc), as printed:
a long ranking goes to an attachment (附件), the document covers and is signed by the asking account's office."""

from __future__ import annotations

import datetime as dt

from jiju.officialdoc import TEXT_WIDTH_MM, OfficialDocument

IN_BODY = 10  # a ranking of more zones than this goes to an attachment, as notices do
RANK_MM = 14  # "排名" and a three-digit rank on one line in 12 pt with the cell's margins


def build(
    run,
    counts: dict[str, int],
    zones: list[dict],
    migration,
    policies: list[dict],
    office: str,
    today: dt.date,
    area: str = "全省",
) -> bytes:
    """The notice for a run: totals, the zones compared, grade moves and the policy per grade.
    `counts` are the grades as the reader may see them (evaluations.grade_counts), not the run's;
    `area` and `office` are the asking account's (jiju.accounts.offices)."""
    document = OfficialDocument()

    draft = "" if run.state == run.PUBLISHED else "（审核稿）"
    document.title(f"关于{run.year}年度{area}工业企业亩均效益综合评价结果的通报{draft}")
    document.addressee("各县（市、区）人民政府，各开发区管委会：")
    graded = sum(n for g, n in counts.items() if g != "T")
    summary = "，".join(f"{g}类{n}家" for g, n in sorted(counts.items()) if g != "T")
    document.paragraph(f"根据《{run.scheme_name}》，现将{run.year}年度{area}工业企业亩均效益综合评价结果通报如下。")
    document.heading("一、评价总体情况")
    document.paragraph(
        f"本次共评价企业{graded}家，其中{summary}。"
        + (f"另有{counts['T']}家企业因数据不全或按规定不参评。" if counts.get("T") else ""),
    )
    document.heading("二、各开发区亩均效益")
    grades = [g for g, _ in zones[0]["grades"]] if zones else []
    ranking = (
        ["排名", "开发区", "参评企业", *grades, "亩均税收（万元/亩）", "亩均增加值（万元/亩）"],
        [
            [z["rank"], z["zone"], z["firms"], *(n for _, n in z["grades"]), z["tax_per_mu"], z["va_per_mu"]]
            for z in zones
        ],
        [RANK_MM, TEXT_WIDTH_MM - RANK_MM - 13 - 10 * len(grades) - 21 * 2, 13, *([10] * len(grades)), 21, 21],
    )
    attached = len(zones) > IN_BODY
    attachment_title = f"{run.year}年度{area}各开发区亩均效益排名"
    if attached:
        first = zones[0]
        document.paragraph(
            f"共{len(zones)}个开发区参加排名，亩均税收居首位的是{first['zone']}"
            f"（{first['tax_per_mu']:.2f}万元/亩），各开发区排名见附件1。"
        )
    else:
        document.table(*ranking[:2], widths_mm=ranking[2], caption="（一）亩均税收排名", nowrap=(0,))
    section = 3
    if migration:
        names, rows = migration
        document.heading(f"{_number(section)}、等级变动情况")
        section += 1
        document.table(
            ["上年＼本年", *names],
            [[g, *counts_row] for g, counts_row in rows],
            caption="行为上年等级，列为本年等级。",
        )
    if policies:
        document.heading(f"{_number(section)}、差别化政策")
        labels = [label for label, _ in policies[0]["items"]]
        document.table(["等级", *labels], [[p["grade"], *(v for _, v in p["items"])] for p in policies])
    if run.notice_start and run.finalised_at is None:
        document.paragraph(
            f"公示期为{_day(run.notice_start)}至{_day(run.notice_end)}。企业对评价结果有异议的，"
            f"请在公示期内向{office}提交加盖公章的书面材料，逾期不予受理。"
        )
    document.paragraph("请各地各开发区对照评价结果，落实差别化政策，推动企业提高亩均效益。")
    if attached:
        document.paragraph()
        document.paragraph(f"附件：1．{attachment_title}")
    document.signature(office, today)
    if attached:
        document.attachment(1, attachment_title)
        document.table(*ranking[:2], widths_mm=ranking[2], nowrap=(0,))
    return document.bytes()


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _number(n: int) -> str:
    return "一二三四五六七八九十"[n - 1]
