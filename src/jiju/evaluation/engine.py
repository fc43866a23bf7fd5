"""Evaluate units (enterprises or zones) by a scheme: one lazy Polars plan, frames in and out.

Steps, each an expression over the whole frame (partitioned with `.over()` where
a scheme groups units): values -> scope and class T -> normalisation -> missing
values -> weights -> aggregation -> adjustments -> rank -> grade -> vetoes ->
explanation columns. The formulas are documented in docs/schemes.md.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    import numpy as np

from jiju.evaluation.expressions import compile_expression, names_in, ratio_parts
from jiju.evaluation.scheme import (
    EVALUATED,
    EXCLUDED,
    EXEMPT,
    RANDOM_INDEX,
    RATIO_NORMALIZATIONS,
    Grading,
    Indicator,
    Normalize,
    Scheme,
    SchemeError,
    pairwise_fault,
)

ACTIVE, REASON, GRADE_SET = "_active", "excluded_reason", "_grade_set"
LIST, STATUS = "list", "status"
TOLERANCE = 1e-9  # shares times counts: 0.29 · 100 is 28.999999999999996 in floating point


def _over(expr: pl.Expr, group: list[str]) -> pl.Expr:
    return expr.over(group) if group else expr


def value(code: str) -> str:
    return f"{code}.value"


def _masked(code: str) -> str:
    """The value seen by the statistics of a step: null outside the evaluated units."""
    return f"_{code}.masked"


def _part(code: str, which: str) -> str:
    """The numerator or denominator of a ratio indicator, for a pooled benchmark (Σ a / Σ b)."""
    return f"_{code}.{which}"


def normalized(code: str) -> str:
    return f"{code}.normalized"


def weight(code: str) -> str:
    return f"{code}.weight"


def contribution(code: str) -> str:
    return f"{code}.contribution"


def to_next(code: str) -> str:
    """The change of the indicator's value that alone lifts the unit to its next grade (null: it cannot)."""
    return f"{code}.to_next"


def _divide(x: pl.Expr, by: pl.Expr) -> pl.Expr:
    """x / by, and 0 where `by` is 0: an indicator 0 for every unit carries no information."""
    return pl.when(by == 0).then(pl.when(x.is_not_null()).then(0.0)).otherwise(x / by)


def normalize_expr(x: pl.Expr, how: Normalize, cost: bool, group: list[str], code: str = "") -> pl.Expr:
    """The normalised value of `x` (already null outside the evaluated units), higher is better, capped at `cap`.

    The ratio methods (vector, sum, max, benchmark) receive values checked not to be negative
    (and, for a cost under sum or benchmark, positive): see `_check_ratio_inputs`.
    """
    over = lambda e: _over(e, group)  # noqa: E731
    method = how.method
    if method == "vector":
        ratio = _divide(x, over(x.pow(2).sum().sqrt()))
        scaled = 1 - ratio if cost else ratio
    elif method == "sum":
        scaled = _divide(1 / x, over((1 / x).sum())) if cost else _divide(x, over(x.sum()))
    elif method == "max":
        ratio = _divide(x, over(x.max()))
        scaled = 1 - ratio if cost else ratio
    elif method in ("minmax", "linear"):
        low, high = over(x.min()), over(x.max())
        spread = (high - x) if cost else (x - low)
        scaled = pl.when(high == low).then(pl.lit(1.0)).otherwise(spread / (high - low))
        scaled = pl.when(x.is_null()).then(None).otherwise(scaled)
        scaled = (20 + 80 * scaled) / 100 if method == "linear" else scaled
    elif method == "benchmark":
        if how.benchmark == "mean":
            bar = over(x.mean())
        elif how.benchmark == "pooled":
            known = x.is_not_null()
            numerator = pl.when(known).then(pl.col(_part(code, "num")))
            denominator = pl.when(known).then(pl.col(_part(code, "den")))
            bar = over(numerator.sum()) / over(denominator.sum())
        else:
            bar = pl.lit(how.benchmark)
        bar = how.factor * bar
        scaled = _divide(bar, x) if cost else _divide(x, bar)
    elif method == "zscore":
        sigma = over(x.std(ddof=0))
        z = pl.when(sigma > 0).then((x - over(x.mean())) / sigma).otherwise(pl.when(x.is_not_null()).then(0.0))
        scaled = -z if cost else z
    elif method == "percentile":
        ranked = (-x if cost else x).rank("max")
        scaled = over(ranked) / over(x.count())
    else:
        raise SchemeError(f"标准化方法“{method}”不支持")
    return scaled.clip(upper_bound=how.cap) if how.cap is not None else scaled


def ahp_weights(matrix: tuple[tuple[float, ...], ...]) -> tuple[np.ndarray, float]:
    """Principal eigenvector of the pairwise matrix (summing to 1) and Saaty's consistency ratio.

    numpy is imported here: `jiju evaluate` of a scheme without AHP starts without it.
    """
    import numpy as np

    fault = pairwise_fault(matrix)
    if fault:
        raise SchemeError(fault)
    a = np.asarray(matrix, dtype=float)
    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, k].real)
    n = len(a)
    ci = (eigenvalues[k].real - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n]
    return vector / vector.sum(), (ci / ri if ri else 0.0)


def _fixed_weights(scheme: Scheme) -> list[float]:
    """Weights that do not depend on the data: given, equal, or from AHP."""
    codes = [i.code for i in scheme.indicators]
    total = scheme.weight_total
    if scheme.weighting == "fixed":
        return [float(i.weight) for i in scheme.indicators]
    if scheme.weighting == "equal":
        return [total / len(codes)] * len(codes)
    vector, ratio = ahp_weights(scheme.ahp_matrix)
    if ratio > 0.1:
        raise SchemeError(f"判断矩阵一致性比率 CR={ratio:.3f}，超过 0.1，请调整判断矩阵")
    return [float(v) * total for v in vector]


def _computed_weights(frame: pl.DataFrame, scheme: Scheme, group: list[str]) -> pl.DataFrame:
    """Entropy or CRITIC weights, one row per group, with the reason where a group's weights cannot exist.

    Entropy (Xu 2004; pyrepo-mcda, pymcdm): p = |x| / Σ|x|, e = -Σ p ln p / ln n, d = 1 - e,
    and Σ p ln p = Σ|x| ln|x| / Σ|x| - ln Σ|x|; an all-zero indicator carries no information (d = 0).
    CRITIC (Diakoulaki et al. 1995): values min-max scaled, a cost as (max - x) / (max - min)
    (`critic_benefit`: every column as a benefit, as pyrepo-mcda and pymcdm do); the scaling is
    affine, so a correlation is the raw one, its sign turned when one of the two is a cost;
    population standard deviation, C = σ Σ(1 - r), the weight C / ΣC.
    """
    indicators = scheme.indicators
    codes = [i.code for i in indicators]
    stats = [pl.col(ACTIVE).sum().alias("_n")]
    for c in codes:
        x = pl.col(_masked(c))
        if scheme.weighting == "entropy":
            ax = x.abs()
            stats += [
                ax.sum().alias(f"s{c}"),
                pl.when(ax > 0).then(ax * ax.log()).sum().alias(f"l{c}"),
                ax.count().alias(f"n{c}"),
            ]
        else:
            stats += [x.std(ddof=0).alias(f"sd{c}"), (x.max() - x.min()).alias(f"r{c}")]
            stats += [pl.corr(x, pl.col(_masked(k))).alias(f"c{c}|{k}") for k in codes if k != c]
    table = frame.group_by(group).agg(stats) if group else frame.select(stats)
    if scheme.weighting == "entropy":
        divergence = [
            pl.when((pl.col(f"s{c}") > 0) & (pl.col(f"n{c}") > 1))
            .then(
                1 + (pl.col(f"l{c}") / pl.col(f"s{c}") - pl.col(f"s{c}").log()) / pl.col(f"n{c}").cast(pl.Float64).log()
            )
            .otherwise(0.0)
            for c in codes
        ]
        why = "熵权法无法赋权：组内各指标都没有差异（或只有 1 个单位）"
    else:
        sign = {
            (i.code, k.code): -1.0 if scheme.weighting == "critic" and i.cost != k.cost else 1.0
            for i in indicators
            for k in indicators
        }
        divergence = [
            pl.when(pl.col(f"r{c}") > 0).then(pl.col(f"sd{c}") / pl.col(f"r{c}")).otherwise(0.0)
            * pl.sum_horizontal(
                1 - sign[c, k] * pl.col(f"c{c}|{k}").fill_nan(0.0).fill_null(0.0) for k in codes if k != c
            )
            for c in codes
        ]
        why = "CRITIC 法无法赋权：组内各指标都没有差异或彼此完全相关（或只有 1 个单位）"
    total = pl.sum_horizontal(divergence)
    return table.select(
        *group,
        pl.when(total > 0).then(pl.lit(None, dtype=pl.String)).otherwise(pl.lit(why)).alias("_weights_reason"),
        *(
            pl.when(total > 0).then(d / total * scheme.weight_total).alias(weight(c))
            for c, d in zip(codes, divergence, strict=True)
        ),
    )


def _check_ratio_inputs(frame: pl.DataFrame, scheme: Scheme, id_column: str) -> None:
    """Refuse values the ratio normalisations cannot order: negative ones, and 0 for a cost taken as 1/x.

    x / max, x / Σx and x / b are monotone only for values that are not negative (亩均利润 can be);
    a cost under sum or benchmark is divided into, so it must be positive.
    """
    for indicator in scheme.indicators:
        how = scheme.normalize_for(indicator)
        if how.method not in RATIO_NORMALIZATIONS:
            continue
        x = pl.col(_masked(indicator.code))
        inverted = indicator.cost and how.method in ("sum", "benchmark")
        bad = frame.filter((x <= 0) if inverted else (x < 0))[id_column]
        if bad.len():
            shown = "、".join(str(v) for v in bad.head(5).to_list()) + ("等" if bad.len() > 5 else "")
            need = "大于 0" if inverted else "不为负数"
            raise SchemeError(
                f"指标“{indicator.label}”使用 {how.method} 标准化，要求数值{need}，"
                f"但有 {bad.len()} 个单位不满足：{shown}。"
                "请核对数据，或改用 minmax、linear、zscore 或 percentile 标准化"
            )


def evaluate(
    scheme: Scheme,
    data: pl.DataFrame | pl.LazyFrame,
    weight_factors: dict[str, float] | None = None,
    previous: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Score, rank and grade every unit in scope; units set aside get grade T and the reason.

    No unit with a score that is not a finite number gets a rank or a grade: it is class T with
    the reason. `weight_factors` multiply the scheme's weights (given or computed), for sensitivity runs.
    `previous`, the units' data of the year before, gives each graded unit `grade_with_previous`: the
    grade it would have among this year's units with its own figures of that year.
    """
    frame = data.lazy()
    columns = set(frame.collect_schema().names())
    if scheme.id not in columns:
        raise SchemeError(f"数据中没有单位标识列“{scheme.id}”")
    group = [scheme.group] if scheme.group else []
    grading = scheme.grading
    grade_group = [grading.group] if grading and grading.group else group
    for column in group + grade_group:
        if column not in columns:
            raise SchemeError(f"数据中没有分组列“{column}”")
    if grading and grading.groups:
        grade_group = [*grade_group, GRADE_SET]
    if scheme.lists:
        grade_group = [*grade_group, LIST]

    finite = lambda e: pl.when(e.cast(pl.Float64).is_finite()).then(e.cast(pl.Float64))  # noqa: E731
    frame = frame.with_columns(
        finite(compile_expression(i.value, columns)).alias(value(i.code)) for i in scheme.indicators
    )
    pooled = [i for i in scheme.indicators if scheme.normalize_for(i).benchmark == "pooled"]
    frame = frame.with_columns(
        finite(compile_expression(text, columns)).alias(_part(i.code, which))
        for i in pooled
        for which, text in zip(("num", "den"), ratio_parts(i.value), strict=True)
    )
    if scheme.scope:
        frame = frame.filter(compile_expression(scheme.scope, columns))
    if grading and grading.groups:
        frame = frame.with_columns(_grade_set(grading, columns).alias(GRADE_SET))
    if scheme.lists:
        frame = frame.with_columns(_list(scheme, columns).alias(LIST))
    frame = frame.with_columns(_reason(scheme, columns).alias(REASON))
    frame = frame.with_columns(pl.col(REASON).is_null().alias(ACTIVE))
    active = pl.col(ACTIVE)
    frame = frame.with_columns(
        pl.when(active)
        .then(pl.col(value(i.code)).fill_null(0.0) if scheme.missing_for(i) == "zero" else pl.col(value(i.code)))
        .alias(_masked(i.code))
        for i in scheme.indicators
    ).collect()
    _check_ratio_inputs(frame.filter(active), scheme, scheme.id)
    frame = _add_weights(frame, scheme, group, weight_factors).lazy()

    frame = frame.with_columns(
        normalize_expr(pl.col(_masked(i.code)), scheme.normalize_for(i), i.cost, group, i.code).alias(
            normalized(i.code)
        )
        for i in scheme.indicators
    )
    # A separate step: the means below must read the finished column, not re-window its statistics.
    frame = frame.with_columns(
        _fill_missing(scheme, i, pl.col(normalized(i.code)), grade_group).alias(normalized(i.code))
        for i in scheme.indicators
    )
    frame = frame.with_columns(
        (pl.col(weight(i.code)) * pl.col(normalized(i.code))).alias(contribution(i.code)) for i in scheme.indicators
    )
    frame = frame.with_columns(_score(scheme, group).alias("base_score"))
    frame = frame.with_columns(
        (pl.col("base_score") + _adjustments(scheme, columns)).round(scheme.precision).alias("score")
    )
    frame = frame.with_columns(_unscorable(scheme).alias(REASON))
    frame = frame.with_columns(pl.col(REASON).is_null().alias(ACTIVE))
    frame = frame.with_columns(
        pl.when(active).then(pl.col(c)).alias(c) for c in ("base_score", "score", *map(contribution, _codes(scheme)))
    )
    frame = frame.with_columns(
        pl.when(active).then(_over(pl.col("score").rank("min", descending=True), grade_group)).alias("rank")
    )
    frame = frame.with_columns(_status(scheme, columns).alias(STATUS))
    if grading is not None:
        frame = _grade(frame, scheme, grade_group, columns)
    if grading is not None and previous is not None:
        frame = _with_previous(frame, scheme, previous, group, grade_group, columns)
    internal = [
        ACTIVE,
        *(_masked(c) for c in _codes(scheme)),
        *(_part(i.code, w) for i in pooled for w in ("num", "den")),
    ]
    internal += [GRADE_SET] if grading and grading.groups else []
    return frame.drop(internal).collect()


def _codes(scheme: Scheme) -> list[str]:
    return [i.code for i in scheme.indicators]


def _unscorable(scheme: Scheme) -> pl.Expr:
    """The reason, when an evaluated unit's score cannot be computed: never a NaN or ±inf with a rank."""
    reason = pl.col(REASON)
    checks = [(pl.col(contribution(i.code)), f"{i.label}的得分无法计算") for i in scheme.indicators]
    checks.append((pl.col("score"), "加减分后的得分无法计算"))
    for expr, label in reversed(checks):
        reason = pl.when(pl.col(ACTIVE) & ~expr.is_finite().fill_null(False)).then(pl.lit(label)).otherwise(reason)
    return reason


def _add_weights(
    frame: pl.DataFrame, scheme: Scheme, group: list[str], factors: dict[str, float] | None
) -> pl.DataFrame:
    """Weight columns, each multiplied by its factor when a sensitivity run draws some.

    Computed weights that cannot exist in a group (a group of one unit, nothing varying) set
    the group's units aside as class T with the reason.
    """
    active = pl.col(ACTIVE)
    factor = {i.code: float((factors or {}).get(i.code, 1.0)) for i in scheme.indicators}
    if scheme.weighting in ("entropy", "critic", "critic_benefit"):
        table = _computed_weights(frame, scheme, group)
        frame = (
            frame.join(table, on=group, how="left", maintain_order="left", nulls_equal=True)
            if group
            else frame.join(table, how="cross", maintain_order="left")
        )
        frame = frame.with_columns(
            pl.when(active).then(pl.col("_weights_reason")).otherwise(pl.col(REASON)).alias(REASON)
        ).drop("_weights_reason")
        frame = frame.with_columns(pl.col(REASON).is_null().alias(ACTIVE))
        return frame.with_columns(
            pl.when(active).then(pl.col(weight(i.code)) * factor[i.code]).alias(weight(i.code))
            for i in scheme.indicators
        )
    return frame.with_columns(
        pl.when(active).then(pl.lit(w * factor[i.code])).alias(weight(i.code))
        for i, w in zip(scheme.indicators, _fixed_weights(scheme), strict=True)
    )


def _reason(scheme: Scheme, columns: set[str]) -> pl.Expr:
    """The first reason a unit is set aside (class T), or null when it is evaluated."""
    reason = pl.lit(None, dtype=pl.String)
    checks = [(compile_expression(e.when, columns), e.label) for e in scheme.exclusions]
    checks += [
        (pl.col(value(i.code)).is_null(), f"缺少{i.label}数据")
        for i in scheme.indicators
        if scheme.missing_for(i) == "exclude"
    ]
    for condition, label in reversed(checks):
        reason = pl.when(condition.fill_null(False)).then(pl.lit(label)).otherwise(reason)
    return reason


def _list(scheme: Scheme, columns: set[str]) -> pl.Expr:
    """The first published list whose condition holds; "" for a unit in none."""
    chosen = pl.lit("", dtype=pl.String)
    for published in reversed(scheme.lists):
        condition = compile_expression(published.when, columns).fill_null(False)
        chosen = pl.when(condition).then(pl.lit(published.name)).otherwise(chosen)
    return chosen


def _status(scheme: Scheme, columns: set[str]) -> pl.Expr:
    """参评 for a unit evaluated; else the status of the exclusion that gave its reason (the first that holds),
    and 不参评 for a unit set aside for its data (missing, not computable)."""
    status = pl.lit(EXEMPT)
    for exclusion in reversed(scheme.exclusions):
        condition = compile_expression(exclusion.when, columns).fill_null(False)
        status = pl.when(condition).then(pl.lit(exclusion.status)).otherwise(status)
    return pl.when(pl.col(ACTIVE)).then(pl.lit(EVALUATED)).otherwise(status)


def _fill_missing(scheme: Scheme, indicator: Indicator, expr: pl.Expr, grade_group: list[str]) -> pl.Expr:
    how = scheme.missing_for(indicator)
    if how not in ("mean_score", "group_mean_score"):
        return expr
    mean = expr.mean()
    mean = _over(mean, grade_group) if how == "group_mean_score" else mean.over(pl.col(ACTIVE))
    # Nobody in the group has the indicator: it carries no information, and scores 0 for everyone.
    return pl.when(pl.col(ACTIVE)).then(expr.fill_null(mean).fill_null(0.0)).otherwise(None)


def _score(scheme: Scheme, group: list[str]) -> pl.Expr:
    """The aggregate of the contributions; a missing contribution leaves the score missing (then class T)."""
    parts = [pl.col(contribution(i.code)) for i in scheme.indicators]
    known = pl.all_horizontal(p.is_not_null() for p in parts)
    if scheme.aggregate == "weighted_sum":
        return pl.when(pl.col(ACTIVE) & known).then(pl.sum_horizontal(parts))
    best = [(p - _over(p.max(), group)).pow(2) for p in parts]
    worst = [(p - _over(p.min(), group)).pow(2) for p in parts]
    d_best, d_worst = pl.sum_horizontal(best).sqrt(), pl.sum_horizontal(worst).sqrt()
    closeness = pl.when(d_best + d_worst == 0).then(pl.lit(0.5)).otherwise(d_worst / (d_best + d_worst))
    return pl.when(pl.col(ACTIVE) & known).then(closeness)


def _adjustments(scheme: Scheme, columns: set[str]) -> pl.Expr:
    total = pl.lit(0.0)
    for adjustment in scheme.adjustments:
        if adjustment.value is not None:
            amount = compile_expression(adjustment.value, columns).cast(pl.Float64).fill_null(0.0)
        else:
            amount = pl.lit(adjustment.points)
        if adjustment.when is not None:
            amount = pl.when(compile_expression(adjustment.when, columns).fill_null(False)).then(amount).otherwise(0.0)
        if adjustment.cap is not None:
            cap = abs(adjustment.cap)
            amount = amount.clip(-cap, cap)
        total = total + amount
    return total


def _grade_set(grading: Grading, columns: set[str]) -> pl.Expr:
    """Which grade set a unit is graded by: 0 for [grading] grades, k for the k-th of grading.groups."""
    chosen = pl.lit(0, dtype=pl.Int32)
    for k, grade_set in reversed(list(enumerate(grading.groups, start=1))):
        condition = compile_expression(grade_set.when, columns).fill_null(False)
        chosen = pl.when(condition).then(pl.lit(k, dtype=pl.Int32)).otherwise(chosen)
    return chosen


def _by_set(grading: Grading, build) -> pl.Expr:
    """`build(grades)` for the unit's grade set."""
    expr = build(grading.grades)
    for k, grade_set in enumerate(grading.groups, start=1):
        expr = pl.when(pl.col(GRADE_SET) == k).then(build(grade_set.grades)).otherwise(expr)
    return expr


def _grade(frame: pl.LazyFrame, scheme: Scheme, group: list[str], columns: set[str]) -> pl.LazyFrame:
    grading = scheme.grading
    active, score = pl.col(ACTIVE), pl.col("score")
    count = _over(active.sum(), group)

    def by_shares(grades: tuple[tuple[str, float], ...]) -> pl.Expr:
        position = pl.col("rank") / count
        grade = pl.lit(grades[-1][0])
        for name, share in reversed(grades[:-1]):
            grade = pl.when(position <= share + TOLERANCE).then(pl.lit(name)).otherwise(grade)
        return grade

    def by_thresholds(grades: tuple[tuple[str, float], ...]) -> pl.Expr:
        grade = pl.when(score >= _floor(grades[-1][1], scheme)).then(pl.lit(grades[-1][0]))
        for name, floor in reversed(grades[:-1]):
            grade = pl.when(score >= _floor(floor, scheme)).then(pl.lit(name)).otherwise(grade)
        return grade

    if grading.method == "shares":
        grade = _by_set(grading, by_shares)
    elif grading.method == "thresholds":
        grade = _by_set(grading, by_thresholds)
    else:
        grade = _two_stage(grading, group)
    frame = frame.with_columns(pl.when(active).then(grade).otherwise(pl.lit(EXCLUDED)).alias("grade"))
    frame = _apply_vetoes(frame, scheme, columns)
    return _explain_columns(frame, scheme, group)


def _floor(floor: float, scheme: Scheme) -> pl.Expr:
    """A grade's floor at the score's precision, so that 0.8999999999999999 reaches an A floor of 0.9."""
    return pl.lit(round(floor, scheme.precision) if floor != float("-inf") else floor)


def _apply_vetoes(frame: pl.LazyFrame, scheme: Scheme, columns: set[str]) -> pl.LazyFrame:
    """Every veto that applies is listed in `veto`; the grade is the harshest of the grade and the vetoes'."""
    if not scheme.vetoes:
        return frame
    active = pl.col(ACTIVE)
    names = columns | set(frame.collect_schema().names())
    applies = [active & compile_expression(v.when, names).fill_null(False) for v in scheme.vetoes]
    labels = [pl.when(a).then(pl.lit(v.label)) for a, v in zip(applies, scheme.vetoes, strict=True)]
    return frame.with_columns(
        pl.when(active).then(_harshest(scheme, pl.col("grade"), applies)).otherwise(pl.col("grade")).alias("grade"),
        pl.concat_str(labels, separator="；", ignore_nulls=True).replace("", None).alias("veto"),
    )


def _harshest(scheme: Scheme, grade: pl.Expr, applies: list[pl.Expr]) -> pl.Expr:
    """The harshest of `grade` and the grades of the vetoes that apply."""
    order = scheme.grading.order
    harshness = {name: n for n, name in enumerate(order)}
    levels = [grade.replace_strict(harshness, default=None, return_dtype=pl.Int32)]
    levels += [
        pl.when(a).then(pl.lit(harshness[v.grade], dtype=pl.Int32)) for a, v in zip(applies, scheme.vetoes, strict=True)
    ]
    return pl.max_horizontal(levels).replace_strict(dict(enumerate(order)), default=None, return_dtype=pl.String)


def _two_stage(grading: Grading, group: list[str]) -> pl.Expr:
    """Anyang 2019: A from the upper pool re-ranked on a sub-score, C from the lower pool likewise.

    Ties share the better rank everywhere: units tied on the score enter the upper pool
    together and stay out of the lower pool together; units tied on a sub-score at the line
    all get A in the upper pool and all escape C in the lower one. Counts are ⌊share · n⌋ with a
    tolerance, so 0.29 · 100 is 29.
    """
    active, score = pl.col(ACTIVE), pl.col("score")
    count = _over(active.sum(), group)
    position = _over(pl.when(active).then(score).rank("min", descending=True), group)
    grade = pl.lit(grading.default)
    for stage, upper in ((grading.bottom, False), (grading.top, True)):
        if stage is None:
            continue
        size = (stage.pool * count + TOLERANCE).floor()
        pool = (position <= size) if upper else (position > count - size)
        sub = pl.when(pool & active).then(compile_expression(stage.score))
        # The upper stage ranks its best first, ties sharing the best place; the lower ranks its worst
        # first, ties taking the last place of their run, so a tie at the line escapes the worse grade.
        sub_rank = _over(sub.rank("min", descending=True) if upper else sub.rank("max"), group)
        chosen = pool & (sub_rank <= (stage.share * count + TOLERANCE).floor())
        grade = pl.when(chosen).then(pl.lit(stage.grade)).otherwise(grade)
    return grade


def _explain_columns(frame: pl.LazyFrame, scheme: Scheme, group: list[str]) -> pl.LazyFrame:
    """For each graded unit, the next better grade and the score it lacks to reach it."""
    grading = scheme.grading
    names = list(grading.order)
    if grading.method == "two_stage" or len(names) < 1:
        frame = frame.with_columns(
            pl.lit(None, dtype=pl.String).alias("next_grade"), pl.lit(None, dtype=pl.Float64).alias("gap_to_next_grade")
        )
        return frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(to_next(i.code)) for i in scheme.indicators)
    score, grade = pl.col("score"), pl.col("grade")
    next_grade, gap = pl.lit(None, dtype=pl.String), pl.lit(None, dtype=pl.Float64)
    steps = list(itertools.pairwise(names))
    if grading.method == "thresholds":
        steps.append((names[-1], None))  # under the last grade's floor: no grade yet, the gap to the last one
    for better, worse in steps:
        if grading.method == "shares":
            bar = _over(score.filter(grade == better).min(), group)
        else:
            bar = _by_set(grading, lambda grades, better=better: pl.lit(dict(grades).get(better)))
        here = (grade == worse) if worse is not None else (pl.col(ACTIVE) & grade.is_null())
        next_grade = pl.when(here).then(pl.lit(better)).otherwise(next_grade)
        gap = pl.when(here).then((bar - score).clip(lower_bound=0.0)).otherwise(gap)
    frame = frame.with_columns(next_grade.alias("next_grade"), gap.alias("gap_to_next_grade"))
    return frame.with_columns(_to_next(scheme, i).alias(to_next(i.code)) for i in scheme.indicators)


def _others(x: pl.Expr, group: list[str], largest: bool) -> pl.Expr:
    """The largest (or smallest) value of the other units of the group: the unit's own left out."""
    top = _over(x.max() if largest else x.min(), group)
    ties = _over((x == top).sum(), group)
    rest = pl.when(x < top).then(x) if largest else pl.when(x > top).then(x)
    second = _over(rest.max() if largest else rest.min(), group)
    return pl.when((x == top) & (ties == 1)).then(second).otherwise(top)


def _needed(x: pl.Expr, target: pl.Expr, how: Normalize, cost: bool, group: list[str], code: str) -> pl.Expr | None:
    """The value whose normalised value is `target`, every other unit's value as it is; None for a method
    with no closed form (zscore, percentile, a pooled cost). Null where no value reaches `target`.

    The unit's own value enters the statistic (Σx², Σx, max, mean, Σ numerator), so each form is solved
    with it: vector x = t·√(R / (1 - t²)) with R = Σ others' x²; sum x = t·R / (1 - t); max x = t·M with
    M the others' largest; mean x = t·f·R / (k - t·f); pooled (the numerator a moves, the denominator d
    stays) a = t·f·d·A / (D - t·f·d); minmax x = lo + t·(hi - lo) over the others' range.
    """
    over = lambda e: _over(e, group)  # noqa: E731
    rest = lambda e: over(e.sum()) - e  # noqa: E731
    method, f = how.method, how.factor
    flipped = 1 - target  # vector and max score a cost as 1 - x / statistic
    if method == "vector":
        t = flipped if cost else target
        return pl.when((t >= 0) & (t < 1)).then(t * (rest(x.pow(2)) / (1 - t.pow(2))).sqrt())
    if method == "sum":
        y = 1 / x if cost else x
        solved = pl.when(target < 1).then(target * rest(y) / (1 - target))
        return pl.when(solved > 0).then(1 / solved) if cost else solved
    if method == "max":
        t = flipped if cost else target
        return pl.when((t >= 0) & (t <= 1)).then(t * _others(x, group, largest=True))
    if method in ("minmax", "linear"):
        t = (target - 0.2) / 0.8 if method == "linear" else target
        low, high = _others(x, group, largest=False), _others(x, group, largest=True)
        solved = (high - t * (high - low)) if cost else (low + t * (high - low))
        return pl.when((high > low) & (t >= 0) & (t <= 1)).then(solved)
    if method != "benchmark":
        return None
    if how.benchmark == "mean":
        k = over(x.count()).cast(pl.Float64)
        if cost:
            return pl.when(target * k > f).then(f * rest(x) / (target * k - f))
        return pl.when(k > target * f).then(target * f * rest(x) / (k - target * f))
    if how.benchmark == "pooled":
        if cost:
            return None
        known = x.is_not_null()
        a, d = pl.col(_part(code, "num")), pl.col(_part(code, "den"))
        total_a, total_d = over(pl.when(known).then(a).sum()), over(pl.when(known).then(d).sum())
        room = total_d - target * f * d
        return pl.when(room > 0).then(target * f * d * (total_a - a) / room / d)
    bar = f * how.benchmark
    return pl.when(target > 0).then(bar / target) if cost else target * bar


def _to_next(scheme: Scheme, indicator: Indicator) -> pl.Expr:
    """How much the indicator's value must change, alone, for the score to reach the next grade's bar.

    The bar is the one in `gap_to_next_grade`: a floor, or for share grading the current cut-off
    score. Null when this indicator alone cannot do it: a capped or bounded normalised value, a
    veto holding the grade, a value the unit did not report, a method with no closed form.
    """
    code = indicator.code
    how = scheme.normalize_for(indicator)
    gap, w = pl.col("gap_to_next_grade"), pl.col(weight(code))
    x = pl.col(_masked(code))
    target = pl.col(normalized(code)) + gap / w
    needed = _needed(x, target, how, indicator.cost, [scheme.group] if scheme.group else [], code)
    if needed is None or scheme.aggregate != "weighted_sum":
        return pl.lit(None, dtype=pl.Float64)
    possible = gap.is_not_null() & (w > 0) & pl.col(value(code)).is_not_null()
    if how.cap is not None:
        possible = possible & (target <= how.cap + TOLERANCE)
    if scheme.vetoes:
        possible = possible & pl.col("veto").is_null()
    change = needed - x
    return pl.when(possible & change.is_finite()).then(pl.when(gap > 0).then(change).otherwise(0.0))


def indicator_columns(scheme: Scheme) -> list[str]:
    return [name(i.code) for i in scheme.indicators for name in (value, normalized, weight, contribution)]


def referenced_columns(scheme: Scheme) -> set[str]:
    """Every input column a scheme reads, so that callers can check a file before evaluating."""
    texts = [i.value for i in scheme.indicators] + [e.when for e in scheme.exclusions + scheme.lists]
    texts += [t for a in scheme.adjustments for t in (a.when, a.value) if t]
    texts += [scheme.scope] if scheme.scope else []
    found = set().union(*(names_in(t) for t in texts)) if texts else set()
    return found | {scheme.id} | ({scheme.group} if scheme.group else set())


def numeric_columns(scheme: Scheme) -> set[str]:
    """The input columns a scheme computes with (indicator values, adjustment values): they must hold numbers."""
    texts = [i.value for i in scheme.indicators] + [a.value for a in scheme.adjustments if a.value]
    return set().union(*(names_in(t) for t in texts))


def result_columns(scheme: Scheme, result: pl.DataFrame) -> pl.DataFrame:
    """The published layout: id, score, rank, grade, then each indicator's four columns."""
    head = [scheme.id, *([LIST] if scheme.lists else []), "score", "rank"]
    head += [c for c in ("grade", STATUS, REASON, "veto", "next_grade", "gap_to_next_grade") if c in result.columns]
    return result.select(head + indicator_columns(scheme)).sort("rank", nulls_last=True)


def _previous(code: str) -> str:
    return f"_{code}.previous"


def _alone(x: pl.Expr, mine: pl.Expr, how: Normalize, cost: bool, group: list[str], parts) -> pl.Expr | None:
    """The normalised value the unit would have with the value `mine` instead of `x`, every other unit's
    value as it is (the statistic taken with `mine`); None for zscore and percentile."""
    over = lambda e: _over(e, group)  # noqa: E731
    own = x.is_not_null()
    rest = lambda e: over(e.sum()) - pl.when(own).then(e).otherwise(0.0)  # noqa: E731
    method, f = how.method, how.factor
    if method == "vector":
        ratio = _divide(mine, (rest(x.pow(2)) + mine.pow(2)).sqrt())
        scaled = 1 - ratio if cost else ratio
    elif method == "sum":
        y, z = (1 / x, 1 / mine) if cost else (x, mine)
        scaled = _divide(z, rest(y) + z)
    elif method in ("max", "minmax", "linear"):
        high = pl.max_horizontal(_others(x, group, largest=True), mine)
        if method == "max":
            ratio = _divide(mine, high)
            scaled = 1 - ratio if cost else ratio
        else:
            low = pl.min_horizontal(_others(x, group, largest=False), mine)
            spread = (high - mine) if cost else (mine - low)
            scaled = pl.when(high == low).then(pl.lit(1.0)).otherwise(spread / (high - low))
            scaled = (20 + 80 * scaled) / 100 if method == "linear" else scaled
    elif method == "benchmark":
        if how.benchmark == "mean":
            bar = f * (rest(x) + mine) / (over(x.count()) - own.cast(pl.Int64) + 1)
        elif how.benchmark == "pooled":
            (a, d), (a_mine, d_mine) = parts
            total_a, total_d = over(pl.when(own).then(a).sum()), over(pl.when(own).then(d).sum())
            bar = f * (total_a - pl.when(own).then(a).otherwise(0.0) + a_mine)
            bar = bar / (total_d - pl.when(own).then(d).otherwise(0.0) + d_mine)
        else:
            bar = pl.lit(f * how.benchmark)
        scaled = _divide(bar, mine) if cost else _divide(mine, bar)
    else:
        return None
    return scaled.clip(upper_bound=how.cap) if how.cap is not None else scaled


def _with_previous(
    frame: pl.LazyFrame, scheme: Scheme, previous: pl.DataFrame, group: list[str], grade_group: list[str], columns
) -> pl.LazyFrame:
    """`grade_with_previous`: the grade with last year's figures among this year's units.

    Each indicator is normalised as `_alone` says, weighted with this year's weight; this year's
    adjustments and vetoes hold; the grade is by the floors (thresholds) or by this year's cut-off
    scores (shares: the best grade whose lowest score it reaches). Empty when a figure of that year is
    missing, for two_stage grading, TOPSIS, zscore and percentile.
    """
    grading = scheme.grading
    names = set(previous.columns)
    pooled = [i for i in scheme.indicators if scheme.normalize_for(i).benchmark == "pooled"]
    finite = lambda e: pl.when(e.cast(pl.Float64).is_finite()).then(e.cast(pl.Float64))  # noqa: E731
    before = previous.lazy().select(
        pl.col(scheme.id),
        *(finite(compile_expression(i.value, names)).alias(_previous(i.code)) for i in scheme.indicators),
        *(
            finite(compile_expression(text, names)).alias(_previous(_part(i.code, which)))
            for i in pooled
            for which, text in zip(("num", "den"), ratio_parts(i.value), strict=True)
        ),
    )
    frame = frame.join(before.unique(scheme.id, keep="first"), on=scheme.id, how="left", maintain_order="left")
    parts = []
    for i in scheme.indicators:
        mine = pl.col(_previous(i.code))
        pair = None
        if i in pooled:
            pair = (
                (pl.col(_part(i.code, "num")), pl.col(_part(i.code, "den"))),
                (pl.col(_previous(_part(i.code, "num"))), pl.col(_previous(_part(i.code, "den")))),
            )
        scaled = _alone(pl.col(_masked(i.code)), mine, scheme.normalize_for(i), i.cost, group, pair)
        parts.append(None if scaled is None else pl.col(weight(i.code)) * scaled)
    dropped = [_previous(i.code) for i in scheme.indicators]
    dropped += [_previous(_part(i.code, w)) for i in pooled for w in ("num", "den")]
    if grading.method == "two_stage" or scheme.aggregate != "weighted_sum" or any(p is None for p in parts):
        return frame.with_columns(pl.lit(None, dtype=pl.String).alias("grade_with_previous")).drop(dropped)
    score = (pl.sum_horizontal(parts) + _adjustments(scheme, columns)).round(scheme.precision)
    score = pl.when(pl.col(ACTIVE) & pl.all_horizontal(p.is_not_null() for p in parts)).then(score)
    if grading.method == "thresholds":

        def build(grades):
            grade = pl.when(score >= _floor(grades[-1][1], scheme)).then(pl.lit(grades[-1][0]))
            for name, floor in reversed(grades[:-1]):
                grade = pl.when(score >= _floor(floor, scheme)).then(pl.lit(name)).otherwise(grade)
            return grade

        grade = _by_set(grading, build)
    else:
        grade = pl.lit(grading.order[-1])
        for name in reversed(grading.order[:-1]):
            cut = _over(pl.col("score").filter(pl.col("grade") == name).min(), grade_group)
            grade = pl.when(cut.is_not_null() & (score >= cut)).then(pl.lit(name)).otherwise(grade)
    grade = pl.when(score.is_not_null()).then(grade)
    if scheme.vetoes:
        names = columns | set(frame.collect_schema().names())
        applies = [pl.col(ACTIVE) & compile_expression(v.when, names).fill_null(False) for v in scheme.vetoes]
        grade = pl.when(grade.is_not_null()).then(_harshest(scheme, grade, applies))
    return frame.with_columns(grade.alias("grade_with_previous")).drop(dropped)
