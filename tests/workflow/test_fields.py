"""What a user typed, turned into typed values; bad input names its field."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from workflow.definition import SPECS, FieldSpec
from workflow.errors import InvalidInput
from workflow.fields import parse_date, parse_fields

SPECS_OF_TEST = (
    FieldSpec("vote_date", "date", "Ngày biểu quyết", "Vote date"),
    FieldSpec("votes_for", "int", "Số tán thành", "Votes for"),
    FieldSpec("mentor", "member", "Đảng viên giúp đỡ", "Mentor"),
    FieldSpec("is_doan_member", "bool", "Là đoàn viên", "Đoàn member"),
    FieldSpec("sex", "choice", "Giới tính", "Sex", choices=("nam", "nữ")),
    FieldSpec("full_name", "str", "Họ và tên", "Full name"),
)


def parse(**raw) -> dict:
    return parse_fields(SPECS_OF_TEST, raw)


@pytest.mark.parametrize(
    "typed", ["2026-03-01", "01/03/2026", " 01/03/2026 ", date(2026, 3, 1), datetime(2026, 3, 1, 9)]
)
def test_dates_in_both_formats(typed: object) -> None:
    assert parse(vote_date=typed)["vote_date"] == date(2026, 3, 1)


@pytest.mark.parametrize(
    "typed", ["2026-02-30", "1/3/26x", "03/01/2026/1", "hôm qua", "2026.03.01"]
)
def test_a_bad_date_names_its_field(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(vote_date=typed)
    assert refused.value.field == "vote_date"
    assert str(refused.value).startswith("vote_date:")
    assert typed.strip() in refused.value.message


def test_parse_date_alone() -> None:
    assert parse_date("d", None) is None
    assert parse_date("d", "") is None
    assert parse_date("d", "29/02/2024") == date(2024, 2, 29)
    with pytest.raises(InvalidInput, match="^d:"):
        parse_date("d", "29/02/2023")


@pytest.mark.parametrize("typed", ["6", " 6 ", 6])
def test_whole_numbers(typed: object) -> None:
    assert parse(votes_for=typed)["votes_for"] == 6


@pytest.mark.parametrize(
    ("name", "typed"), [("votes_for", "-1"), ("votes_for", -1), ("mentor", "-3")]
)
def test_negative_numbers_are_refused(name: str, typed: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(**{name: typed})
    assert refused.value.field == name
    assert "negative" in refused.value.message


@pytest.mark.parametrize("typed", ["six", "6.5", "1e3", True])
def test_not_a_whole_number(typed: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(votes_for=typed)
    assert refused.value.field == "votes_for"


def test_an_unknown_field_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(full_name="An", state="official")
    assert refused.value.field == "state"
    assert "unknown field" in refused.value.message
    assert "full_name" in refused.value.message  # it says what the action does take


@pytest.mark.parametrize("typed", ["nam", "nữ"])
def test_a_choice(typed: str) -> None:
    assert parse(sex=typed)["sex"] == typed


def test_a_value_out_of_the_choices() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(sex="khác")
    assert refused.value.field == "sex"
    assert "nam" in refused.value.message and "nữ" in refused.value.message


@pytest.mark.parametrize(
    ("typed", "value"),
    [("có", True), ("on", True), ("1", True), (True, True), ("không", False), ("", False)],
)
def test_yes_or_no(typed: object, value: bool) -> None:
    assert parse(is_doan_member=typed)["is_doan_member"] is value


def test_neither_yes_nor_no() -> None:
    with pytest.raises(InvalidInput, match="is_doan_member"):
        parse(is_doan_member="maybe")


def test_missing_and_empty_values_are_none() -> None:
    values = parse(full_name="   ", votes_for="")
    assert values["full_name"] is None and values["votes_for"] is None
    assert values["vote_date"] is None and values["sex"] is None


def test_a_required_field() -> None:
    required = (FieldSpec("mentor", "member", "Đảng viên giúp đỡ", "Mentor", required=True),)
    with pytest.raises(InvalidInput) as refused:
        parse_fields(required, {"mentor": " "})
    assert refused.value.field == "mentor"
    assert parse_fields(required, {"mentor": "7"}) == {"mentor": 7}


def test_every_action_takes_a_reason() -> None:
    values = parse_fields(SPECS["admit"].fields, {"reason": "  đủ điều kiện "})
    assert values["reason"] == "đủ điều kiện"
    assert parse_fields((), {"reason": "   "}) == {"reason": None}
    assert parse_fields((), {}) == {}


@pytest.mark.parametrize("field", ["votes_for", "mentor"])
@pytest.mark.parametrize("typed", ["2147483648", " 99999999999999999999 ", 2**31, 10**40])
def test_a_whole_number_beyond_32_bits_names_its_field(field: str, typed: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(**{field: typed})
    assert refused.value.field == field and "2147483647" in refused.value.message


def test_thousands_of_digits_are_refused_by_name() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(votes_for="9" * 5000)
    assert refused.value.field == "votes_for"


def test_the_largest_whole_number_is_taken() -> None:
    values = parse(votes_for="2147483647", mentor=2147483647)
    assert (values["votes_for"], values["mentor"]) == (2147483647, 2147483647)
