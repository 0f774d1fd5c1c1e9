import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edugov.kernel.errors import ValidationFailed
from edugov.kernel.masking import mask_identity_number, mask_name, mask_phone
from edugov.kernel.validators import (
    birth_date_of,
    credit_check_char,
    gender_of,
    identity_check_char,
    validate_credit_code,
    validate_identity_number,
    validate_mobile,
)

# GB 11643-1999 worked example: 11010519491231002X
KNOWN_ID = "11010519491231002X"
# A published unified social credit code (a ministry's), valid under GB 32100-2015
KNOWN_CREDIT = "91350100M000100Y43"


def test_known_identity_number_validates():
    assert validate_identity_number(KNOWN_ID.lower()) == KNOWN_ID
    assert birth_date_of(KNOWN_ID) == dt.date(1949, 12, 31)
    assert gender_of(KNOWN_ID) == "F"


@pytest.mark.parametrize("value, fragment", [
    ("11010519491231002", "18位"),                # too short
    ("11010519491231002Y", "17位数字"),        # bad character
    ("110105194912310021", "第18位"),   # wrong check digit
    ("110105194902300028", "第7至14位"),          # 30 February
    ("110105230012310021", "第7至14位"),          # month 00
])
def test_bad_identity_numbers_say_what_to_fix(value, fragment):
    with pytest.raises(ValidationFailed) as exc:
        validate_identity_number(value)
    assert fragment in exc.value.message


def test_identity_number_in_the_future_is_refused():
    first = "110105" + "20990101" + "001"
    with pytest.raises(ValidationFailed, match="不合理"):
        validate_identity_number(first + identity_check_char(first), today=dt.date(2026, 1, 1))


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2024, 12, 31)), st.integers(0, 999),
       st.sampled_from(["500101", "110105", "440305"]))
def test_any_number_with_its_check_digit_validates_and_any_other_fails(birth, seq, region):
    first = f"{region}{birth:%Y%m%d}{seq:03d}"
    good = first + identity_check_char(first)
    assert validate_identity_number(good) == good
    for wrong in "0123456789X":
        if wrong != good[-1]:
            with pytest.raises(ValidationFailed):
                validate_identity_number(first + wrong)


def test_known_credit_code_validates_and_a_changed_check_character_fails():
    assert validate_credit_code(KNOWN_CREDIT) == KNOWN_CREDIT
    with pytest.raises(ValidationFailed, match="第18位"):
        validate_credit_code(KNOWN_CREDIT[:-1] + ("4" if KNOWN_CREDIT[-1] != "4" else "5"))
    with pytest.raises(ValidationFailed, match="I、O、S、V"):
        validate_credit_code("91350100M000100YO3")


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=15, max_size=15))
def test_credit_codes_with_computed_check_character_validate(body):
    first = "52" + body
    code = first + credit_check_char(first)
    if code[2:8].isdigit():
        assert validate_credit_code(code) == code


def test_mobile_numbers():
    assert validate_mobile("+86 138-0013-8000") == "13800138000"
    with pytest.raises(ValidationFailed, match="11位"):
        validate_mobile("12800138000")


def test_masking_shapes():
    assert mask_identity_number("500101200901011234") == "5001**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧***"


def test_a_primary_key_from_user_input_is_ascii_digits_that_fit_a_bigint():
    from edugov.kernel.validators import as_pk

    assert as_pk("42") == 42 and as_pk(" 7 ") == 7 and as_pk(9) == 9
    for bad in ("³", "٣", "-1", "1e3", "", None, "12a", "9" * 19):
        assert as_pk(bad) is None, bad
