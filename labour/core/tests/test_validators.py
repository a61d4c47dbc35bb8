import pytest
from django.core.exceptions import ValidationError

from labour.core.masking import mask_phone
from labour.core.validators import (
    organisation_check_digit,
    region_from_credit_code,
    region_name,
    validate_credit_code,
    validate_phone,
    validate_region_code,
)
from labour.core.visibility import jurisdiction_prefix
from labour.testing import make_uscc

# Published examples of GB 32100-2015 codes
VALID_USCC = ["91110000600037341L", "91350100M000100Y43"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_real_uscc_pass(code):
    assert validate_credit_code(code) == code


def test_uscc_wrong_check_digit():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91110000600037341M")
    assert "校验位" in exc.value.messages[0]


def test_uscc_normalises_case_full_width_and_spaces():
    assert validate_credit_code(" ９１１１００００６０００３７３４１ｌ ") == "91110000600037341L"
    assert validate_credit_code("91110000-600037341l") == "91110000600037341L"


def test_uscc_bad_format_and_length():
    with pytest.raises(ValidationError):
        validate_credit_code("A1110000600037341L")  # letter in the first 8
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("9111000060003734")
    assert "18位" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        validate_credit_code("")


def test_organisation_code_gb11714():
    # 60003734-1 is the organisation code inside 91110000600037341L
    assert organisation_check_digit("60003734") == "1"
    assert validate_credit_code("60003734-1") == "600037341"
    assert validate_credit_code("600037341") == "600037341"
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("60003734-2")
    assert "校验位" in exc.value.messages[0]
    # check value 10 is written X
    body = next(f"{n:08d}" for n in range(1, 1000) if organisation_check_digit(f"{n:08d}") == "X")
    assert validate_credit_code(body + "x") == body + "X"


def test_generated_codes_are_valid():
    for seq in (1, 2, 99, 12345):
        assert validate_credit_code(make_uscc("410173", seq))


@pytest.mark.parametrize("code,name", [
    ("410100", "郑州市"), ("410102", "中原区"), ("410171", "郑州经济技术开发区"),
    ("410172", "郑州高新技术产业开发区"), ("410173", "郑州航空港经济综合实验区"),
    ("410000", "河南省"), ("440305", "南山区"),
])
def test_region_codes_that_exist(code, name):
    assert validate_region_code(code) == code
    assert name in region_name(code)


@pytest.mark.parametrize("code", ["999999", "410199", "41010", "4101001", "abcdef", "110103"])
def test_region_codes_refused(code):
    # 110103 (崇文区) was abolished in 2010
    with pytest.raises(ValidationError):
        validate_region_code(code)


def test_region_prefilled_from_uscc_characters_3_to_8():
    assert region_from_credit_code(make_uscc("410173", 7)) == "410173"
    assert region_from_credit_code("91110000600037341L") == "110000"
    assert region_from_credit_code("600037341") == ""
    assert region_from_credit_code("91110000600037341M") == ""


@pytest.mark.parametrize("phone,expected", [
    ("13800000000", "13800000000"), ("19912345678", "19912345678"),
    ("+86 138 0000 0000", "13800000000"), ("１３８００００００００", "13800000000"),
])
def test_mobile_numbers(phone, expected):
    assert validate_phone(phone) == expected


@pytest.mark.parametrize("phone", ["12800000000", "1380000000", "138000000001", "03712345678", "abc"])
def test_not_mobile_numbers(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_jurisdiction_prefix_and_mask():
    assert jurisdiction_prefix("410000") == "41"
    assert jurisdiction_prefix("410100") == "4101"
    assert jurisdiction_prefix("410102") == "410102"
    assert mask_phone("13812345678") == "138****5678"
