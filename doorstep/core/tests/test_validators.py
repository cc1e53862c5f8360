"""Validators and masking for Chinese phone numbers and resident ID numbers."""

import pytest
from django.core.exceptions import ValidationError

from doorstep.core import crypto
from doorstep.core.validators import (
    clean_field,
    id_check_digit,
    validate_id_number,
    validate_phone,
)

# GB 11643 example number (check digit X).
KNOWN_X = "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("021-58881234", "02158881234"),
        ("02158881234", "02158881234"),
    ],
)
def test_valid_phones(value: str, expected: str) -> None:
    assert validate_phone(value) == expected


@pytest.mark.parametrize("value", ["12345", "12812345678", "1381234567", "138123456789", "abc", ""])
def test_invalid_phones_get_a_chinese_message(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_phone(value)
    assert info.value.messages == ["手机号码格式不正确：应为以 1 开头的 11 位数字。"]


def test_check_digit_of_the_standard_example() -> None:
    assert id_check_digit(KNOWN_X[:17]) == "X"


def test_valid_id_number_with_x() -> None:
    assert validate_id_number(KNOWN_X) == KNOWN_X


def test_lower_case_x_is_accepted_and_normalised() -> None:
    assert validate_id_number(KNOWN_X.lower()) == KNOWN_X


def test_wrong_check_digit_is_refused() -> None:
    first17 = "31011519800101123"
    right = id_check_digit(first17)
    wrong = "0" if right != "0" else "1"
    with pytest.raises(ValidationError) as info:
        validate_id_number(first17 + wrong)
    assert info.value.messages == ["身份证号码校验位不正确，请核对后重新输入。"]
    assert validate_id_number(first17 + right) == first17 + right


@pytest.mark.parametrize(
    "value", ["3101151980010112", "31011519800101123A", "", "X10115198001011234"]
)
def test_malformed_id_numbers_are_refused(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_id_number(value)
    assert info.value.messages == ["身份证号码应为 18 位，最后一位可以是数字或 X。"]


def test_id_number_with_impossible_birth_date_is_refused() -> None:
    first17 = "31011519800231123"  # 31 February
    with pytest.raises(ValidationError) as info:
        validate_id_number(first17 + id_check_digit(first17))
    assert info.value.messages == ["身份证号码中的出生日期无效。"]


def test_clean_field_puts_the_error_on_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        clean_field("phone", validate_phone, "12345")
    assert list(info.value.message_dict) == ["phone"]


def test_mask_phone() -> None:
    assert crypto.mask_phone("13812345678") == "138****5678"
    assert crypto.mask_phone("") == ""
    assert crypto.mask_phone("12345") == "*****"


def test_mask_id_number() -> None:
    assert crypto.mask_id_number("610102199001011234") == "610***********1234"
    assert crypto.mask_id_number("") == ""


def test_encrypt_round_trip_and_not_plain() -> None:
    token = crypto.encrypt("13812345678")
    assert "13812345678" not in token
    assert crypto.decrypt(token) == "13812345678"
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_decrypt_of_garbage_is_empty() -> None:
    assert crypto.decrypt("not-a-token") == ""


def test_lookup_hash_is_stable_keyed_and_case_insensitive() -> None:
    assert crypto.lookup_hash("123x") == crypto.lookup_hash("123X")
    assert crypto.lookup_hash("13812345678") != "13812345678"
    assert len(crypto.lookup_hash("13812345678")) == 40
    assert crypto.lookup_hash("") == ""
