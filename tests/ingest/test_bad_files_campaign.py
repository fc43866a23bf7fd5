"""The bad-files campaign of issue 9, kept in the suite: hypothesis builds workbooks and CSVs, clean
and hostile, and sends each to every importer twice, through its upload page (the Django test
client) and through its do_* function.

Each file is either accepted exactly (what is stored is what the file says) or refused whole with a
Chinese message naming the row and column where there is one; never a 500, and a refused file
leaves every affected table and the changelog as they were. Each example runs inside a savepoint
that is rolled back, so the examples do not see each other's writes.

JIJU_CAMPAIGN_EXAMPLES sets the hostile files per importer (CI keeps the default of 20).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiju.assessment.actions import do_upload
from jiju.assessment.models import DepartmentUpload, EnterpriseYear
from jiju.changelog.models import ObjectChange
from jiju.ingest.guard import column_letters
from jiju.monitoring import actions as monitoring
from jiju.monitoring import sheets
from jiju.monitoring.models import Indicator, RatingScore, Report, ReportForm, Target
from jiju.registry.importing import do_import
from jiju.registry.models import Enterprise, Parcel, Zone
from tests.conftest import make_code
from tests.ingest.hostile import Formula, package, sheet_xml

# Per importer: this many hostile files and half as many right ones, each sent twice.
EXAMPLES = int(os.environ.get("JIJU_CAMPAIGN_EXAMPLES", "20"))
CAMPAIGN = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same files on every run, so a failure in CI is a failure at the desk
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
TABLES = (Zone, Enterprise, Parcel, EnterpriseYear, DepartmentUpload, Report, RatingScore, Target, ObjectChange)
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_TAIL = re.compile(r"Traceback|Error|Exception|\bNone\b|object at 0x")

NOT_NUMBERS = ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e400", "-1e400", "1e15", "很多", "-1", "1,2,3e"]
RAW_NOT_NUMBERS = [float("nan"), float("inf"), float("-inf"), 1e300]
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f"]


@dataclass
class Importer:
    """One importer: its columns, the valid rows it takes, and its two ways in."""

    name: str
    headers: list[str]
    numbers: list[int]  # columns read as numbers
    texts: list[int]  # text columns, where a control character is refused
    keys: list[int]  # columns that name a row; a second row with the same key and another number is refused
    valid: Callable  # draw -> rows
    run: Callable  # (data, filename) -> (accepted, errors)
    post: Callable  # (data, filename) -> response
    stored: Callable  # () -> the set the importer wrote, in the file's terms
    expected: Callable  # rows -> that set
    preamble: list[list] = field(default_factory=list)


@dataclass
class File:
    """A file built by the campaign and what it must come to."""

    data: bytes
    name: str
    rows: list[list]
    verdict: str  # "accept" | "refuse"
    cells: set[tuple[int, str]] = field(default_factory=set)  # (row, column) a refusal must name
    says: str = ""  # what a whole-file refusal must say
    label: str = ""


# ── Writers ──


def _grid(importer: Importer, rows: list[list]) -> list[list]:
    return [*importer.preamble, importer.headers, *rows]


def _first_data_row(importer: Importer) -> int:
    return len(importer.preamble) + 2


def to_csv(grid: list[list], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in grid:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def to_xlsxwriter(grid: list[list], merged_title: bool = False) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("导入")
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, Formula):
                sheet.write_formula(r, c, "=" + value.formula, None, value.cached)
            elif value is not None and value != "":
                sheet.write(r, c, value)
    if merged_title:
        sheet.merge_range(0, 0, 0, 3, grid[0][0] if grid[0] else "")
    book.close()
    return buffer.getvalue()


def to_openpyxl(grid: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in grid:
        book.active.append([f"={v.formula}" if isinstance(v, Formula) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def crafted(grid: list[list], **options) -> bytes:
    return package(sheet_xml(grid, **options))


# ── Files ──


@st.composite
def clean_files(draw, importer: Importer) -> File:
    """A right file in one of the shapes offices send: any writer, encoding, a title above the header,
    blank rows, and formulas that carry the value Excel computed for them."""
    rows = draw(importer.valid())
    shape = draw(st.sampled_from(["csv", "gbk", "utf-8", "xlsxwriter", "openpyxl", "crafted", "title", "formula"]))
    grid = _grid(importer, rows)
    if shape == "csv":
        return File(to_csv(grid), "导入.csv", rows, "accept", label=shape)
    if shape in ("gbk", "utf-8"):
        return File(to_csv(grid, shape), "导入.csv", rows, "accept", label=shape)
    if shape == "xlsxwriter":
        return File(to_xlsxwriter(grid), "导入.xlsx", rows, "accept", label=shape)
    if shape == "openpyxl":
        return File(to_openpyxl(grid), "导入.xlsx", rows, "accept", label=shape)
    if shape == "crafted":
        return File(crafted(grid), "导入.xlsx", rows, "accept", label=shape)
    if shape == "title" and not importer.preamble:
        titled = [["导入数据（合并标题）"], [], importer.headers, *rows, [], [""] * len(importer.headers)]
        return File(to_xlsxwriter(titled, merged_title=True), "导入.xlsx", rows, "accept", label=shape)
    # A number typed as a formula, with the value Excel computed for it (and the report's "title" shape,
    # whose template has its own lines above the header).
    column = importer.numbers[0]
    computed = [list(r) for r in rows]
    computed[0][column] = Formula(f"{rows[0][column]}*1", rows[0][column])
    return File(crafted(_grid(importer, computed)), "导入.xlsx", rows, "accept", label="formula")


@st.composite
def hostile_files(draw, importer: Importer) -> File:
    """A file with one fault an attacker or a careless tool puts in, and what the refusal must name."""
    rows = [list(r) for r in draw(importer.valid())]
    first = _first_data_row(importer)
    at = draw(st.integers(0, len(rows) - 1))
    row = first + at
    kind = draw(
        st.sampled_from(
            [
                "not-a-number",
                "raw-not-a-number",
                "control",
                "wrong-type",
                "formula-uncached",
                "openpyxl-formula",
                "duplicate",
                "merged-key",
                "far-corner",
                "sparse",
                "dimension",
                "zip-bomb",
                "header-only",
                "empty",
                "long-csv-field",
                "nul-csv",
                "binary",
                "truncated",
                "wrong-extension",
            ]
        )
    )
    header = importer.headers.__getitem__
    if kind == "not-a-number":
        column = draw(st.sampled_from(importer.numbers))
        rows[at][column] = draw(st.sampled_from(NOT_NUMBERS))
        writer = draw(st.sampled_from(["csv", "crafted"]))
        data = to_csv(_grid(importer, rows)) if writer == "csv" else crafted(_grid(importer, rows))
        return File(
            data, f"坏.{'csv' if writer == 'csv' else 'xlsx'}", rows, "refuse", {(row, header(column))}, label=kind
        )
    if kind == "raw-not-a-number":
        column = draw(st.sampled_from(importer.numbers))
        rows[at][column] = draw(st.sampled_from(RAW_NOT_NUMBERS))
        return File(crafted(_grid(importer, rows)), "坏.xlsx", rows, "refuse", {(row, header(column))}, label=kind)
    if kind == "control":
        column = draw(st.sampled_from(importer.texts))
        rows[at][column] = f"{rows[at][column]}{draw(st.sampled_from(CONTROLS))}"
        writer = draw(st.sampled_from(["csv", "crafted"]))
        data = to_csv(_grid(importer, rows)) if writer == "csv" else crafted(_grid(importer, rows))
        return File(
            data, f"坏.{'csv' if writer == 'csv' else 'xlsx'}", rows, "refuse", {(row, header(column))}, label=kind
        )
    if kind == "wrong-type":
        column = draw(st.sampled_from(importer.numbers))
        rows[at][column] = draw(st.sampled_from([dt.datetime(2024, 5, 1), True, "十二"]))
        return File(to_openpyxl(_grid(importer, rows)), "坏.xlsx", rows, "refuse", {(row, header(column))}, label=kind)
    if kind in ("formula-uncached", "openpyxl-formula"):
        column = draw(st.sampled_from(importer.numbers))
        rows[at][column] = Formula(f"{column_letters(column + 1)}{row}*2")
        grid = _grid(importer, rows)
        data = crafted(grid) if kind == "formula-uncached" else to_openpyxl(grid)
        cell = f"第{row}行{column_letters(column + 1)}列"
        return File(data, "坏.xlsx", rows, "refuse", says=f"公式没有计算结果，无法读取其数值：{cell}", label=kind)
    if kind == "duplicate":
        twin = list(rows[at])
        number = importer.numbers[0]
        twin[number] = (twin[number] or 0) + 1
        rows.append(twin)
        return File(
            to_csv(_grid(importer, rows)), "重复.csv", rows, "refuse", {(first + len(rows) - 1, "*")}, label=kind
        )
    if kind == "merged-key":
        # Excel keeps a merged range's value in its first cell only: the row below has no key.
        column = importer.keys[0]
        twin = list(rows[at])
        twin[column] = ""
        rows.insert(at + 1, twin)
        letter = column_letters(column + 1)
        data = crafted(_grid(importer, rows), merged=[f"{letter}{row}:{letter}{row + 1}"])
        return File(data, "合并.xlsx", rows, "refuse", {(row + 1, header(column))}, label=kind)
    if kind == "far-corner":
        data = crafted(_grid(importer, rows), far={"XFD1048576": 1})
        return File(data, "远角.xlsx", rows, "refuse", says="工作表范围过大（XFD1048576", label=kind)
    if kind == "sparse":
        # Within every limit of rows, columns and cells, but a rectangle the reader would allocate whole.
        far = draw(st.sampled_from(["J1000000", "IV39000", "CV90000"]))
        data = crafted(_grid(importer, rows), far={far: 1})
        return File(data, "稀疏.xlsx", rows, "refuse", says=f"工作表中有远离数据的单元格（最远到 {far}）", label=kind)
    if kind == "dimension":
        data = crafted(_grid(importer, rows), dimension="A1:ZZZ9000000")
        return File(data, "范围.xlsx", rows, "refuse", says="工作表范围过大", label=kind)
    if kind == "zip-bomb":
        data = package(sheet_xml(_grid(importer, rows)), {"xl/media/padding.bin": bytes(4 * 1024 * 1024)})
        return File(data, "炸弹.xlsx", rows, "refuse", says="压缩比异常", label=kind)
    if kind == "header-only":
        grid = [*importer.preamble, importer.headers]
        writer = draw(st.sampled_from(["csv", "crafted", "openpyxl"]))
        data = to_csv(grid) if writer == "csv" else crafted(grid) if writer == "crafted" else to_openpyxl(grid)
        return File(data, f"空.{'csv' if writer == 'csv' else 'xlsx'}", [], "refuse", says="没有数据行", label=kind)
    if kind == "empty":
        data, name = draw(
            st.sampled_from(
                [(b"", "空.csv"), ("\ufeff".encode(), "空.csv"), (b"\n\n,,\n", "空.csv"), (None, "空.xlsx")]
            )
        )
        data = crafted([]) if data is None else data
        return File(data, name, [], "refuse", says="文件为空", label=kind)
    if kind == "long-csv-field":
        column = draw(st.sampled_from(importer.texts))
        rows[at][column] = "长" * draw(st.sampled_from([40_000, 131_073, 200_000]))
        return File(to_csv(_grid(importer, rows)), "长.csv", rows, "refuse", says=f"第{row}行", label=kind)
    if kind == "nul-csv":
        column = draw(st.sampled_from(importer.texts))
        rows[at][column] = f"\x00{rows[at][column]}"
        return File(
            to_csv(_grid(importer, rows), "utf-8"), "零.csv", rows, "refuse", {(row, header(column))}, label=kind
        )
    if kind == "binary":
        data = draw(st.binary(min_size=1, max_size=400))
        encoding = draw(st.sampled_from(["utf-16", "utf-32", None]))
        if encoding:
            data = "\n".join(",".join(map(str, r)) for r in _grid(importer, rows)).encode(encoding)
        return File(data, draw(st.sampled_from(["坏.csv", "坏.xlsx"])), rows, "refuse", label=kind)
    if kind == "truncated":
        data = to_xlsxwriter(_grid(importer, rows))
        # Drawn apart from the file's length, which XlsxWriter's timestamp can change between replays.
        cut = 1 + draw(st.integers(0, 10**6)) % (len(data) - 1)
        return File(data[:cut], "截断.xlsx", rows, "refuse", label=kind)
    name = draw(st.sampled_from(["旧.xls", "文本.txt", "报告.pdf", "无后缀"]))
    return File(to_csv(_grid(importer, rows)), name, rows, "refuse", says="", label=kind)


# ── The importers of the small world ──


@pytest.fixture
def importers(world) -> dict[str, Importer]:
    province, city, zone_user = world.users["province"], world.users["city"], world.users["zone"]
    provider = world.users["provider"]
    provider.profile.department = "tax"
    provider.profile.save()
    clients = {}
    for key, user in {"province": province, "city": city, "zone": zone_user, "provider": provider}.items():
        clients[key] = Client()
        clients[key].force_login(user)
    form = ReportForm.objects.create(code="T01", name="测试月报", frequency="month", deadline_day=10)
    codes = ["revenue", "fixed_investment", "industrial_investment"]
    for order, code in enumerate(codes, start=1):
        form.items.create(indicator=Indicator.objects.get(code=code), order=order, required=code == "revenue")
    zz = world.zones["zz"]
    event = sheets.do_create_event(province, "观摩", "2026-07-15", "进度:40, 质量:60")
    henan = [world.enterprises[k] for k in ("zz", "gy", "ly")]

    def upload(data: bytes, name: str) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, data)

    def registry(kind: str):
        def run(data, name):
            report = do_import(province, kind, data, name)
            return report.ok, report.errors

        def post(data, name):
            return clients["province"].post("/import/", {"kind": kind, "file": upload(data, name)})

        return run, post

    amount = st.integers(0, 10**9)
    names = st.text(alphabet="甲乙丙丁科技有限公司园区", min_size=2, max_size=12)

    @st.composite
    def enterprises(draw):
        count = draw(st.integers(1, 4))
        start = draw(st.integers(600, 9000))
        return [[make_code("410100", start + i), draw(names), zz.name, draw(amount)] for i in range(count)]

    @st.composite
    def zones(draw):
        count = draw(st.integers(1, 4))
        labels = draw(st.lists(names, min_size=count, max_size=count, unique=True))
        level, kind = st.sampled_from(["省级", "市级"]), st.sampled_from(["经济开发区", "工业园区", "产业集聚区"])
        return [[f"{label}开发区", "410100", draw(level), draw(kind), draw(amount)] for label in labels]

    @st.composite
    def parcels(draw):
        count = draw(st.integers(1, 4))
        numbers = draw(st.lists(st.integers(1, 10**6), min_size=count, max_size=count, unique=True))
        return [[f"Q-{n}", zz.name, draw(st.integers(1, 10**6))] for n in numbers]

    @st.composite
    def taxes(draw):
        firms = draw(st.lists(st.sampled_from(henan), min_size=1, max_size=3, unique=True))
        return [[f.credit_code, f.name, draw(amount)] for f in firms]

    @st.composite
    def report_lines(draw):
        chosen = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True))
        return [[c, "", "万元", draw(st.integers(0, 10**6))] for c in codes if c in chosen]

    @st.composite
    def scores(draw):
        keys = draw(
            st.lists(
                st.tuples(st.sampled_from("甲乙丙丁"), st.sampled_from([zz.name, world.zones["ly"].name]), names),
                min_size=1,
                max_size=4,
                unique=True,
            )
        )
        return [[j, z, p, draw(st.integers(0, 40)), draw(st.integers(0, 60))] for j, z, p in keys]

    @st.composite
    def targets(draw):
        keys = draw(
            st.lists(
                st.tuples(st.sampled_from([zz.name, world.zones["gy"].name]), st.sampled_from(sheets.TARGET_CODES)),
                min_size=1,
                max_size=4,
                unique=True,
            )
        )
        return [[z, c, draw(amount)] for z, c in keys]

    def tax_run(data, name):
        outcome = do_upload(provider, "tax", 2025, data, name)
        return outcome.accepted, outcome.errors

    def report_run(data, name):
        report = monitoring.report_for(zone_user, form, zz, 2026, 3)
        outcome = monitoring.do_import_report(zone_user, report, data, name)
        return outcome.accepted, outcome.errors

    def scores_run(data, name):
        outcome = sheets.do_import_scores(province, event, data, name)
        return outcome.accepted, outcome.errors

    def targets_run(data, name):
        outcome = sheets.do_import_targets(city, 2026, data, name)
        return outcome.accepted, outcome.errors

    report_url = f"/monitoring/reports/T01/{zz.pk}/2026/3/"
    return {
        "enterprise": Importer(
            "enterprise",
            ["统一社会信用代码", "企业名称", "所在开发区", "从业人员(人)"],
            [3],
            [1, 2],
            [0],
            enterprises,
            *registry("enterprise"),
            stored=lambda: set(
                Enterprise.objects.exclude(pk__in=[e.pk for e in world.enterprises.values()]).values_list(
                    "credit_code", "name", "zone__name", "employees"
                )
            ),
            expected=lambda rows: {tuple(r) for r in rows},
        ),
        "zone": Importer(
            "zone",
            ["开发区名称", "所在区划代码", "级别", "开发区类型", "核准面积(公顷)"],
            [4],
            [0],
            [0],
            zones,
            *registry("zone"),
            stored=lambda: {
                (z.name, z.region.code, z.get_level_display(), z.get_kind_display(), round(z.approved_area_m2))
                for z in Zone.objects.exclude(pk__in=[z.pk for z in world.zones.values()]).select_related("region")
            },
            expected=lambda rows: {(*r[:4], r[4] * 10_000) for r in rows},
        ),
        "parcel": Importer(
            "parcel",
            ["地块编号", "所在开发区", "用地面积(平方米)"],
            [2],
            [0, 1],
            [0],
            parcels,
            *registry("parcel"),
            stored=lambda: set(
                Parcel.objects.filter(number__startswith="Q-").values_list("number", "zone__name", "area_m2")
            ),
            expected=lambda rows: {(r[0], r[1], float(r[2])) for r in rows},
        ),
        "tax": Importer(
            "tax",
            ["统一社会信用代码", "企业名称", "实缴税金(元)"],
            [2],
            [1],
            [0],
            taxes,
            tax_run,
            lambda data, name: clients["provider"].post(
                "/assessment/upload/", {"department": "tax", "year": 2025, "file": upload(data, name)}
            ),
            stored=lambda: set(EnterpriseYear.objects.filter(year=2025).values_list("enterprise__credit_code", "tax")),
            expected=lambda rows: {(r[0], float(r[2])) for r in rows},
        ),
        "report": Importer(
            "report",
            list(monitoring.TEMPLATE_HEADERS),
            [3],
            [1],
            [0],
            report_lines,
            report_run,
            lambda data, name: clients["zone"].post(report_url, {"action": "upload", "file": upload(data, name)}),
            stored=lambda: {tuple(sorted(r.values.items())) for r in Report.objects.filter(zone=zz)},
            expected=lambda rows: {tuple(sorted((r[0], float(r[3])) for r in rows))},
            preamble=[["T01 测试月报"], ["开发区：", zz.name], ["报告期：", "2026年3月"], []],
        ),
        "rating": Importer(
            "rating",
            ["评委", "开发区", "观摩项目", "进度（满分40）", "质量（满分60）"],
            [3, 4],
            [0, 2],
            [0, 1, 2],
            scores,
            scores_run,
            lambda data, name: clients["province"].post(
                f"/monitoring/ratings/{event.pk}/", {"file": upload(data, name)}
            ),
            stored=lambda: set(RatingScore.objects.values_list("judge", "zone__name", "project", "criterion", "score")),
            expected=lambda rows: {
                (r[0], r[1], r[2], c, float(r[i])) for r in rows for c, i in (("进度", 3), ("质量", 4))
            },
        ),
        "targets": Importer(
            "targets",
            ["开发区", "指标代码", "目标值"],
            [2],
            [0, 1],
            [0, 1],
            targets,
            targets_run,
            lambda data, name: clients["city"].post(
                "/monitoring/targets/", {"target_year": "2026", "file": upload(data, name)}
            ),
            stored=lambda: set(Target.objects.filter(year=2026).values_list("zone__name", "indicator__code", "value")),
            expected=lambda rows: {(r[0], r[1], float(r[2])) for r in rows},
        ),
    }


# ── The oracle ──


def snapshot() -> dict[str, list]:
    """Every row of every table an import may touch, so that a refusal is seen to write nothing."""
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in TABLES}


def _chinese(reason: str) -> None:
    assert CJK.search(reason), reason
    assert not ENGLISH_TAIL.search(reason), reason


def _sent(importer: Importer, file: File) -> tuple[bool, list, set]:
    """The file through the do_* function, rolled back: (accepted, errors, what it stored)."""
    with transaction.atomic():
        before = snapshot()
        accepted, errors = importer.run(file.data, file.name)
        stored = importer.stored()
        if not accepted:
            assert snapshot() == before, f"{file.label}: a refused file changed the database"
        transaction.set_rollback(True)
    return accepted, errors, stored


def _posted(importer: Importer, file: File) -> tuple[int, str, set, bool]:
    """The file through its upload page, rolled back: (status, page, what it stored, changed)."""
    with transaction.atomic():
        before = snapshot()
        response = importer.post(file.data, file.name)
        page = response.content.decode() if response.status_code != 302 else ""
        stored, changed = importer.stored(), snapshot() != before
        transaction.set_rollback(True)
    return response.status_code, page, stored, changed


def check(importer: Importer, file: File) -> None:
    accepted, errors, stored = _sent(importer, file)
    status, page, posted_stored, changed = _posted(importer, file)
    assert status < 500 and "Traceback" not in page, f"{file.label}: the page answered {status}"
    # The page and the function are one path: the same verdict, the same rows written.
    assert changed == accepted and posted_stored == stored, f"{file.label}: the page and do_* disagree"
    if file.verdict == "accept":
        assert accepted, f"{file.label}: a right file was refused: {[e.reason for e in errors]}"
        assert stored == importer.expected(file.rows), f"{file.label}: stored differs from the file"
        return
    assert not accepted, f"{file.label}: a bad file was accepted"
    assert errors, f"{file.label}: refused without a reason"
    for error in errors:
        _chinese(error.reason)
    places = {(e.row, e.column) for e in errors}
    for row, column in file.cells:
        named = {(r, "*") for r, _ in places} if column == "*" else places
        assert (row, column) in named, f"{file.label}: {(row, column)} not among {sorted(places)}"
    if file.says:
        assert any(file.says in e.reason for e in errors), f"{file.label}: {[e.reason for e in errors]}"
    assert escape(errors[0].reason) in page or status == 302, f"{file.label}: the page does not show the refusal"


IMPORTERS = ["enterprise", "zone", "parcel", "tax", "report", "rating", "targets"]


@pytest.mark.parametrize("name", IMPORTERS)
def test_right_files_in_every_shape_are_accepted_exactly(importers, name):
    importer = importers[name]

    @settings(CAMPAIGN, max_examples=max(EXAMPLES // 2, 1))
    @given(clean_files(importer))
    def campaign(file: File) -> None:
        check(importer, file)

    campaign()


@pytest.mark.parametrize("name", IMPORTERS)
def test_hostile_files_are_refused_whole_in_chinese_and_write_nothing(importers, name):
    importer = importers[name]

    @CAMPAIGN
    @given(hostile_files(importer))
    def campaign(file: File) -> None:
        check(importer, file)

    campaign()
