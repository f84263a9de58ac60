import pytest

from shuxuan.common.credit_code import make_credit_code, validate_credit_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_published_codes_validate(code):
    assert validate_credit_code(code) is None


def test_wrong_check_character_is_named():
    reason = validate_credit_code("91350100M000100Y44")
    assert reason is not None and "校验位" in reason


@pytest.mark.parametrize(
    ("code", "fragment"), [("9135", "18位"), ("91350100M000100YI3", "非法字符"), ("91AB0100M000100Y43", "行政区划")]
)
def test_shape_errors(code, fragment):
    reason = validate_credit_code(code)
    assert reason is not None and fragment in reason


def test_generated_codes_are_valid():
    for serial in range(1, 200):
        assert validate_credit_code(make_credit_code(division="511500", serial=serial)) is None
