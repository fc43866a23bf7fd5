"""An evaluation scheme (评价方案): what a TOML file says, checked once, with Chinese messages.

The file format and every formula are documented in docs/schemes.md.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

NORMALIZATIONS = ("vector", "sum", "max", "minmax", "benchmark", "linear", "zscore", "percentile")
WEIGHTINGS = ("fixed", "equal", "entropy", "critic", "ahp")
AGGREGATIONS = ("weighted_sum", "topsis")
MISSING = ("zero", "exclude", "mean_score", "group_mean_score")
GRADINGS = ("shares", "thresholds", "two_stage")
EXCLUDED = "T"


class SchemeError(ValueError):
    """A scheme file that cannot be used, with what is wrong in Chinese."""


@dataclass(frozen=True)
class Normalize:
    """How an indicator becomes comparable; `benchmark` is a number or "mean" (times `factor`)."""

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
    """A condition that forces a grade (一票否决)."""

    label: str
    when: str
    grade: str


@dataclass(frozen=True)
class Exclusion:
    """Units set aside as class T (不参评) with the reason."""

    label: str
    when: str


@dataclass(frozen=True)
class Stage:
    """One stage of a two-stage grading: a pool of the ranked list re-ranked on a sub-score."""

    grade: str
    pool: float
    share: float
    score: str


@dataclass(frozen=True)
class Grading:
    method: str
    grades: tuple[tuple[str, float], ...] = ()
    group: str | None = None
    top: Stage | None = None
    bottom: Stage | None = None
    default: str = "B"


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
    adjustments: tuple[Adjustment, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    grading: Grading | None = None
    source: str = ""
    tenants: str = "land_share"  # how the platform counts tenants' land: land_share | separate

    def normalize_for(self, indicator: Indicator) -> Normalize:
        return indicator.normalize or self.normalize

    def missing_for(self, indicator: Indicator) -> str:
        return indicator.missing or self.missing


def _normalize(raw: dict | None, where: str) -> Normalize | None:
    if raw is None:
        return None
    method = raw.get("method", "vector")
    if method not in NORMALIZATIONS:
        raise SchemeError(f"{where}的标准化方法“{method}”不支持，可用：{'、'.join(NORMALIZATIONS)}")
    benchmark = raw.get("benchmark")
    if isinstance(benchmark, str) and benchmark != "mean":
        raise SchemeError(f'{where}的 benchmark 应为数值或 "mean"')
    return Normalize(method, benchmark, raw.get("cap"), float(raw.get("factor", 1.0)))


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise SchemeError(f"{what}“{value}”不支持，可用：{'、'.join(allowed)}")
    return value


def _stage(raw: dict | None, where: str) -> Stage | None:
    if raw is None:
        return None
    try:
        return Stage(raw["grade"], float(raw["pool"]), float(raw["share"]), raw["score"])
    except KeyError as exc:
        raise SchemeError(f"{where}缺少“{exc.args[0]}”") from None


def parse(data: dict) -> Scheme:
    """A Scheme from the parsed TOML; every fault names the field."""
    for key in ("name", "id", "indicators"):
        if key not in data:
            raise SchemeError(f"方案缺少“{key}”")
    normalize = _normalize(data.get("normalize"), "方案") or Normalize()
    weights = data.get("weights", {})
    weighting = _choice(weights.get("method", "fixed"), WEIGHTINGS, "赋权方法")
    indicators = []
    codes: set[str] = set()
    for number, raw in enumerate(data["indicators"], start=1):
        where = f"第{number}个指标"
        for key in ("code", "label", "value"):
            if key not in raw:
                raise SchemeError(f"{where}缺少“{key}”")
        if raw["code"] in codes:
            raise SchemeError(f"{where}的代码“{raw['code']}”重复")
        codes.add(raw["code"])
        direction = _choice(raw.get("direction", "benefit"), ("benefit", "cost"), f"{where}的方向")
        if weighting == "fixed" and raw.get("weight") is None:
            raise SchemeError(f"{where}（{raw['label']}）缺少权重：固定权重方案须为每个指标写 weight")
        missing = raw.get("missing")
        if missing is not None:
            _choice(missing, MISSING, f"{where}的缺失值处理")
        indicators.append(
            Indicator(
                raw["code"],
                raw["label"],
                raw["value"],
                direction,
                raw.get("weight"),
                _normalize(raw.get("normalize"), where),
                missing,
            )
        )
        method = (indicators[-1].normalize or normalize).method
        if method == "benchmark" and (indicators[-1].normalize or normalize).benchmark is None:
            raise SchemeError(f"{where}（{raw['label']}）使用基准值法，但未给出 benchmark")
    matrix = tuple(tuple(float(v) for v in row) for row in weights.get("matrix", ()))
    if weighting == "ahp" and (len(matrix) != len(indicators) or any(len(r) != len(indicators) for r in matrix)):
        raise SchemeError(f"层次分析法需要 {len(indicators)}×{len(indicators)} 的判断矩阵 weights.matrix")
    grading = None
    if "grading" in data:
        raw = data["grading"]
        method = _choice(raw.get("method", "shares"), GRADINGS, "分级方法")
        grading = Grading(
            method,
            tuple((g, float(v)) for g, v in raw.get("grades", ())),
            raw.get("group"),
            _stage(raw.get("top"), "两段分级的 top"),
            _stage(raw.get("bottom"), "两段分级的 bottom"),
            raw.get("default", "B"),
        )
        if method != "two_stage" and not grading.grades:
            raise SchemeError('分级须给出 grades，例如 [["A", 0.2], ["B", 0.6]]')
    return Scheme(
        name=data["name"],
        id=data["id"],
        indicators=tuple(indicators),
        normalize=normalize,
        weighting=weighting,
        weight_total=float(weights.get("total", 1.0)),
        ahp_matrix=matrix,
        aggregate=_choice(data.get("aggregate", {}).get("method", "weighted_sum"), AGGREGATIONS, "集成方法"),
        missing=_choice(data.get("missing", "exclude"), MISSING, "缺失值处理"),
        group=data.get("group"),
        scope=data.get("scope"),
        exclusions=tuple(Exclusion(e["label"], e["when"]) for e in data.get("exclusions", ())),
        adjustments=tuple(
            Adjustment(a["label"], a.get("when"), float(a.get("points", 0)), a.get("value"), a.get("cap"))
            for a in data.get("adjustments", ())
        ),
        vetoes=tuple(Veto(v["label"], v["when"], v["grade"]) for v in data.get("vetoes", ())),
        grading=grading,
        source=data.get("source", ""),
        tenants=_choice(data.get("tenants", "land_share"), ("land_share", "separate"), "租赁企业的处理"),
    )


def load(path: str | Path) -> Scheme:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise SchemeError(f"方案文件 {path} 不是合法的 TOML：{exc}") from None
    return parse(data)


def loads(text: str) -> Scheme:
    return parse(tomllib.loads(text))


SHIPPED = Path(__file__).resolve().parent / "schemes"


def shipped(kind: str = "") -> dict[str, Path]:
    """The schemes that come with Jiju, by file stem: of enterprises, or of `kind` ("zones")."""
    return {p.stem: p for p in sorted((SHIPPED / kind).glob("*.toml"))}
