from __future__ import annotations

import time

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from jiju.evaluation import engine, files
from jiju.evaluation.expressions import ExpressionError
from jiju.evaluation.scheme import SchemeError, load


class Command(BaseCommand):
    help = "按评价方案（TOML）评价数据文件（.csv/.xlsx/.parquet），写出得分、排名、等级和各指标明细；不需要数据库"

    def add_arguments(self, parser):
        parser.add_argument("scheme", help="评价方案 .toml")
        parser.add_argument("data", help="数据文件 .csv、.xlsx 或 .parquet")
        parser.add_argument("-o", "--output", required=True, help="结果文件 .csv、.xlsx 或 .parquet")

    def handle(self, *args, scheme, data, output, **options):
        started = time.perf_counter()
        try:
            plan = load(scheme)
            units, notes = files.read_units(data, text_columns={plan.id}, numeric_columns=engine.numeric_columns(plan))
            missing = engine.referenced_columns(plan) - set(units.columns)
            if missing:
                raise CommandError(f"数据文件缺少方案所需的列：{'、'.join(sorted(missing))}")
            result = engine.evaluate(plan, units)
        except (SchemeError, ExpressionError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        except pl.exceptions.PolarsError:
            raise CommandError(
                "无法按方案计算：请检查方案表达式所用的列是否都是数字或文字，比较的两边类型是否一致"
            ) from None
        for note in notes[: files.SHOWN_NOTES]:
            self.stdout.write(f"提示：{note}")
        if len(notes) > files.SHOWN_NOTES:
            self.stdout.write(f"提示：另有 {len(notes) - files.SHOWN_NOTES} 个单元格不是数字，按缺失处理")
        files.write_results(engine.result_columns(plan, result), output)
        graded = result["grade"].value_counts().sort("grade") if "grade" in result.columns else None
        self.stdout.write(
            f"已评价 {result.height} 个单位，用时 {time.perf_counter() - started:.2f} 秒，结果写入 {output}"
        )
        if graded is not None:
            self.stdout.write("等级分布：" + "，".join(f"{g} {n}" for g, n in graded.iter_rows()))
