"""The evaluation engine at national scale, against pymcdm and a single DuckDB query.

500,000 enterprises, 6 benefit indicators, 40 sector groups: entropy weights and TOPSIS
(vector normalisation) computed within each sector, ranked and graded by shares within it,
with the explanation columns (next grade and the gap to it). Prints the median wall time
of 5 runs of each and the ratios.

Then the whole process: `jiju evaluate SCHEME units.parquet -o out.parquet` in a fresh
process against a fresh Python process running the same work as one DuckDB query
(read the parquet, score, rank, grade, the explanation and each indicator's value,
normalised value, weight and contribution, sorted by rank, written to parquet), the two
alternating, median of `--runs` each, and the ratio measured in the same run.

    python benchmarks/bench_evaluation.py [--units 500000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from jiju.evaluation.engine import evaluate
from jiju.evaluation.scheme import loads

INDICATORS = 6
SCHEME = "\n".join(
    [
        'name = "bench"',
        'id = "credit_code"',
        'group = "sector"',
        "precision = 12  # compared with pymcdm and DuckDB to 1e-9",
        '[normalize]\nmethod = "vector"',
        '[weights]\nmethod = "entropy"',
        '[aggregate]\nmethod = "topsis"',
        *(f'[[indicators]]\ncode = "x{j}"\nlabel = "x{j}"\nvalue = "x{j}"' for j in range(INDICATORS)),
        '[grading]\nmethod = "shares"\ngroup = "sector"\ngrades = [["A", 0.2], ["B", 0.6], ["C", 0.95], ["D", 1.0]]',
    ]
)


def make_data(units: int, groups: int, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    data = {"credit_code": [f"U{i:07d}" for i in range(units)], "sector": rng.integers(0, groups, units)}
    for j in range(INDICATORS):
        data[f"x{j}"] = rng.lognormal(mean=2 + j * 0.3, sigma=0.8 + 0.1 * j, size=units)
    return pl.DataFrame(data)


def run_engine(frame: pl.DataFrame) -> pl.DataFrame:
    return evaluate(loads(SCHEME), frame)


def run_pymcdm(frame: pl.DataFrame) -> dict:
    from pymcdm import normalizations, weights
    from pymcdm.methods import TOPSIS

    topsis = TOPSIS(normalization_function=normalizations.vector_normalization)
    scores = {}
    for (sector,), part in frame.partition_by("sector", as_dict=True).items():
        matrix = part.select(f"x{j}" for j in range(INDICATORS)).to_numpy()
        w = weights.entropy_weights(matrix)
        scores[sector] = topsis(matrix, w, np.ones(INDICATORS))
    return scores


def duckdb_query(source: str = "units", layout: bool = False) -> str:
    """The engine's work as one query; `layout` adds the published per-indicator columns, sorted by rank."""
    cols = [f"x{j}" for j in range(INDICATORS)]
    sums = ", ".join(f"sum({c}) OVER g AS s_{c}, sqrt(sum({c} * {c}) OVER g) AS n_{c}" for c in cols)
    plogp = ", ".join(f"sum(({c} / s_{c}) * ln({c} / s_{c})) OVER g AS e_{c}" for c in cols)
    div = ", ".join(f"1 + e_{c} / ln(count(*) OVER g) AS d_{c}" for c in cols)
    total = " + ".join(f"d_{c}" for c in cols)
    weighted = ", ".join(f"d_{c} / ({total}) * {c} / n_{c} AS v_{c}" for c in cols)
    ideal = ", ".join(f"max(v_{c}) OVER g AS hi_{c}, min(v_{c}) OVER g AS lo_{c}" for c in cols)
    d_plus = " + ".join(f"(v_{c} - hi_{c}) ** 2" for c in cols)
    d_minus = " + ".join(f"(v_{c} - lo_{c}) ** 2" for c in cols)
    window = "WINDOW g AS (PARTITION BY sector)"
    columns = "".join(
        f', {c} AS "{c}.value", {c} / n_{c} AS "{c}.normalized", '
        f'd_{c} / ({total}) AS "{c}.weight", v_{c} AS "{c}.contribution"'
        for c in cols
    )
    columns, order = (columns, "ORDER BY rnk") if layout else ("", "")
    return f"""
    WITH a AS (SELECT *, {sums} FROM {source} {window}),
         b AS (SELECT *, {plogp} FROM a {window}),
         c AS (SELECT *, {div} FROM b {window}),
         d AS (SELECT *, {weighted} FROM c),
         e AS (SELECT *, {ideal} FROM d {window}),
         f AS (SELECT *, sqrt({d_minus}) / (sqrt({d_plus}) + sqrt({d_minus})) AS score FROM e),
         r AS (SELECT *, rank() OVER (PARTITION BY sector ORDER BY score DESC) AS rnk,
                      count(*) OVER (PARTITION BY sector) AS n FROM f),
         gr AS (SELECT *, CASE WHEN rnk / n <= 0.2 THEN 'A' WHEN rnk / n <= 0.6 THEN 'B'
                               WHEN rnk / n <= 0.95 THEN 'C' ELSE 'D' END AS grade FROM r),
         bar AS (SELECT *, min(score) FILTER (WHERE grade = 'A') OVER (PARTITION BY sector) AS bar_a,
                           min(score) FILTER (WHERE grade = 'B') OVER (PARTITION BY sector) AS bar_b,
                           min(score) FILTER (WHERE grade = 'C') OVER (PARTITION BY sector) AS bar_c FROM gr)
    SELECT credit_code, sector, score, rnk, grade,
           CASE grade WHEN 'B' THEN 'A' WHEN 'C' THEN 'B' WHEN 'D' THEN 'C' END AS next_grade,
           greatest(CASE grade WHEN 'B' THEN bar_a WHEN 'C' THEN bar_b WHEN 'D' THEN bar_c END - score, 0) AS gap
           {columns}
    FROM bar {order}
    """


def timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=500_000)
    parser.add_argument("--groups", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    frame = make_data(args.units, args.groups)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"polars {pl.__version__}, {time.strftime('%Y-%m-%d')}"
    )
    print(f"{args.units:,} units, {INDICATORS} indicators, {args.groups} sector groups, median of {args.runs} runs")

    engine_time, result = timed(lambda: run_engine(frame), args.runs)
    pymcdm_time, reference = timed(lambda: run_pymcdm(frame), args.runs)
    import duckdb

    connection = duckdb.connect()
    with tempfile.TemporaryDirectory() as folder:
        frame.write_parquet(f"{folder}/units.parquet")
        connection.execute(f"CREATE TABLE units AS SELECT * FROM read_parquet('{folder}/units.parquet')")
    query = duckdb_query()
    duck_time, duck = timed(lambda: pl.DataFrame(connection.sql(query).fetchnumpy()), args.runs)

    # The three compute the same scores: check before comparing times.
    first = next(iter(reference))
    ours = result.filter(pl.col("sector") == first).sort("credit_code")["score"].to_numpy()
    theirs = reference[first]
    order = np.argsort(frame.filter(pl.col("sector") == first)["credit_code"].to_numpy())
    np.testing.assert_allclose(ours, theirs[order], atol=1e-9)
    joined = result.join(duck, on="credit_code")
    np.testing.assert_allclose(joined["score"], joined["score_right"], atol=1e-9)
    assert (joined["grade"] == joined["grade_right"]).all()
    np.testing.assert_allclose(joined["gap_to_next_grade"].fill_null(0), joined["gap"].fill_null(0), atol=1e-9)

    print(f"jiju engine : {engine_time:.3f} s")
    print(f"pymcdm      : {pymcdm_time:.3f} s  (engine is {pymcdm_time / engine_time:.1f}x faster)")
    print(f"duckdb query: {duck_time:.3f} s  (engine / duckdb = {engine_time / duck_time:.2f})")
    whole_process(frame, args.runs)


def whole_process(frame: pl.DataFrame, runs: int) -> None:
    """`jiju evaluate` as a fresh process against a fresh process running the DuckDB query, alternating."""
    jiju = Path(sys.executable).with_name("jiju")
    with tempfile.TemporaryDirectory() as folder:
        units, scheme = f"{folder}/units.parquet", f"{folder}/scheme.toml"
        frame.write_parquet(units)
        Path(scheme).write_text(SCHEME, encoding="utf-8")
        query = duckdb_query(f"read_parquet('{units}')", layout=True)
        Path(f"{folder}/duck.sql").write_text(f"COPY ({query}) TO '{folder}/duck.parquet' (FORMAT parquet)")
        duck = "import sys, duckdb; duckdb.connect().execute(open(sys.argv[1]).read())"
        commands = {
            "jiju": [str(jiju), "evaluate", scheme, units, "-o", f"{folder}/out.parquet"],
            "duckdb": [sys.executable, "-c", duck, f"{folder}/duck.sql"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                started = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True)
                times[name].append(time.perf_counter() - started)
        ours, theirs = pl.read_parquet(f"{folder}/out.parquet"), pl.read_parquet(f"{folder}/duck.parquet")
        assert ours.columns[:3] == ["credit_code", "score", "rank"] and ours.height == theirs.height
        joined = ours.join(theirs, on="credit_code")
        np.testing.assert_allclose(joined["score"], joined["score_right"], atol=1e-9)
        assert (joined["grade"] == joined["grade_right"]).all()
    jiju_time, duck_time = (statistics.median(times[n]) for n in ("jiju", "duckdb"))
    print(f"whole process, parquet in and out, median of {runs} alternating runs:")
    print(f"jiju evaluate : {jiju_time:.3f} s")
    print(f"duckdb process: {duck_time:.3f} s  (jiju / duckdb = {jiju_time / duck_time:.2f}, target < 1.0)")


if __name__ == "__main__":
    main()
