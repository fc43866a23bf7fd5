"""Every check of a submitted report."""

import pytest

from jiju.analytics.checks import CUMULATIVE, ENTERPRISES, GROWTH, MISSING, SHARE, Rule, check_report

RULES = [
    Rule("revenue", "营业收入", "万元", cumulative=True, required=True, growth_low=-30, growth_high=50),
    Rule("investment", "固定资产投资", "万元", cumulative=True, growth_low=-30, growth_high=50),
    Rule("industrial_investment", "工业投资", "万元", cumulative=True, part_of="investment"),
    Rule("occupancy", "标准厂房入驻率", "%"),
    Rule("firms", "规上企业数", "个"),
]


def checks(values, **kwargs):
    return [(f.check, f.code) for f in check_report(RULES, values, **kwargs)]


def test_a_clean_report_has_no_findings():
    values = {"revenue": 120, "investment": 50, "industrial_investment": 30, "occupancy": 95, "firms": 10}
    assert checks(values, previous={"revenue": 100}, last_year={"revenue": 100}, enterprises={"firms": 10}) == []


def test_missing_required_value_blocks():
    found = check_report(RULES, {"investment": 5})
    assert [(f.check, f.code, f.blocking) for f in found] == [(MISSING, "revenue", True)]
    assert "营业收入为必填项" in found[0].message


@pytest.mark.parametrize(
    ("value", "flagged"),
    [(150, False), (150.01, True), (70, False), (69.9, True)],  # band −30 % … +50 % on last year's 100
)
def test_growth_band(value, flagged):
    found = check_report(RULES, {"revenue": value}, last_year={"revenue": 100})
    assert bool([f for f in found if f.check == GROWTH]) is flagged
    if flagged:
        assert "同比增长" in found[0].message and "-30% 至 50%" in found[0].message


def test_cumulative_lower_than_previous_period():
    found = check_report(RULES, {"revenue": 90}, previous={"revenue": 100})
    assert [(f.check, f.code) for f in found] == [(CUMULATIVE, "revenue")]
    assert found[0].message == "营业收入累计值90小于上期累计值100"
    # Not for a stock indicator, which may fall.
    assert checks({"revenue": 100, "firms": 8}, previous={"revenue": 100, "firms": 9}) == []


def test_share_over_100_percent():
    assert checks({"revenue": 1, "occupancy": 100.5}) == [(SHARE, "occupancy")]
    assert checks({"revenue": 1, "occupancy": 100}) == []
    found = check_report(RULES, {"revenue": 1, "investment": 40, "industrial_investment": 50})
    assert [(f.check, f.code) for f in found] == [(SHARE, "industrial_investment")]
    assert "占固定资产投资（40）的125.0%" in found[0].message


def test_zone_total_against_its_enterprises():
    assert checks({"revenue": 1, "firms": 12}, enterprises={"firms": 10}) == [(ENTERPRISES, "firms")]
    assert checks({"revenue": 1, "firms": 10.4}, enterprises={"firms": 10}) == []  # within 5 %
    assert checks({"revenue": 1, "firms": 11}, enterprises={"firms": 10}, tolerance=0.10) == []
    # Where only one side exists there is nothing to compare.
    assert checks({"revenue": 1}, enterprises={"firms": 10}) == []


def test_finding_key_is_stable():
    found = check_report(RULES, {"revenue": 90}, previous={"revenue": 100})
    assert found[0].key == "cumulative:revenue"


def test_a_share_finding_names_the_whole_even_when_it_is_not_on_the_form():
    part = Rule("industrial_investment", "工业投资", part_of="fixed_investment", part_of_name="固定资产投资")
    found = check_report([part], {"industrial_investment": 120.0, "fixed_investment": 100.0})
    assert [f.check for f in found] == [SHARE]
    assert "占固定资产投资（100）" in found[0].message and "fixed_investment" not in found[0].message
