"""Unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters: registration authority (1), unit type (1), GB/T 2260
division code (6), organisation code (9, itself checked per GB 11714) and a
check character computed over the first seventeen with weights 3^(i-1) mod 31.
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18

# GB 11714-1997 organisation code: eight body characters (digits and A-Z) and a check.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class CreditCodeError(ValueError):
    """A credit code that fails GB 32100-2015, with a message that says why."""


@dataclass(frozen=True)
class CreditCode:
    """A validated code split into its parts."""

    code: str

    @property
    def authority(self) -> str:
        return self.code[0]

    @property
    def unit_type(self) -> str:
        return self.code[1]

    @property
    def division(self) -> str:
        """The GB/T 2260 code of the registering division (登记管理机关行政区划码)."""
        return self.code[2:8]

    @property
    def organisation(self) -> str:
        return self.code[8:17]


def check_character(first17: str) -> str:
    """The GB 32100 check character of the first seventeen characters."""
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def organisation_check(body8: str) -> str:
    """The GB 11714 check character of an eight-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalize(raw: str) -> str:
    """Upper-case and strip spaces (full-width ones too) as users paste them."""
    return "".join(raw.split()).replace("\u3000", "").upper()


def validate(raw: str) -> CreditCode:
    """Return the parsed code or raise CreditCodeError naming the fault in Chinese."""
    code = normalize(raw)
    if len(code) != LENGTH:
        raise CreditCodeError(f"统一社会信用代码应为18位，实际为{len(code)}位")
    for position, char in enumerate(code, start=1):
        if char not in VALUES:
            hint = "（不使用字母 I、O、Z、S、V）" if char.isalpha() else ""
            raise CreditCodeError(f"第{position}位字符“{char}”不是合法字符{hint}")
    if not code[2:8].isdigit():
        raise CreditCodeError("第3至8位应为6位数字的行政区划码")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(f"校验位不符：第18位应为“{expected}”，实际为“{code[17]}”")
    return CreditCode(code)


def is_valid(raw: str) -> bool:
    try:
        validate(raw)
    except CreditCodeError:
        return False
    return True


def make(division: str, body8: str, authority: str = "9", unit_type: str = "1") -> str:
    """Build a valid code from a division code and an eight-character organisation body."""
    first17 = f"{authority}{unit_type}{division}{body8}{organisation_check(body8)}"
    return first17 + check_character(first17)
