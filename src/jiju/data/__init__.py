"""Reference data shipped with Jiju (divisions, industries, the 2018 zone catalog)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


def path(name: str) -> Path:
    return DATA_DIR / name


def rows(name: str) -> list[dict[str, str]]:
    with path(name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def industry_keywords() -> dict[str, tuple[str, ...]]:
    """Catalog words for leading industries -> GB/T 4754 大类 codes."""
    return {r["keyword"]: tuple(r["divisions"].split()) for r in rows("industry_keywords.csv")}
