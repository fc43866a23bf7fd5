"""`jiju evaluate SCHEME DATA -o OUT` works on files alone, in every format it promises."""

from __future__ import annotations

import io

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.evaluation.test_shipped_schemes import SCHEMES, huangyan_firm


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
