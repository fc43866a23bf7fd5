"""`jiju evaluate SCHEME DATA -o OUT`: a scheme over a file, with no database and no Django.

The console script dispatches here before Django is set up, so the command starts with
Polars alone; the management command of the same name calls `run` too.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import polars as pl

from jiju.evaluation import engine, files
from jiju.evaluation.expressions import ExpressionError
from jiju.evaluation.scheme import SchemeError, load

HELP = "按评价方案（TOML）评价数据文件（.csv/.xlsx/.parquet），写出得分、排名、等级和各指标明细；不需要数据库"


class EvaluateError(ValueError):
    """What stops an evaluation of files, said in Chinese."""


def run(scheme: str, data: str, output: str, say: Callable[[str], None]) -> pl.DataFrame:
    """Evaluate `data` by `scheme` and write the published layout to `output`; `say` gets each line to show."""
    started = time.perf_counter()
    try:
        plan = load(scheme)
        units, notes = files.read_units(data, text_columns={plan.id}, numeric_columns=engine.numeric_columns(plan))
        missing = engine.referenced_columns(plan) - set(units.columns)
        if missing:
            raise EvaluateError(f"数据文件缺少方案所需的列：{'、'.join(sorted(missing))}")
        result = engine.evaluate(plan, units)
        files.write_results(engine.result_columns(plan, result), output)
    except (SchemeError, ExpressionError, ValueError) as exc:
        raise EvaluateError(str(exc)) from None
    except pl.exceptions.PolarsError:
        raise EvaluateError(
            "无法按方案计算：请检查方案表达式所用的列是否都是数字或文字，比较的两边类型是否一致"
        ) from None
    except OSError as exc:
        raise EvaluateError(f"无法读写文件：{exc.filename or data}") from None
    for note in notes[: files.SHOWN_NOTES]:
        say(f"提示：{note}")
    if len(notes) > files.SHOWN_NOTES:
        say(f"提示：另有 {len(notes) - files.SHOWN_NOTES} 个单元格不是数字，按缺失处理")
    say(f"已评价 {result.height} 个单位，用时 {time.perf_counter() - started:.2f} 秒，结果写入 {output}")
    if "grade" in result.columns:
        graded = result["grade"].value_counts().sort("grade")
        say("等级分布：" + "，".join(f"{g} {n}" for g, n in graded.iter_rows()))
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scheme", help="评价方案 .toml")
    parser.add_argument("data", help="数据文件 .csv、.xlsx 或 .parquet")
    parser.add_argument("-o", "--output", required=True, help="结果文件 .csv、.xlsx 或 .parquet")


def main(argv: list[str]) -> int:
    """The console entry: exit status 0, or 1 with the reason on stderr (never a traceback)."""
    parser = argparse.ArgumentParser(prog="jiju evaluate", description=HELP)
    add_arguments(parser)
    arguments = parser.parse_args(argv)
    try:
        run(arguments.scheme, arguments.data, arguments.output, print)
    except EvaluateError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0
