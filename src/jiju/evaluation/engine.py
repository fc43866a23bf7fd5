"""Evaluate units (enterprises or zones) by a scheme: one lazy Polars plan, frames in and out.

Steps, each an expression over the whole frame (partitioned with `.over()` where
a scheme groups units): values -> scope and class T -> normalisation -> missing
values -> weights -> aggregation -> adjustments -> rank -> grade -> vetoes ->
explanation columns. The formulas are documented in docs/schemes.md.
"""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl

from jiju.evaluation.expressions import compile_expression, names_in
from jiju.evaluation.scheme import EXCLUDED, Indicator, Normalize, Scheme, SchemeError

ACTIVE, REASON = "_active", "excluded_reason"
# Saaty's random consistency index by matrix order.
RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)


def _over(expr: pl.Expr, group: list[str]) -> pl.Expr:
    return expr.over(group) if group else expr


def value(code: str) -> str:
    return f"{code}.value"


def _masked(code: str) -> str:
    """The value seen by the statistics of a step: null outside the evaluated units."""
    return f"_{code}.masked"


def normalized(code: str) -> str:
    return f"{code}.normalized"


def weight(code: str) -> str:
    return f"{code}.weight"


def contribution(code: str) -> str:
    return f"{code}.contribution"


def normalize_expr(x: pl.Expr, how: Normalize, cost: bool, group: list[str]) -> pl.Expr:
    """The normalised value of `x` (already null outside the evaluated units), higher is better."""
    over = lambda e: _over(e, group)  # noqa: E731
    method = how.method
    if method == "vector":
        ratio = x / over(x.pow(2).sum().sqrt())
        return 1 - ratio if cost else ratio
    if method == "sum":
        return over((1 / x) / (1 / x).sum()) if cost else x / over(x.sum())
    if method == "max":
        ratio = x / over(x.max())
        return 1 - ratio if cost else ratio
    if method in ("minmax", "linear"):
        low, high = over(x.min()), over(x.max())
        spread = (high - x) if cost else (x - low)
        scaled = pl.when(high == low).then(pl.lit(1.0)).otherwise(spread / (high - low))
        scaled = pl.when(x.is_null()).then(None).otherwise(scaled)
        return (20 + 80 * scaled) / 100 if method == "linear" else scaled
    if method == "benchmark":
        bar = how.factor * over(x.mean()) if how.benchmark == "mean" else pl.lit(how.factor * how.benchmark)
        ratio = bar / x if cost else x / bar
        return ratio.clip(upper_bound=how.cap) if how.cap is not None else ratio
    if method == "zscore":
        sigma = over(x.std(ddof=0))
        z = pl.when(sigma > 0).then((x - over(x.mean())) / sigma).otherwise(pl.when(x.is_not_null()).then(0.0))
        return -z if cost else z
    if method == "percentile":
        ranked = (-x if cost else x).rank("max")
        return over(ranked) / over(x.count())
    raise SchemeError(f"标准化方法“{method}”不支持")


def ahp_weights(matrix: tuple[tuple[float, ...], ...]) -> tuple[np.ndarray, float]:
    """Principal eigenvector of the pairwise matrix (summing to 1) and Saaty's consistency ratio."""
    a = np.asarray(matrix, dtype=float)
    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, k].real)
    n = len(a)
    ci = (eigenvalues[k].real - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n] if n < len(RANDOM_INDEX) else RANDOM_INDEX[-1]
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


def _computed_weights(frame: pl.LazyFrame, scheme: Scheme, group: list[str]) -> pl.LazyFrame:
    """Entropy or CRITIC weights, one row per group, from group aggregates (no per-row windows).

    Entropy (Xu 2004; pyrepo-mcda, pymcdm): p = |x| / Σ|x|, e = -Σ p ln p / ln n, d = 1 - e,
    and Σ p ln p = Σ|x| ln|x| / Σ|x| - ln Σ|x|. CRITIC (Diakoulaki et al. 1995): values min-max
    scaled as benefits (an affine map, so correlations are those of the raw values), population
    standard deviation, C = σ Σ(1 - r), the weight C / ΣC.
    """
    codes = [i.code for i in scheme.indicators]
    stats = []
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
            1 + (pl.col(f"l{c}") / pl.col(f"s{c}") - pl.col(f"s{c}").log()) / pl.col(f"n{c}").cast(pl.Float64).log()
            for c in codes
        ]
    else:
        divergence = [
            pl.when(pl.col(f"r{c}") > 0).then(pl.col(f"sd{c}") / pl.col(f"r{c}")).otherwise(0.0)
            * pl.sum_horizontal(1 - pl.col(f"c{c}|{k}").fill_nan(0.0).fill_null(0.0) for k in codes if k != c)
            for c in codes
        ]
    total = pl.sum_horizontal(divergence)
    return table.select(
        *group, *((d / total * scheme.weight_total).alias(weight(c)) for c, d in zip(codes, divergence, strict=True))
    )


def evaluate(
    scheme: Scheme, data: pl.DataFrame | pl.LazyFrame, weight_factors: dict[str, float] | None = None
) -> pl.DataFrame:
    """Score, rank and grade every unit in scope; units set aside get grade T and the reason.

    `weight_factors` multiply the scheme's weights (given or computed), for sensitivity runs.
    """
    frame = data.lazy()
    columns = set(frame.collect_schema().names())
    if scheme.id not in columns:
        raise SchemeError(f"数据中没有单位标识列“{scheme.id}”")
    group = [scheme.group] if scheme.group else []
    grade_group = [scheme.grading.group] if scheme.grading and scheme.grading.group else group
    for column in group + grade_group:
        if column not in columns:
            raise SchemeError(f"数据中没有分组列“{column}”")

    compiled = {i.code: compile_expression(i.value, columns) for i in scheme.indicators}
    frame = frame.with_columns(
        pl.when(e.cast(pl.Float64).is_finite()).then(e.cast(pl.Float64)).otherwise(None).alias(value(code))
        for code, e in compiled.items()
    )
    if scheme.scope:
        frame = frame.filter(compile_expression(scheme.scope, columns))
    frame = frame.with_columns(_reason(scheme, columns).alias(REASON))
    frame = frame.with_columns(pl.col(REASON).is_null().alias(ACTIVE))

    active = pl.col(ACTIVE)
    frame = frame.with_columns(
        pl.when(active)
        .then(pl.col(value(i.code)).fill_null(0.0) if scheme.missing_for(i) == "zero" else pl.col(value(i.code)))
        .alias(_masked(i.code))
        for i in scheme.indicators
    )
    frame = frame.with_columns(
        normalize_expr(pl.col(_masked(i.code)), scheme.normalize_for(i), i.cost, group).alias(normalized(i.code))
        for i in scheme.indicators
    )
    # A separate step: the means below must read the finished column, not re-window its statistics.
    frame = frame.with_columns(
        _fill_missing(scheme, i, pl.col(normalized(i.code)), grade_group).alias(normalized(i.code))
        for i in scheme.indicators
    )
    frame = _add_weights(frame, scheme, group, weight_factors)
    frame = frame.with_columns(
        (pl.col(weight(i.code)) * pl.col(normalized(i.code))).alias(contribution(i.code)) for i in scheme.indicators
    )
    frame = frame.with_columns(_score(scheme, group).alias("base_score"))
    frame = frame.with_columns((pl.col("base_score") + _adjustments(scheme, columns)).alias("score"))
    frame = frame.with_columns(
        pl.when(active).then(_over(pl.col("score").rank("min", descending=True), grade_group)).alias("rank")
    )
    if scheme.grading is not None:
        frame = _grade(frame, scheme, grade_group, columns)
    return frame.drop(ACTIVE, *(_masked(i.code) for i in scheme.indicators)).collect()


def _add_weights(
    frame: pl.LazyFrame, scheme: Scheme, group: list[str], factors: dict[str, float] | None
) -> pl.LazyFrame:
    """Weight columns, each multiplied by its factor when a sensitivity run draws some."""
    active = pl.col(ACTIVE)
    factor = {i.code: float((factors or {}).get(i.code, 1.0)) for i in scheme.indicators}
    if scheme.weighting in ("entropy", "critic"):
        table = _computed_weights(frame, scheme, group)
        frame = (
            frame.join(table, on=group, how="left", maintain_order="left")
            if group
            else frame.join(table, how="cross", maintain_order="left")
        )
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


def _fill_missing(scheme: Scheme, indicator: Indicator, expr: pl.Expr, grade_group: list[str]) -> pl.Expr:
    how = scheme.missing_for(indicator)
    if how not in ("mean_score", "group_mean_score"):
        return expr
    mean = expr.mean()
    mean = _over(mean, grade_group) if how == "group_mean_score" else mean.over(pl.col(ACTIVE))
    return pl.when(pl.col(ACTIVE)).then(expr.fill_null(mean)).otherwise(None)


def _score(scheme: Scheme, group: list[str]) -> pl.Expr:
    parts = [pl.col(contribution(i.code)) for i in scheme.indicators]
    if scheme.aggregate == "weighted_sum":
        return pl.sum_horizontal(parts).fill_null(0.0).pipe(lambda s: pl.when(pl.col(ACTIVE)).then(s))
    best = [(p - _over(p.max(), group)).pow(2) for p in parts]
    worst = [(p - _over(p.min(), group)).pow(2) for p in parts]
    d_best, d_worst = pl.sum_horizontal(best).sqrt(), pl.sum_horizontal(worst).sqrt()
    closeness = pl.when(d_best + d_worst == 0).then(pl.lit(0.5)).otherwise(d_worst / (d_best + d_worst))
    return pl.when(pl.col(ACTIVE)).then(closeness)


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


def _grade(frame: pl.LazyFrame, scheme: Scheme, group: list[str], columns: set[str]) -> pl.LazyFrame:
    grading = scheme.grading
    active, score = pl.col(ACTIVE), pl.col("score")
    count = _over(active.sum(), group)
    if grading.method == "shares":
        position = pl.col("rank") / count
        grade = pl.lit(grading.grades[-1][0])
        for name, share in reversed(grading.grades[:-1]):
            grade = pl.when(position <= share + 1e-12).then(pl.lit(name)).otherwise(grade)
    elif grading.method == "thresholds":
        grade = pl.lit(grading.grades[-1][0])
        for name, floor in reversed(grading.grades[:-1]):
            grade = pl.when(score >= floor).then(pl.lit(name)).otherwise(grade)
    else:
        grade = _two_stage(frame, grading, group)
    frame = frame.with_columns(pl.when(active).then(grade).otherwise(pl.lit(EXCLUDED)).alias("grade"))
    for veto in scheme.vetoes:
        names = columns | {c for c in frame.collect_schema().names()}
        condition = compile_expression(veto.when, names).fill_null(False)
        frame = frame.with_columns(
            pl.when(active & condition).then(pl.lit(veto.grade)).otherwise(pl.col("grade")).alias("grade"),
            pl.when(active & condition).then(pl.lit(veto.label)).otherwise(None).alias("veto"),
        )
    return _explain_columns(frame, scheme, group)


def _two_stage(frame: pl.LazyFrame, grading, group: list[str]) -> pl.Expr:
    """Anyang 2019: A from the upper pool re-ranked on a sub-score, C from the lower pool likewise."""
    active, score = pl.col(ACTIVE), pl.col("score")
    count = _over(active.sum(), group)
    position = _over(score.rank("ordinal", descending=True), group)
    grade = pl.lit(grading.default)
    for stage, upper in ((grading.bottom, False), (grading.top, True)):
        if stage is None:
            continue
        pool = (position <= stage.pool * count) if upper else (position > count - stage.pool * count)
        sub = compile_expression(stage.score)
        sub_rank = _over(pl.when(pool & active).then(sub).rank("ordinal", descending=upper), group)
        chosen = pool & (sub_rank <= (stage.share * count).floor())
        grade = pl.when(chosen).then(pl.lit(stage.grade)).otherwise(grade)
    return grade


def _explain_columns(frame: pl.LazyFrame, scheme: Scheme, group: list[str]) -> pl.LazyFrame:
    """For each graded unit, the next better grade and the score it lacks to reach it."""
    grading = scheme.grading
    names = [g for g, _ in grading.grades]
    if grading.method == "two_stage" or len(names) < 2:
        return frame.with_columns(
            pl.lit(None, dtype=pl.String).alias("next_grade"), pl.lit(None, dtype=pl.Float64).alias("gap_to_next_grade")
        )
    score, grade = pl.col("score"), pl.col("grade")
    next_grade, gap = pl.lit(None, dtype=pl.String), pl.lit(None, dtype=pl.Float64)
    for better, worse in itertools.pairwise(names):
        if grading.method == "shares":
            bar = _over(score.filter(grade == better).min(), group)
        else:
            bar = pl.lit(dict(grading.grades)[better])
        next_grade = pl.when(grade == worse).then(pl.lit(better)).otherwise(next_grade)
        gap = pl.when(grade == worse).then((bar - score).clip(lower_bound=0.0)).otherwise(gap)
    return frame.with_columns(next_grade.alias("next_grade"), gap.alias("gap_to_next_grade"))


def indicator_columns(scheme: Scheme) -> list[str]:
    return [name(i.code) for i in scheme.indicators for name in (value, normalized, weight, contribution)]


def referenced_columns(scheme: Scheme) -> set[str]:
    """Every input column a scheme reads, so that callers can check a file before evaluating."""
    texts = [i.value for i in scheme.indicators] + [e.when for e in scheme.exclusions]
    texts += [t for a in scheme.adjustments for t in (a.when, a.value) if t]
    texts += [scheme.scope] if scheme.scope else []
    found = set().union(*(names_in(t) for t in texts)) if texts else set()
    return found | {scheme.id} | ({scheme.group} if scheme.group else set())


def result_columns(scheme: Scheme, result: pl.DataFrame) -> pl.DataFrame:
    """The published layout: id, score, rank, grade, then each indicator's four columns."""
    head = [scheme.id, "score", "rank"]
    head += [c for c in ("grade", "excluded_reason", "veto", "next_grade", "gap_to_next_grade") if c in result.columns]
    return result.select(head + indicator_columns(scheme)).sort("rank", nulls_last=True)
