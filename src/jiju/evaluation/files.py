"""Read units from .csv, .xlsx or .parquet and write results back, for `jiju evaluate` on files alone."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from jiju.ingest.reading import decode, read_grid


def read_units(path: str | Path, text_columns: set[str]) -> pl.DataFrame:
    """A frame of the file's first sheet; `text_columns` stay text (credit codes look like numbers)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pl.read_parquet(path)
    if suffix == ".csv":
        frame = pl.read_csv(io.StringIO(decode(path.read_bytes())), infer_schema=False)
    else:
        grid = read_grid(path.read_bytes(), path.name)
        headers = [h.strip() for h in grid[0]]
        rows = [r + [""] * (len(headers) - len(r)) for r in grid[1:] if any(r)]
        frame = pl.DataFrame(rows, schema=dict.fromkeys(headers, pl.String), orient="row")
    return frame.with_columns(
        pl.col(c).str.replace_all(",", "").cast(pl.Float64, strict=False)
        for c in frame.columns
        if c not in text_columns and _numeric(frame[c])
    )


def _numeric(column: pl.Series) -> bool:
    filled = column.filter(column.is_not_null() & (column.str.strip_chars() != ""))
    return filled.len() > 0 and filled.str.replace_all(",", "").cast(pl.Float64, strict=False).null_count() == 0


def write_results(frame: pl.DataFrame, path: str | Path) -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame.write_parquet(path)
    elif suffix == ".csv":
        path.write_bytes(frame.write_csv().encode("utf-8-sig"))
    elif suffix == ".xlsx":
        frame.write_excel(path, worksheet="评价结果", autofit=True)
    else:
        raise ValueError(f"不支持的输出格式“{suffix}”：请用 .csv、.xlsx 或 .parquet")
