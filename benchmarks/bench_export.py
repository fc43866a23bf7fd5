"""Peak memory of a list export as the rows grow: the .xlsx and the .csv must stay flat.

python benchmarks/bench_export.py [--rows 500000]

Streams `--rows` generated enterprise-like records through `jiju.platform.files.export` (the
function every list page's export calls) and reads the whole response, as a download would;
prints the peak of Python allocations (tracemalloc) for a tenth of the rows and for all of them.
A writer that kept the rows (or the workbook) in memory shows a peak ten times larger.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
import tracemalloc
from types import SimpleNamespace


def records(count: int):
    for n in range(count):
        yield SimpleNamespace(
            code=f"91410100{n:010d}",
            name=f"郑州测试汽车零部件有限公司{n}",
            zone="郑州经济技术开发区",
            revenue=n * 1.5,
            start=dt.date(2015, 1 + n % 12, 1),
        )


def peak(count: int, filename: str) -> tuple[int, int]:
    from jiju.platform import files
    from jiju.platform.tables import Col

    columns = [
        Col("code", "统一社会信用代码", lambda r: r.code),
        Col("name", "企业名称", lambda r: r.name),
        Col("zone", "所在开发区", lambda r: r.zone),
        Col("revenue", "营业收入(万元)", lambda r: r.revenue),
        Col("start", "投产日期", lambda r: r.start),
    ]
    tracemalloc.start()
    response = files.export(columns, records(count), "企业", filename)
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiju.web.settings")
    os.environ.setdefault("JIJU_DEBUG", "1")
    import django

    django.setup()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    for filename in ("企业.xlsx", "企业.csv"):
        for count in (args.rows // 10, args.rows):
            top, size = peak(count, filename)
            print(f"{filename:10s} {count:>9,} rows  file {size / 1e6:7.1f} MB  peak memory {top / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
