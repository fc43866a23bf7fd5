"""An evaluation scheme (评价方案): what a TOML file says, checked once, with Chinese messages.

The file format and every formula are documented in docs/schemes.md.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from jiju.evaluation.expressions import expression_fault, ratio_parts


class SchemeError(ValueError):
    """A scheme file that cannot be used, with what is wrong in Chinese (and the line, when known)."""


# Every key each table of a scheme file may hold: anything else is a mistake, refused by name.
KEYS: dict[str, tuple[str, ...]] = {
    "方案": (
        "name",
        "id",
        "source",
        "group",
        "scope",
        "missing",
        "precision",
        "tenants",
        "normalize",
        "weights",
        "aggregate",
        "indicators",
        "exclusions",
        "adjustments",
        "vetoes",
        "grading",
        "policies",
        "lists",
    ),
    "normalize": ("method", "benchmark", "factor", "cap"),
    "weights": ("method", "total", "matrix"),
    "aggregate": ("method",),
    "indicators": ("code", "label", "value", "direction", "weight", "normalize", "missing"),
    "exclusions": ("label", "when", "status"),
    "lists": ("name", "when"),
    "adjustments": ("label", "when", "points", "value", "cap"),
    "vetoes": ("label", "when", "grade"),
    "grading": ("method", "grades", "group", "groups", "top", "bottom", "default"),
    "groups": ("label", "when", "grades"),
    "stage": ("grade", "pool", "share", "score"),
}
NORMALIZATIONS = ("vector", "sum", "max", "minmax", "benchmark", "linear", "zscore", "percentile")
# Normalisations that divide by the values or by a statistic of them: they need values that are not negative.
RATIO_NORMALIZATIONS = ("vector", "sum", "max", "benchmark")
BENCHMARK_AVERAGES = ("mean", "pooled")
WEIGHTINGS = ("fixed", "equal", "entropy", "critic", "critic_benefit", "ahp")
AGGREGATIONS = ("weighted_sum", "topsis")
MISSING = ("zero", "exclude", "mean_score", "group_mean_score")
GRADINGS = ("shares", "thresholds", "two_stage")
EXCLUDED = "T"
EVALUATED, EXEMPT, PROVISIONAL = "参评", "不参评", "暂不评价"
STATUSES = (EXEMPT, PROVISIONAL)  # what an exclusion may say of the units it sets aside
DEFAULT_PRECISION = 6
# Saaty's random consistency index by matrix order (Saaty 1980, orders 1 to 15).
RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
RECIPROCAL_TOLERANCE = 0.01  # a_ij · a_ji within 1 ± 1 %: officials write 0.33 for 1/3


@dataclass(frozen=True)
class Normalize:
    """How an indicator becomes comparable.

    `benchmark` is a number, "mean" (the mean of the units' values) or "pooled" (Σ numerator /
    Σ denominator, the county's 亩均 figure), times `factor`; `cap` bounds the normalised value (封顶).
    """

    method: str = "vector"
    benchmark: float | str | None = None
    cap: float | None = None
    factor: float = 1.0


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    value: str
    direction: str = "benefit"
    weight: float | None = None
    normalize: Normalize | None = None
    missing: str | None = None

    @property
    def cost(self) -> bool:
        return self.direction == "cost"


@dataclass(frozen=True)
class Adjustment:
    """A bonus or penalty (加减分): `points` when `when` holds, or the value of `value`."""

    label: str
    when: str | None = None
    points: float = 0.0
    value: str | None = None
    cap: float | None = None


@dataclass(frozen=True)
class Veto:
    """A condition that forces a grade at best (一票否决); the harshest applicable grade wins."""

    label: str
    when: str
    grade: str


@dataclass(frozen=True)
class Exclusion:
    """Units set aside as class T with the reason: exempt (不参评, a utility) or provisional (暂不评价, a new firm)."""

    label: str
    when: str
    status: str = EXEMPT


@dataclass(frozen=True)
class PublishedList:
    """One of the lists a county publishes (规上, 规下 on the threshold, ...): ranked and graded apart."""

    name: str
    when: str


@dataclass(frozen=True)
class Stage:
    """One stage of a two-stage grading: a pool of the ranked list re-ranked on a sub-score."""

    grade: str
    pool: float
    share: float
    score: str


@dataclass(frozen=True)
class GradeSet:
    """Shares or floors of their own for the units `when` selects (a sector group, 规下 firms), graded apart."""

    label: str
    when: str
    grades: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Grading:
    method: str
    grades: tuple[tuple[str, float], ...] = ()
    group: str | None = None
    top: Stage | None = None
    bottom: Stage | None = None
    default: str = "B"
    groups: tuple[GradeSet, ...] = ()

    @property
    def order(self) -> tuple[str, ...]:
        """Grade names from the best to the harshest."""
        if self.method == "two_stage":
            names = [s.grade for s in (self.top,) if s] + [self.default] + [s.grade for s in (self.bottom,) if s]
            return tuple(dict.fromkeys(names))
        return tuple(g for g, _ in self.grades)


@dataclass(frozen=True)
class Scheme:
    name: str
    id: str
    indicators: tuple[Indicator, ...]
    normalize: Normalize = Normalize()
    weighting: str = "fixed"
    weight_total: float = 1.0
    ahp_matrix: tuple[tuple[float, ...], ...] = ()
    aggregate: str = "weighted_sum"
    missing: str = "exclude"
    group: str | None = None
    scope: str | None = None
    exclusions: tuple[Exclusion, ...] = ()
    lists: tuple[PublishedList, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    grading: Grading | None = None
    source: str = ""
    tenants: str = "land_share"  # how the platform treats tenants: land_share | separate | landlord
    precision: int = DEFAULT_PRECISION  # decimals of the score; ranks and grades read the rounded score

    def normalize_for(self, indicator: Indicator) -> Normalize:
        return indicator.normalize or self.normalize

    def missing_for(self, indicator: Indicator) -> str:
        return indicator.missing or self.missing


def pairwise_fault(matrix: tuple[tuple[float, ...], ...]) -> str | None:
    """Why a pairwise comparison matrix cannot be used (in Chinese), or None when it can."""
    n = len(matrix)
    if n == 0 or any(len(row) != n for row in matrix):
        return "判断矩阵须为方阵"
    if n >= len(RANDOM_INDEX):
        return f"判断矩阵为 {n} 阶，Saaty 随机一致性指标 RI 只到 {len(RANDOM_INDEX) - 1} 阶"
    for i, j in itertools.product(range(n), range(n)):
        a, b = matrix[i][j], matrix[j][i]
        if not a > 0:
            return f"判断矩阵第{i + 1}行第{j + 1}列为 {a:g}，须为正数"
        if i == j and abs(a - 1) > RECIPROCAL_TOLERANCE:
            return f"判断矩阵对角线第{i + 1}行为 {a:g}，须为 1"
        if i < j and abs(a * b - 1) > RECIPROCAL_TOLERANCE:
            return f"判断矩阵不互反：第{i + 1}行第{j + 1}列为 {a:g}，第{j + 1}行第{i + 1}列应为 1/{a:g}，实为 {b:g}"
    return None


class _Source:
    """The scheme's text, to say on which line a key is written."""

    HEADER = re.compile(r"^\s*\[\[?\s*([^\]\s]+)\s*\]\]?")
    TABLES = (
        "normalize",
        "weights",
        "aggregate",
        "indicators",
        "exclusions",
        "lists",
        "adjustments",
        "vetoes",
        "grading",
        "grading.groups",
    )

    def __init__(self, text: str | None) -> None:
        self.rows: list[tuple[int, str, int, str]] = []  # line number, table, index of that table, text
        counts: dict[str, int] = {}
        table, index = "", 0
        for number, line in enumerate((text or "").splitlines(), start=1):
            header = self.HEADER.match(line)
            if header:
                table = header.group(1)
                index = counts[table] = counts.get(table, -1) + 1
            self.rows.append((number, table, index, line))

    def line(self, *path: str | int) -> int | None:
        """The line of `path`: a table (and its index in an array of tables), then keys; None when not written."""
        keys = list(path)
        table, index = "", 0
        if keys and keys[0] in self.TABLES:
            table = keys.pop(0)
            if keys and isinstance(keys[0], int):
                index = keys.pop(0)
        elif keys and keys[0] == "方案":
            keys.pop(0)
        block = [(n, text) for n, t, i, text in self.rows if t == table and i == index]
        if not block:  # an inline table (`weights = { ... }`): look through the whole file
            block = [(n, text) for n, _, _, text in self.rows]
        names = [k for k in keys if isinstance(k, str)]
        if names:
            pattern = re.compile(rf"(^|[\s{{,.]){re.escape(names[-1])}\s*=")
            for number, text in block:
                if pattern.search(text):
                    return number
        return block[0][0] if block and table else None


class _Reader:
    """Checks one scheme file, every fault a SchemeError naming the line where it is written."""

    def __init__(self, text: str | None) -> None:
        self.source = _Source(text)

    def fail(self, message: str, *path: str | int) -> SchemeError:
        line = self.source.line(*path) if path else None
        return SchemeError(f"第{line}行：{message}" if line else message)

    def table(self, raw: object, kind: str, where: str, *path: str | int) -> dict:
        """`raw` as a table of known keys; an unknown key is refused with the nearest known one."""
        if not isinstance(raw, dict):
            raise self.fail(f"{where}应为一个表（[...] 或 {{ ... }}）", *path)
        known = KEYS[kind]
        for key in raw:
            if key not in known:
                near = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
                hint = f"，是否应为“{near[0]}”？" if near else f"，可用的键：{'、'.join(known)}"
                raise self.fail(f"{where}中有未知的键“{key}”{hint}", *path, key)
        return raw

    def items(self, raw: dict, key: str, where: str, table: str | None = None) -> list[tuple[int, dict]]:
        """The tables of an array of tables such as [[indicators]], each checked, with its index."""
        table = table or key
        value = raw.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"“{key}”应写成 [[{table}]] 表数组", table)
        return [(n, self.table(item, key, f"第{n + 1}个{where}", table, n)) for n, item in enumerate(value)]

    def number(self, raw: dict, key: str, where: str, *path: str | int, default: float | None = None) -> float | None:
        value = raw.get(key, default)
        if value is None:
            return None
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not numeric or not (math.isfinite(value) or value == -math.inf):  # -inf: a last grade without a floor
            raise self.fail(f"{where}的“{key}”应为数值，实为“{value}”", *path, key)
        return float(value)

    def text(self, raw: dict, key: str, where: str, *path: str | int, default: str | None = None) -> str | None:
        value = raw.get(key, default)
        if value is not None and not isinstance(value, str):
            raise self.fail(f"{where}的“{key}”应为文字（加引号），实为 {value}", *path, key)
        return value

    def required(self, raw: dict, keys: tuple[str, ...], where: str, *path: str | int) -> None:
        for key in keys:
            if key not in raw:
                raise self.fail(f"{where}缺少“{key}”", *path)

    def choice(self, value: str, allowed: tuple[str, ...], what: str, *path: str | int) -> str:
        if value not in allowed:
            raise self.fail(f"{what}“{value}”不支持，可用：{'、'.join(allowed)}", *path)
        return value

    def expression(self, text: str, where: str, *path: str | int) -> str:
        fault = expression_fault(text)
        if fault:
            raise self.fail(f"{where}：{fault}", *path)
        return text

    def normalize(self, raw: object, where: str, *path: str | int) -> Normalize | None:
        if raw is None:
            return None
        raw = self.table(raw, "normalize", f"{where}的标准化", *path)
        method = self.choice(
            self.text(raw, "method", where, *path, default="vector"), NORMALIZATIONS, f"{where}的标准化方法", *path
        )
        benchmark = raw.get("benchmark")
        if isinstance(benchmark, str):
            if benchmark not in BENCHMARK_AVERAGES:
                raise self.fail(
                    f'{where}的 benchmark 应为数值、"mean"（各单位比值的平均）或 "pooled"（Σ分子/Σ分母）', *path
                )
        elif benchmark is not None:
            benchmark = self.number(raw, "benchmark", where, *path)
            if not benchmark > 0:
                raise self.fail(f"{where}的 benchmark 须大于 0，实为 {benchmark:g}", *path, "benchmark")
        factor = self.number(raw, "factor", where, *path, default=1.0)
        if not factor > 0:
            raise self.fail(f"{where}的 factor 须大于 0", *path, "factor")
        return Normalize(method, benchmark, self.number(raw, "cap", where, *path), factor)

    def grades(self, raw: dict, where: str, *path: str | int) -> tuple[tuple[str, float], ...]:
        pairs = raw.get("grades", [])
        if not isinstance(pairs, list) or any(
            not isinstance(p, list)
            or len(p) != 2
            or not isinstance(p[0], str)
            or isinstance(p[1], bool)
            or not isinstance(p[1], (int, float))
            for p in pairs
        ):
            raise self.fail(f'{where}的 grades 应写成 [["A", 0.2], ["B", 0.6], ...]', *path, "grades")
        return tuple((g, float(v)) for g, v in pairs)

    def stage(self, raw: object, where: str, *path: str | int) -> Stage | None:
        if raw is None:
            return None
        raw = self.table(raw, "stage", where, *path)
        self.required(raw, KEYS["stage"], where, *path)
        return Stage(
            self.text(raw, "grade", where, *path),
            self.number(raw, "pool", where, *path),
            self.number(raw, "share", where, *path),
            self.expression(self.text(raw, "score", where, *path), where, *path, "score"),
        )

    def grading(self, raw: object) -> Grading:
        raw = self.table(raw, "grading", "[grading]", "grading")
        method = self.choice(
            self.text(raw, "method", "[grading]", "grading", default="shares"),
            GRADINGS,
            "分级方法",
            "grading",
            "method",
        )
        grades = self.grades(raw, "[grading]", "grading")
        groups = []
        for n, item in self.items(raw, "groups", "分级组（grading.groups）", "grading.groups"):
            self.required(item, ("label", "when", "grades"), f"第{n + 1}个分级组", "grading.groups", n)
            own = self.grades(item, f"分级组“{item['label']}”", "grading.groups", n)
            names = [g for g, _ in grades]
            if [g for g, _ in own] != [g for g in names if g in dict(own)]:
                raise self.fail(
                    f"分级组“{item['label']}”的等级须为 [grading] grades 中的等级，且顺序相同",
                    "grading.groups",
                    n,
                    "grades",
                )
            groups.append(
                GradeSet(item["label"], self.expression(item["when"], "分级组条件", "grading.groups", n, "when"), own)
            )
        grading = Grading(
            method,
            grades,
            self.text(raw, "group", "[grading]", "grading"),
            self.stage(raw.get("top"), "两段分级的 top", "grading", "top"),
            self.stage(raw.get("bottom"), "两段分级的 bottom", "grading", "bottom"),
            self.text(raw, "default", "[grading]", "grading", default="B"),
            tuple(groups),
        )
        if method != "two_stage" and not grading.grades:
            raise self.fail('分级须给出 grades，例如 [["A", 0.2], ["B", 0.6]]', "grading")
        for stage in (grading.top, grading.bottom):
            if stage and not (0 < stage.share <= stage.pool <= 1):
                raise self.fail("两段分级须满足 0 < share ≤ pool ≤ 1", "grading", "share")
        if method == "shares":
            for label, pairs in [("[grading]", grading.grades)] + [(g.label, g.grades) for g in grading.groups]:
                shares = [v for _, v in pairs]
                if any(not 0 < v <= 1 for v in shares) or shares != sorted(shares):
                    raise self.fail(f"{label}的比例须在 0 到 1 之间并逐级递增（累计比例）", "grading", "grades")
        if method == "thresholds":
            for label, pairs in [("[grading]", grading.grades)] + [(g.label, g.grades) for g in grading.groups]:
                floors = [v for _, v in pairs]
                if floors != sorted(floors, reverse=True):
                    raise self.fail(f"{label}的分数线须从高到低", "grading", "grades")
        return grading

    def scheme(self, data: dict) -> Scheme:
        data = self.table(data, "方案", "方案", "方案")
        self.required(data, ("name", "id", "indicators"), "方案")
        normalize = self.normalize(data.get("normalize"), "方案", "normalize") or Normalize()
        weights = self.table(data.get("weights", {}), "weights", "[weights]", "weights")
        weighting = self.choice(
            self.text(weights, "method", "[weights]", "weights", default="fixed"),
            WEIGHTINGS,
            "赋权方法",
            "weights",
            "method",
        )
        indicators = []
        for n, raw in self.items(data, "indicators", "指标"):
            where, at = f"第{n + 1}个指标", ("indicators", n)
            self.required(raw, ("code", "label", "value"), where, *at)
            if raw["code"] in {i.code for i in indicators}:
                raise self.fail(f"{where}的代码“{raw['code']}”重复", *at, "code")
            where = f"{where}（{raw['label']}）"
            direction = self.choice(
                raw.get("direction", "benefit"), ("benefit", "cost"), f"{where}的方向", *at, "direction"
            )
            if weighting == "fixed" and raw.get("weight") is None:
                raise self.fail(f"{where}缺少权重：固定权重方案须为每个指标写 weight", *at)
            missing = raw.get("missing")
            if missing is not None:
                self.choice(missing, MISSING, f"{where}的缺失值处理", *at, "missing")
            indicator = Indicator(
                raw["code"],
                raw["label"],
                self.expression(self.text(raw, "value", where, *at), where, *at, "value"),
                direction,
                self.number(raw, "weight", where, *at),
                self.normalize(raw.get("normalize"), where, *at, "normalize"),
                missing,
            )
            how = indicator.normalize or normalize
            if how.method == "benchmark" and how.benchmark is None:
                raise self.fail(f"{where}使用基准值法，但未给出 benchmark", *at)
            if how.benchmark == "pooled" and ratio_parts(indicator.value) is None:
                raise self.fail(f'{where}的 benchmark = "pooled" 须用于“分子 / 分母”形式的指标', *at, "value")
            indicators.append(indicator)
        matrix = weights.get("matrix", ())
        try:
            matrix = tuple(tuple(float(v) for v in row) for row in matrix)
        except (TypeError, ValueError):
            raise self.fail("判断矩阵 weights.matrix 须为数值的方阵", "weights", "matrix") from None
        if weighting == "ahp":
            if len(matrix) != len(indicators):
                raise self.fail(
                    f"层次分析法需要 {len(indicators)}×{len(indicators)} 的判断矩阵 weights.matrix", "weights"
                )
            fault = pairwise_fault(matrix)
            if fault:
                raise self.fail(fault, "weights", "matrix")
        grading = self.grading(data["grading"]) if "grading" in data else None
        vetoes = []
        for n, raw in self.items(data, "vetoes", "否决项"):
            self.required(raw, ("label", "when", "grade"), f"第{n + 1}个否决项", "vetoes", n)
            if grading is None or raw["grade"] not in grading.order:
                names = "、".join(grading.order) if grading else "（方案未分级）"
                raise self.fail(
                    f"否决项“{raw['label']}”的等级“{raw['grade']}”不在分级的等级中：{names}", "vetoes", n, "grade"
                )
            vetoes.append(
                Veto(raw["label"], self.expression(raw["when"], "否决项条件", "vetoes", n, "when"), raw["grade"])
            )
        exclusions = []
        for n, raw in self.items(data, "exclusions", "不参评条件"):
            self.required(raw, ("label", "when"), f"第{n + 1}个不参评条件", "exclusions", n)
            status = self.choice(
                raw.get("status", EXEMPT), STATUSES, f"不参评条件“{raw['label']}”的状态", "exclusions", n, "status"
            )
            exclusions.append(
                Exclusion(raw["label"], self.expression(raw["when"], "不参评条件", "exclusions", n, "when"), status)
            )
        lists = []
        for n, raw in self.items(data, "lists", "名单"):
            self.required(raw, ("name", "when"), f"第{n + 1}个名单", "lists", n)
            name = self.text(raw, "name", f"第{n + 1}个名单", "lists", n)
            if name in {x.name for x in lists}:
                raise self.fail(f"名单“{name}”重复", "lists", n, "name")
            lists.append(PublishedList(name, self.expression(raw["when"], f"名单“{name}”的条件", "lists", n, "when")))
        adjustments = []
        for n, raw in self.items(data, "adjustments", "加减分项"):
            where = f"第{n + 1}个加减分项"
            self.required(raw, ("label",), where, "adjustments", n)
            adjustments.append(
                Adjustment(
                    raw["label"],
                    raw.get("when") and self.expression(raw["when"], where, "adjustments", n, "when"),
                    self.number(raw, "points", where, "adjustments", n, default=0.0),
                    raw.get("value") and self.expression(raw["value"], where, "adjustments", n, "value"),
                    self.number(raw, "cap", where, "adjustments", n),
                )
            )
        precision = data.get("precision", DEFAULT_PRECISION)
        if isinstance(precision, bool) or not isinstance(precision, int) or not 0 <= precision <= 12:
            raise self.fail("precision（得分保留的小数位数）须为 0 到 12 的整数", "precision")
        aggregate = self.table(data.get("aggregate", {}), "aggregate", "[aggregate]", "aggregate")
        return Scheme(
            name=self.text(data, "name", "方案"),
            id=self.text(data, "id", "方案"),
            indicators=tuple(indicators),
            normalize=normalize,
            weighting=weighting,
            weight_total=self.number(weights, "total", "[weights]", "weights", default=1.0),
            ahp_matrix=matrix,
            aggregate=self.choice(aggregate.get("method", "weighted_sum"), AGGREGATIONS, "集成方法", "aggregate"),
            missing=self.choice(data.get("missing", "exclude"), MISSING, "缺失值处理", "missing"),
            group=self.text(data, "group", "方案"),
            scope=data.get("scope") and self.expression(data["scope"], "参评范围 scope", "scope"),
            exclusions=tuple(exclusions),
            lists=tuple(lists),
            adjustments=tuple(adjustments),
            vetoes=tuple(vetoes),
            grading=grading,
            source=self.text(data, "source", "方案", default=""),
            tenants=self.choice(
                data.get("tenants", "land_share"), ("land_share", "separate", "landlord"), "租赁企业的处理", "tenants"
            ),
            precision=precision,
        )


def parse(data: dict, text: str | None = None) -> Scheme:
    """A Scheme from the parsed TOML; every fault names the field, and the line when `text` is given."""
    return _Reader(text).scheme(data)


def loads(text: str) -> Scheme:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemeError(_toml_fault(exc)) from None
    return parse(data, text)


def load(path: str | Path) -> Scheme:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SchemeError(f"方案文件 {path} 须为 UTF-8 编码") from None
    except OSError:
        raise SchemeError(f"无法读取方案文件 {path}") from None
    return loads(text)


def _toml_fault(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib says '... (at line 3, column 9)' in English: the place, said in Chinese."""
    found = re.search(r"line (\d+), column (\d+)", str(exc))
    where = f"第{found.group(1)}行第{found.group(2)}列" if found else "某处"
    return f"方案文件{where}不是合法的 TOML 写法：请检查引号、括号、逗号和等号，文字须加引号，同一个键不能写两次"


SHIPPED = Path(__file__).resolve().parent / "schemes"


def shipped(kind: str = "") -> dict[str, Path]:
    """The schemes that come with Jiju, by file stem: of enterprises, or of `kind` ("zones")."""
    return {p.stem: p for p in sorted((SHIPPED / kind).glob("*.toml"))}
