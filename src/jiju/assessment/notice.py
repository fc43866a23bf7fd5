"""The evaluation notice (通报) of a per-mu run, in the official format (jiju.officialdoc)."""

from __future__ import annotations

import datetime as dt

from jiju.officialdoc import TEXT_WIDTH_MM, OfficialDocument


def build(
    run, counts: dict[str, int], zones: list[dict], migration, policies: list[dict], office: str, today: dt.date
) -> bytes:
    """The notice for a run: totals, the zones compared, grade moves and the policy per grade.
    `counts` are the grades as the reader may see them (evaluations.grade_counts), not the run's."""
    document = OfficialDocument()

    draft = "" if run.state == run.PUBLISHED else "（审核稿）"
    document.title(f"关于{run.year}年度工业企业亩均效益综合评价结果的通报{draft}")
    document.addressee("各县（市、区）人民政府，各开发区管委会：")
    graded = sum(n for g, n in counts.items() if g != "T")
    summary = "，".join(f"{g}类{n}家" for g, n in sorted(counts.items()) if g != "T")
    document.paragraph(f"根据《{run.scheme_name}》，现将{run.year}年度工业企业亩均效益综合评价结果通报如下。")
    document.heading("一、评价总体情况")
    document.paragraph(
        f"本次共评价企业{graded}家，其中{summary}。"
        + (f"另有{counts['T']}家企业因数据不全或按规定不参评。" if counts.get("T") else ""),
    )
    document.heading("二、各开发区亩均效益")
    document.subheading("（一）亩均税收排名")
    grades = [g for g, _ in zones[0]["grades"]] if zones else []
    document.table(
        ["排名", "开发区", "参评企业", *grades, "亩均税收（万元/亩）", "亩均增加值（万元/亩）"],
        [
            [z["rank"], z["zone"], z["firms"], *(n for _, n in z["grades"]), z["tax_per_mu"], z["va_per_mu"]]
            for z in zones
        ],
        widths_mm=[11, TEXT_WIDTH_MM - 11 - 13 - 10 * len(grades) - 21 * 2, 13, *([10] * len(grades)), 21, 21],
    )
    if migration:
        names, rows = migration
        document.heading("三、等级变动情况")
        document.paragraph("行为上年等级，列为本年等级。")
        document.table(["上年＼本年", *names], [[g, *counts_row] for g, counts_row in rows])
    if policies:
        document.heading("四、差别化政策" if migration else "三、差别化政策")
        labels = [label for label, _ in policies[0]["items"]]
        document.table(["等级", *labels], [[p["grade"], *(v for _, v in p["items"])] for p in policies])
    document.signature(office, today)
    return document.bytes()
