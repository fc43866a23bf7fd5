"""Map a table's columns to fields and parse every cell, collecting every fault.

A fault names the sheet row, the column as the file spells it, the value and
the reason, so that a user can mend the file in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from jiju.core import credit_code, units, values
from jiju.ingest.reading import Table, bare_header

EMPTY = {"", "-", "—", "--", "/", "无"}


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason in Chinese."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str


Parser = Callable[[str, str], object]


@dataclass(frozen=True)
class Column:
    """A field and the headers departments give it; the first header is ours."""

    field: str
    headers: tuple[str, ...]
    parse: Parser
    required: bool = False

    @property
    def header(self) -> str:
        return self.headers[0]


def text(max_length: int = 200) -> Parser:
    def parse(value: str, header: str) -> str:
        if len(value) > max_length:
            raise CellError(f"长度超过{max_length}个字符")
        return value

    return parse


def number(value: str, header: str = "") -> Decimal:
    try:
        return values.decimal(value)
    except values.BadValue as exc:
        raise CellError(str(exc)) from None


def non_negative(value: str, header: str = "") -> Decimal:
    result = number(value, header)
    if result < 0:
        raise CellError("不能为负数")
    return result


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"), 3),
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), 2),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), 3),
    (re.compile(r"^(\d{4})年?$"), 1),
)


def date(value: str, header: str = "") -> dt.date:
    """A day, a month (its first day) or a year (1 January), as tables write them."""
    for pattern, parts in _DATE_PATTERNS:
        match = pattern.match(value.strip())
        if match:
            numbers = [int(g) for g in match.groups()[:parts]] + [1] * (3 - parts)
            try:
                return dt.date(*numbers)
            except ValueError:
                raise CellError("日期不存在") from None
    # An Excel day serial; isdecimal, not isdigit, which also takes '²' (and float() refuses it).
    if value.replace(".", "", 1).isdecimal() and 20000 < float(value) < 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(value)))
    raise CellError("日期格式无法识别（示例：2020-05-01、2020.05、2020年5月）")


def area(default: units.AreaUnit) -> Parser:
    """Square metres from a cell in the header's unit, or `default` when it names none."""

    def parse(value: str, header: str) -> float:
        unit = units.area_unit_in_header(header) or default
        return units.to_m2(float(non_negative(value)), unit)

    return parse


def money(default: units.MoneyUnit) -> Parser:
    """Yuan from a cell in the header's unit, or `default` when it names none."""

    def parse(value: str, header: str) -> Decimal:
        unit = units.money_unit_in_header(header) or default
        return units.to_yuan(non_negative(value), unit)

    return parse


def choice(labels: Mapping[str, str]) -> Parser:
    """A stored value from its Chinese label (or the stored value itself)."""
    lookup = {**{v: v for v in labels.values()}, **labels}

    def parse(value: str, header: str) -> str:
        if value not in lookup:
            raise CellError("应为以下之一：" + "、".join(labels))
        return lookup[value]

    return parse


def credit(value: str, header: str = "") -> str:
    try:
        return credit_code.validate(value).code
    except credit_code.CreditCodeError as exc:
        raise CellError(str(exc)) from None


def split_list(value: str, header: str = "") -> list[str]:
    return [p.strip() for p in re.split(r"[、,，;；/]", value) if p.strip()]


@dataclass
class Mapped:
    """Parsed records keyed by sheet row, and every fault found."""

    records: list[tuple[int, dict[str, object]]]
    errors: list[RowError]
    headers: dict[str, str]


def map_table(table: Table, columns: list[Column]) -> Mapped:
    """Parse every cell of `table` by `columns`; empty cells become None."""
    errors: list[RowError] = []
    position: dict[str, tuple[int, str]] = {}
    for index, header in enumerate(table.headers):
        bare = bare_header(header)
        for column in columns:
            if column.field not in position and (header in column.headers or bare in column.headers):
                position[column.field] = (index, header)
                break
    for column in columns:
        if column.required and column.field not in position:
            errors.append(RowError(1, column.header, "", f"缺少必填列“{column.header}”"))
    records = []
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        record: dict[str, object] = {}
        for column in columns:
            if column.field not in position:
                continue
            index, header = position[column.field]
            raw = row[index].strip() if index < len(row) else ""
            try:
                values.clean_text(raw)
            except values.BadValue as exc:
                errors.append(RowError(number, header, raw.encode("unicode_escape").decode(), str(exc)))
                continue
            if raw in EMPTY:
                if column.required:
                    errors.append(RowError(number, header, raw, "必填项为空"))
                record[column.field] = None
                continue
            try:
                record[column.field] = column.parse(raw, header)
            except CellError as exc:
                errors.append(RowError(number, header, raw, str(exc)))
        records.append((number, record))
    return Mapped(records, errors, {f: h for f, (_, h) in position.items()})
