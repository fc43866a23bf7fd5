"""Read units from .csv, .xlsx or .parquet and write results back, for `jiju evaluate` on files alone."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

ROW = "_row"  # the unit's row in the file (the header is row 1), for messages
SHOWN_NOTES = 20


def read_units(
    path: str | Path, text_columns: set[str], numeric_columns: set[str] = frozenset()
) -> tuple[pl.DataFrame, list[str]]:
    """A frame of the file's first sheet, and a note for every cell of `numeric_columns` that is not a number.

    `text_columns` stay text (credit codes look like numbers). A cell such as "—", "/" or "暂无" in
    a column the scheme computes with becomes missing, and the note names its row and column.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix != ".parquet":  # the spreadsheet reader loads only for the files that need it
        from jiju.ingest.reading import decode, read_grid
    if suffix == ".parquet":
        frame = pl.read_parquet(path).with_row_index(ROW, offset=2)
    elif suffix == ".csv":
        frame = pl.read_csv(io.StringIO(decode(path.read_bytes())), infer_schema=False).with_row_index(ROW, offset=2)
    else:
        grid = read_grid(path.read_bytes(), path.name)
        headers = [h.strip() for h in grid[0]]
        rows = [[n, *r, *[""] * (len(headers) - len(r))] for n, r in enumerate(grid[1:], start=2) if any(r)]
        schema = {ROW: pl.Int64, **dict.fromkeys(headers, pl.String)}
        frame = pl.DataFrame(rows, schema=schema, orient="row")
    notes = []
    for column in sorted(numeric_columns & set(frame.columns)):
        if frame.schema[column] != pl.String:
            continue
        cells = frame[column].str.strip_chars()
        numbers = cells.str.replace_all(",", "").cast(pl.Float64, strict=False)
        wrong = frame.filter(cells.is_not_null() & (cells != "") & numbers.is_null())
        notes += [
            f"第{row}行“{column}”列的“{cell}”不是数字，按缺失处理" for row, cell in wrong.select(ROW, column).rows()
        ]
        frame = frame.with_columns(numbers.alias(column))
    frame = frame.with_columns(
        pl.col(c).str.replace_all(",", "").cast(pl.Float64, strict=False)
        for c in frame.columns
        if c not in text_columns and frame.schema[c] == pl.String and _numeric(frame[c])
    )
    return frame.drop(ROW), notes


def _numeric(column: pl.Series) -> bool:
    filled = column.filter(column.is_not_null() & (column.str.strip_chars() != ""))
    return filled.len() > 0 and filled.str.replace_all(",", "").cast(pl.Float64, strict=False).null_count() == 0


def write_results(frame: pl.DataFrame, path: str | Path) -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame.write_parquet(path, compression="lz4")  # half the time of zstd for a results file
    elif suffix == ".csv":
        path.write_bytes(frame.write_csv().encode("utf-8-sig"))
    elif suffix == ".xlsx":
        frame.write_excel(path, worksheet="评价结果", autofit=True)
    else:
        raise ValueError(f"不支持的输出格式“{suffix}”：请用 .csv、.xlsx 或 .parquet")
