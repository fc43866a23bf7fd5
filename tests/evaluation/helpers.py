"""Build schemes and frames for engine tests from plain matrices."""

from __future__ import annotations

import numpy as np
import polars as pl

from jiju.evaluation.scheme import Scheme, loads


def matrix_frame(matrix, **extra) -> pl.DataFrame:
    m = np.asarray(matrix, dtype=float)
    return pl.DataFrame(
        {"id": [f"a{i + 1}" for i in range(len(m))], **{f"c{j}": m[:, j] for j in range(m.shape[1])}, **extra}
    )


def matrix_scheme(
    n: int,
    *,
    weights=None,
    types=None,
    normalize="vector",
    options: str = "",
    weighting="fixed",
    aggregate="weighted_sum",
    top: str = "",
    extra: str = "",
) -> Scheme:
    """A scheme over columns c0..c{n-1}: `top` holds top-level keys, `options` go into [normalize],
    `extra` (tables such as [grading]) comes at the end of the file."""
    lines = [
        'name = "test"',
        'id = "id"',
        top,
        f'[normalize]\nmethod = "{normalize}"\n{options}',
        f'[weights]\nmethod = "{weighting}"',
        f'[aggregate]\nmethod = "{aggregate}"',
    ]
    for j in range(n):
        direction = "cost" if types is not None and types[j] < 0 else "benefit"
        weight = f"weight = {weights[j]}" if weights is not None else ""
        lines.append(
            f'[[indicators]]\ncode = "c{j}"\nlabel = "c{j}"\nvalue = "c{j}"\ndirection = "{direction}"\n{weight}'
        )
    return loads("\n".join(lines) + "\n" + extra)


def column(result: pl.DataFrame, name: str) -> np.ndarray:
    return result.sort("id")[name].to_numpy()
