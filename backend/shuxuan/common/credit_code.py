"""统一社会信用代码 (Unified Social Credit Code, GB 32100-2015) validation.

18 characters: registration authority (1), organization type (1), administrative division (6),
organization code (9, itself carrying a GB 11714 check digit) and a check character (1). The
check character is computed over the first 17 with weights 3^i mod 31 over the 31-character
alphabet below (no I, O, Z, S, V).
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_digit(first8: str) -> str:
    total = sum(_ORG_ALPHABET.index(ch) * weight for ch, weight in zip(first8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def validate_credit_code(code: str) -> str | None:
    """Return None when valid, else a reason in Chinese and English."""
    code = code.strip().upper()
    if len(code) != 18:
        return f"统一社会信用代码应为18位 / must be 18 characters (got {len(code)})"
    bad = [ch for ch in code if ch not in ALPHABET]
    if bad:
        return f"统一社会信用代码含非法字符 / contains invalid character {bad[0]!r}"
    if not code[2:8].isdigit():
        return "登记管理机关行政区划码应为6位数字 / the administrative division code must be 6 digits"
    if check_character(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误 / check character does not match"
    return None


def make_credit_code(*, division: str, serial: int, authority: str = "9", org_type: str = "1") -> str:
    """Build a valid code (used by the demo world and tests): division is a 6-digit county code."""
    body8 = f"{serial:08d}"[-8:]
    org_code = body8 + org_code_check_digit(body8)
    first17 = f"{authority}{org_type}{division}{org_code}"
    return first17 + check_character(first17)
