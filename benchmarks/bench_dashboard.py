"""Time the leaders' dashboard and the monthly bulletin on the demo province, as each role sees them.

python benchmarks/bench_dashboard.py [--runs 5]

Loads the province demo into a fresh SQLite database in a temporary directory, then
requests /dashboard/ and /monitoring/bulletin.docx through Django's test client (the whole
view: queries, Polars, template) and prints the median of `--runs` requests per role.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "JIJU_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        jiju = [sys.executable, "-m", "jiju"]
        subprocess.run([*jiju, "migrate", "--noinput"], env=env, check=True, capture_output=True)
        subprocess.run([*jiju, "demo"], env=env, check=True, capture_output=True)
        os.environ.update(JIJU_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="jiju.web.settings")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.test import Client

        for username in ("province", "zhengzhou", "zzetdz", "leader"):
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            for url in ("/dashboard/", "/monitoring/bulletin.docx"):
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 200, (username, url, response.status_code)
                print(f"{username:10s} {url:28s} median {statistics.median(times) * 1000:6.0f} ms over {args.runs}")


if __name__ == "__main__":
    main()
