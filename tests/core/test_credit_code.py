"""GB 32100-2015 credit codes: the check character, and messages that say what is wrong."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiju.core import credit_code

first17 = st.text(alphabet=credit_code.ALPHABET, min_size=17, max_size=17)
division = st.text(alphabet="0123456789", min_size=6, max_size=6)
body = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)


def test_weights_are_powers_of_three_mod_31():
    assert credit_code.WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


PUBLISHED = [
    "91350100M000100Y43",  # the example code used in explanations of GB 32100-2015
    "91110108551385082Q",  # 小米科技有限责任公司, from its public business licence
    "914403001922038216",  # 华为技术有限公司, from its public business licence
]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code):
    assert credit_code.validate(code).code == code


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_carry_a_valid_gb_11714_organisation_code(code):
    assert credit_code.organisation_check(code[8:16]) == code[16]


@given(first17)
def test_computed_check_character_validates(prefix):
    code = prefix + credit_code.check_character(prefix)
    if code[2:8].isdigit():
        assert credit_code.is_valid(code)


@given(first17, st.integers(min_value=0, max_value=16), st.sampled_from(credit_code.ALPHABET))
def test_any_single_substitution_is_caught(prefix, position, replacement):
    code = prefix + credit_code.check_character(prefix)
    if not code[2:8].isdigit() or code[position] == replacement:
        return
    altered = code[:position] + replacement + code[position + 1 :]
    assert not credit_code.is_valid(altered)


@given(division, body)
def test_make_builds_valid_codes_carrying_the_division(div, org):
    code = credit_code.make(div, org)
    parsed = credit_code.validate(code)
    assert parsed.division == div
    assert parsed.organisation[:8] == org


def test_messages_name_the_fault():
    with pytest.raises(credit_code.CreditCodeError, match="应为18位，实际为17位"):
        credit_code.validate("91350100M000100Y4")
    with pytest.raises(credit_code.CreditCodeError, match="第9位字符“O”不是合法字符"):
        credit_code.validate("91350100O000100Y43")
    with pytest.raises(credit_code.CreditCodeError, match="校验位不符：第18位应为“3”，实际为“4”"):
        credit_code.validate("91350100M000100Y44")
    with pytest.raises(credit_code.CreditCodeError, match="行政区划码"):
        credit_code.validate("91A50100M000100Y43")


def test_normalize_accepts_lower_case_and_spaces():
    assert credit_code.validate(" 91350100m000100y43 ").code == "91350100M000100Y43"


def test_organisation_check_follows_gb_11714():
    # The standard's worked example: D2143569-X (a remainder of 10 is written X).
    assert credit_code.organisation_check("D2143569") == "X"
