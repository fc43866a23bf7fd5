"""The checks a submitted report goes through (审核校验), each finding said in Chinese.

A missing required value blocks the submission; every other finding is a warning that
the zone may keep if it writes why (情况说明), and that the reviewer reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MISSING, GROWTH, CUMULATIVE, SHARE, ENTERPRISES = "missing", "growth", "cumulative", "share", "enterprises"
CHECK_NAMES = {
    MISSING: "必填项缺失",
    GROWTH: "增速超出合理区间",
    CUMULATIVE: "累计值小于上期",
    SHARE: "占比超过100%",
    ENTERPRISES: "与企业合计不符",
}


@dataclass(frozen=True)
class Rule:
    """What the checks need to know of one indicator on a form."""

    code: str
    name: str
    unit: str = ""
    cumulative: bool = False
    required: bool = False
    growth_low: float | None = None  # percent, e.g. -30
    growth_high: float | None = None  # percent, e.g. 50
    part_of: str | None = None  # the indicator this one is a part of (工业投资 ⊂ 固定资产投资)
    part_of_name: str = ""  # its Chinese name, which a finding says even when it is not on the form

    @property
    def percent(self) -> bool:
        return self.unit.strip() == "%"


@dataclass(frozen=True)
class Finding:
    check: str
    code: str
    message: str

    @property
    def blocking(self) -> bool:
        return self.check == MISSING

    @property
    def key(self) -> str:
        return finding_key(self.check, self.code)


def finding_key(check: str, code: str) -> str:
    """Stable name of a finding, under which its explanation is kept: "growth:revenue"."""
    return f"{check}:{code}"


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def check_report(
    rules: Sequence[Rule],
    values: Mapping[str, float | None],
    previous: Mapping[str, float | None] | None = None,
    last_year: Mapping[str, float | None] | None = None,
    enterprises: Mapping[str, float] | None = None,
    tolerance: float = 0.05,
) -> list[Finding]:
    """Every finding on one report.

    `previous` is the same zone's previous period of the same year (for cumulative values),
    `last_year` the same period a year before (for growth), and `enterprises` the sums of
    the zone's enterprises for indicators where the registry or departmental data hold one;
    a zone total differing from it by more than `tolerance` (a fraction) is a finding.
    """
    previous, last_year, enterprises = previous or {}, last_year or {}, enterprises or {}
    names = {r.code: r.name for r in rules}
    found: list[Finding] = []
    for rule in rules:
        value = values.get(rule.code)
        if value is None:
            if rule.required:
                found.append(Finding(MISSING, rule.code, f"{rule.name}为必填项，请填写"))
            continue
        before = last_year.get(rule.code)
        if before is not None and before > 0 and (rule.growth_low is not None or rule.growth_high is not None):
            growth = round((value / before - 1) * 100, 9)  # 70 / 100 is −30 %, not −30.000000000000004 %
            low = rule.growth_low if rule.growth_low is not None else float("-inf")
            high = rule.growth_high if rule.growth_high is not None else float("inf")
            if not low <= growth <= high:
                found.append(
                    Finding(
                        GROWTH,
                        rule.code,
                        f"{rule.name}同比增长{growth:.1f}%，超出合理区间"
                        f"（{_number(low) if low > float('-inf') else '—'}% 至 "
                        f"{_number(high) if high < float('inf') else '—'}%）；上年同期{_number(before)}",
                    )
                )
        earlier = previous.get(rule.code)
        if rule.cumulative and earlier is not None and value < earlier:
            found.append(
                Finding(
                    CUMULATIVE,
                    rule.code,
                    f"{rule.name}累计值{_number(value)}小于上期累计值{_number(earlier)}",
                )
            )
        if rule.percent and value > 100:
            found.append(Finding(SHARE, rule.code, f"{rule.name}为{_number(value)}%，超过100%"))
        whole = values.get(rule.part_of) if rule.part_of else None
        if whole is not None and whole >= 0 and value > whole:
            share = value / whole * 100 if whole else float("inf")
            whole_name = rule.part_of_name or names.get(rule.part_of, rule.part_of)
            found.append(
                Finding(
                    SHARE,
                    rule.code,
                    f"{rule.name}（{_number(value)}）占{whole_name}（{_number(whole)}）的{share:.1f}%，超过100%",
                )
            )
        total = enterprises.get(rule.code)
        if total is not None:
            gap = abs(value - total) / max(abs(total), 1e-9)
            if gap > tolerance:
                found.append(
                    Finding(
                        ENTERPRISES,
                        rule.code,
                        f"{rule.name}填报{_number(value)}，所属企业合计{_number(total)}，"
                        f"相差{gap * 100:.1f}%（允许{tolerance * 100:.0f}%）",
                    )
                )
    return found
