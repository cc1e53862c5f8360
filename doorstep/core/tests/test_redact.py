"""Phones and ID numbers typed into free text are masked; the original is sealed."""

import pytest

from doorstep.conftest import valid_id_number, wrong_id_number
from doorstep.core import crypto
from doorstep.core.redact import redact, seal

ID_NUMBER = valid_id_number("31011519800101123")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请回电13812345678谢谢", "请回电138****5678谢谢"),
        ("手机 +86 138-1234-5678", "手机 138****5678"),
        ("tel 138 1234 5678。", "tel 138****5678。"),
        ("座机021-62345678", "座机021-****5678"),
        ("座机 0998 6521018", "座机 0998-***1018"),
        (f"身份证{ID_NUMBER}", f"身份证{crypto.mask_id_number(ID_NUMBER)}"),
        ("call +1 415-555-0123", "call +* ***-***-0123"),
    ],
)
def test_phones_and_ids_are_masked(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "楼道灯坏了一个多星期",
        "订单号 123456789012345678901",  # 21 digits: not a phone
        f"编号{wrong_id_number('31011519800101123')}",  # wrong check digit: not an ID
        "2026-03-16 10:00 在3号楼",
    ],
)
def test_other_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_seal_keeps_the_original_encrypted_only_when_something_was_masked() -> None:
    sealed = seal("请回电13812345678")
    assert sealed.flagged and "13812345678" not in sealed.encrypted
    assert crypto.decrypt(sealed.encrypted) == "请回电13812345678"
    assert not seal("楼道灯坏了").flagged
