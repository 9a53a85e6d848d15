"""A new password is refused when it is a common one or the user's own name."""

from __future__ import annotations

import pytest

from workflow import admin, passwords
from workflow.errors import InvalidInput


@pytest.mark.parametrize(
    "password", ["password", "Password1", "qwertyuiop", "123456789", "iloveyou"]
)
def test_common_passwords_are_refused_whatever_their_case(password):
    assert passwords.weakness(password) == passwords.COMMON


@pytest.mark.parametrize(
    ("password", "personal"),
    [("nguyenvana2025", ("nguyenvana",)), ("tran-thi-b", ("admin", "Tran-Thi-B"))],
)
def test_a_password_made_of_the_name_is_refused(password, personal):
    assert passwords.weakness(password, *personal) == passwords.LIKE_NAME


def test_an_uncommon_password_passes_and_short_words_are_not_compared():
    assert passwords.weakness("cay-bang-truoc-ngo-7", "an", None, "") is None


def test_the_bundled_list_is_read_offline_and_large():
    assert len(passwords.common_passwords()) > 19_000


def test_check_password_names_the_field():
    with pytest.raises(InvalidInput) as refused:
        admin.check_password("abc123456", "someone")
    assert refused.value.field == "password" and refused.value.message == passwords.COMMON
    assert admin.check_password("cay-bang-truoc-ngo-7", "someone") == "cay-bang-truoc-ngo-7"
