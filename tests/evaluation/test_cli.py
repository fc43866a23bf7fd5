"""`jiju evaluate SCHEME DATA -o OUT` works on files alone, in every format it promises."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.evaluation.test_shipped_schemes import SCHEMES, huangyan_firm

# No DJANGO_SETTINGS_MODULE, no secret key: the pure command must need neither.
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "JIJU"))}


@pytest.fixture
def firms() -> pl.DataFrame:
    rows = [huangyan_firm("914403001922038216", 1.0), huangyan_firm("91350100M000100Y43", 0.5)]
    return pl.DataFrame(rows)


@pytest.mark.parametrize("out_suffix", [".csv", ".xlsx", ".parquet"])
def test_evaluate_csv_in_gbk_to_every_output(tmp_path, firms, out_suffix):
    data = tmp_path / "企业数据.csv"
    data.write_bytes(firms.write_csv().encode("gbk"))
    out = tmp_path / f"结果{out_suffix}"
    stdout = io.StringIO()
    call_command("evaluate", str(SCHEMES / "huangyan_2021_above.toml"), str(data), "-o", str(out), stdout=stdout)
    assert "已评价 2 个单位" in stdout.getvalue()
    if out_suffix == ".xlsx":
        rows = list(load_workbook(out).active.iter_rows(values_only=True))
        header, first = rows[0], rows[1]
        result = dict(zip(header, first, strict=True))
    else:
        frame = pl.read_parquet(out) if out_suffix == ".parquet" else pl.read_csv(out, infer_schema=False)
        result = frame.row(0, named=True)
    assert str(result["credit_code"]) == "914403001922038216"  # a code of digits stays text
    assert float(result["score"]) == pytest.approx(100.0)
    assert int(result["rank"]) == 1
    for column in ("tax_per_mu.value", "tax_per_mu.normalized", "tax_per_mu.weight", "tax_per_mu.contribution"):
        assert column in result


def test_evaluate_reads_xlsx_and_parquet(tmp_path, firms):
    scheme = str(SCHEMES / "huangyan_2021_above.toml")
    firms.write_excel(tmp_path / "in.xlsx")
    firms.write_parquet(tmp_path / "in.parquet")
    for name in ("in.xlsx", "in.parquet"):
        call_command("evaluate", scheme, str(tmp_path / name), "-o", str(tmp_path / "out.csv"), stdout=io.StringIO())
        assert pl.read_csv(tmp_path / "out.csv")["score"].to_list() == pytest.approx([100.0, 50.0])


def test_missing_columns_are_named(tmp_path, firms):
    data = tmp_path / "a.csv"
    data.write_text(firms.drop("tax", "rd").write_csv(), encoding="utf-8")  # scale, land_mu... are there
    with pytest.raises(CommandError, match="缺少方案所需的列：rd、tax"):
        call_command("evaluate", str(SCHEMES / "huangyan_2021_above.toml"), str(data), "-o", str(tmp_path / "o.csv"))


def test_the_console_command_runs_without_django(tmp_path, firms):
    data, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    firms.write_parquet(data)
    scheme = str(SCHEMES / "huangyan_2021_above.toml")
    probe = (
        "import sys\nfrom jiju import cli\n"
        f"try:\n    cli.main(['evaluate', {scheme!r}, {str(data)!r}, '-o', {str(out)!r}])\n"
        "except SystemExit as exit:\n    print('exit', exit.code)\n"
        "print('django loaded' if any(m.split('.')[0] == 'django' for m in sys.modules) else 'no django')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=CLEAN_ENV, check=False)
    assert done.stdout.splitlines()[-2:] == ["exit 0", "no django"], done.stderr
    assert "已评价 2 个单位" in done.stdout
    assert pl.read_parquet(out)["score"].to_list() == pytest.approx([100.0, 50.0])


def test_the_console_command_says_what_is_wrong_in_chinese_without_a_traceback(tmp_path):
    scheme = tmp_path / "s.toml"
    scheme.write_text('name = "x"\nid = "id"\nmising = "zero"\n', encoding="utf-8")
    jiju = Path(sys.executable).with_name("jiju")
    done = subprocess.run(
        [str(jiju), "evaluate", str(scheme), str(tmp_path / "no.csv"), "-o", str(tmp_path / "o.csv")],
        capture_output=True,
        text=True,
        env=CLEAN_ENV,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "错误：第3行：方案中有未知的键“mising”，是否应为“missing”？"
