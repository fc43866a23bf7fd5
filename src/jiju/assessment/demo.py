"""Two years of synthetic departmental files for the demo province, sent through the ordinary upload.

The files are written where a new user can find them and try the upload page
themselves (`var/demo/部门数据/<year>/`); 规下 firms have no statistics or energy
returns, as in practice, and only some firms report emissions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from django.utils import timezone

from jiju.assessment.actions import do_upload
from jiju.assessment.evaluations import do_publish, execute, new_run
from jiju.assessment.models import ColumnMapping, DepartmentUpload, EnterpriseYear, EvaluationResult, EvaluationRun
from jiju.assessment.objections import do_accept_objection, do_finalise_run, do_record_objection, do_reject_objection
from jiju.registry.models import Enterprise

YEARS = (2024, 2025)
FILES = {
    "tax": ("税务.csv", "gbk", ["纳税人识别号", "纳税人名称", "入库税收(万元)"]),
    "statistics": (
        "统计.csv",
        "utf-8-sig",
        [
            "统一社会信用代码",
            "单位详细名称",
            "工业总产值(当年价格)(千元)",
            "工业增加值(现价)(千元)",
            "营业收入(千元)",
            "从业人员平均人数",
            "研究与试验发展(R&D)经费支出(千元)",
        ],
    ),
    "power": ("电力.csv", "gbk", ["统一社会信用代码", "户名", "用电量(万千瓦时)"]),
    "energy": ("能源.csv", "utf-8-sig", ["统一社会信用代码", "企业名称", "综合能源消费量"]),
    "ecology": (
        "生态环境.csv",
        "utf-8-sig",
        ["统一社会信用代码", "企业名称", "化学需氧量排放量", "氨氮排放量", "二氧化硫排放量", "氮氧化物排放量"],
    ),
}


def _rows(year: int, seed: int) -> dict[str, list[list]]:
    """One row per firm and department; the earlier year is the later one shrunk by a growth draw.

    A firm's size is drawn once from its own generator, the same in both years, so that its
    growth is the growth draw and not two unrelated sizes.
    """
    rng = random.Random(seed + year)
    rows: dict[str, list[list]] = {d: [] for d in FILES}
    firms = Enterprise.objects.order_by("pk").values_list(
        "credit_code", "name", "scale", "registered_capital_yuan", "employees"
    )
    for code, name, scale, capital, employees in firms:
        above = scale == "above"
        revenue = float(capital or 5e6) / 1e4 * random.Random(f"{seed}:{code}").uniform(0.5, 3.0)  # 万元
        revenue /= rng.uniform(1.0, 1.15) if year == YEARS[0] else 1.0
        tax = revenue * rng.uniform(0.015, 0.07)
        rows["tax"].append([code, name, round(tax, 2)])
        kwh = revenue * rng.uniform(0.02, 0.15)  # 万千瓦时
        rows["power"].append([code, name, round(kwh, 3)])
        if above:
            thousand = 10  # 万元 to 千元
            rows["statistics"].append(
                [
                    code,
                    name,
                    round(revenue * rng.uniform(0.9, 1.1) * thousand, 1),
                    round(revenue * rng.uniform(0.18, 0.32) * thousand, 1),
                    round(revenue * thousand, 1),
                    employees or 20,
                    round(revenue * rng.uniform(0.0, 0.04) * thousand, 1),
                ]
            )
            tce = kwh * 1.229 * rng.uniform(1.0, 1.6)  # 1 万千瓦时 is 1.229 tce (equivalent value)
            rows["energy"].append([code, name, round(tce, 2)])
            if rng.random() < 0.7:
                rows["ecology"].append([code, name, *(round(tce * rng.uniform(1e-4, 1e-3), 4) for _ in range(4))])
    return rows


def write_files(folder: Path, seed: int) -> dict[tuple[int, str], Path]:
    written = {}
    for year in YEARS:
        target = folder / str(year)
        target.mkdir(parents=True, exist_ok=True)
        for department, rows in _rows(year, seed).items():
            filename, encoding, headers = FILES[department]
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(headers)
            writer.writerows(rows)
            path = target / filename
            path.write_bytes(buffer.getvalue().encode(encoding))
            written[(year, department)] = path
    return written


def build(admin, folder: Path, seed: int = 2018, progress=None) -> int:
    """Write the files and upload each as the administrator would; returns the number of files stored."""
    files = write_files(folder, seed)
    for done, ((year, department), path) in enumerate(sorted(files.items()), start=1):
        outcome = do_upload(admin, department, year, path.read_bytes(), path.name)
        if not outcome.accepted:
            first = outcome.errors[0] if outcome.errors else None
            raise RuntimeError(f"演示数据 {path} 未通过校验：{first}")
        if progress:
            progress("上传部门数据", done, len(files))
    publish_runs(admin)
    return len(files)


def publish_runs(admin, scheme_key: str = "huaian_2024") -> None:
    """Evaluate both years by the Huai'an scheme and publish them, as an office would. The earlier year has
    been through its notice period: two firms objected, one was accepted and one rejected, and the office
    finalised a second version; the later year is under notice now."""
    for year in YEARS:
        run = do_publish(admin, execute(new_run(admin, scheme_key, year), admin))
        if year == YEARS[0]:
            _objections(admin, run)


EVIDENCE = "%PDF-1.4\n% 演示用证明材料（加盖公章的完税证明扫描件）\n".encode()


def _objections(admin, run: EvaluationRun) -> None:
    """The two lowest graded firms object to their tax; the first is accepted, the second rejected."""
    lowest = list(
        EvaluationResult.objects.filter(run=run)
        .exclude(grade__in=["", "T"])
        .select_related("enterprise")
        .order_by("-rank")[:2]
    )
    taxes = dict(
        EnterpriseYear.objects.filter(year=run.year, enterprise__in=[r.enterprise for r in lowest]).values_list(
            "enterprise_id", "tax"
        )
    )
    decisions = (
        (do_accept_objection, "税务部门漏计了第四季度入库税款", "经税务部门核实，予以采纳"),
        (do_reject_objection, "企业认为应计入代扣代缴的个人所得税", "代扣代缴税款不属于企业实缴税金，不予采纳"),
    )
    for result, (decide, claim, decision) in zip(lowest, decisions, strict=False):
        claimed = round((taxes.get(result.enterprise_id) or 0) * 3 + 500_000)
        evidence = [("完税证明.pdf", EVIDENCE)]
        objection = do_record_objection(admin, run, result.enterprise.credit_code, "tax", claimed, claim, evidence)
        decide(admin, objection, decision)
    # The demo's history: that year's notice period is over, and the office finalised it.
    ended = timezone.localdate() - dt.timedelta(days=1)
    EvaluationRun.objects.filter(pk=run.pk).update(notice_start=ended - dt.timedelta(days=7), notice_end=ended)
    run.refresh_from_db()
    do_finalise_run(admin, run)


def reset() -> None:
    """Remove the departmental data, uploads, mappings and evaluation runs."""
    EvaluationRun.objects.all().delete()
    EnterpriseYear.objects.all().delete()
    DepartmentUpload.objects.all().delete()
    ColumnMapping.objects.all().delete()
