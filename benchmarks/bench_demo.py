"""Time `jiju demo` (migrate + the province demo) on a fresh SQLite database; print one line per run.

python benchmarks/bench_demo.py [--scale national] [--runs 3]
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


def run_once(scale: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "JIJU_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        jiju = [sys.executable, "-m", "jiju"]
        started = time.perf_counter()
        subprocess.run([*jiju, "migrate", "--noinput"], env=env, check=True, capture_output=True)
        migrated = time.perf_counter()
        subprocess.run([*jiju, "demo", "--scale", scale], env=env, check=True, capture_output=True)
        return migrated - started, time.perf_counter() - migrated


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["province", "national"], default="province")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    loads = []
    for run in range(1, args.runs + 1):
        migrate, load = run_once(args.scale)
        loads.append(load)
        print(f"run {run}: migrate {migrate:.1f} s, demo --scale {args.scale} {load:.1f} s")
    print(f"median demo load: {statistics.median(loads):.1f} s over {len(loads)} runs ({Path.cwd().name})")


if __name__ == "__main__":
    main()
