"""``hoso user ...`` as an admin (--as): the admin pages' use cases, refusals in words with the
exit codes of web/cli/common.py, never a traceback."""

from __future__ import annotations

import pytest

from tests.cli.office import ADMIN, PASSWORD, Office

CELL = "Chi bộ Trường THPT Đức Trọng"
NEW = "Truong-Chi-Bo-2025"


def _users(office: Office) -> dict[str, dict]:
    return {row["username"]: row for row in office.json("user", "list", "--as", ADMIN)}


def test_create_grant_passwd_revoke_deactivate(office):
    office.ok(
        "user",
        "create",
        "vothif",
        "--full-name",
        "Võ Thị Phương",
        "--as",
        ADMIN,
        input=f"{NEW}\n{NEW}\n",
    )
    office.ok("user", "grant", "vothif", "mentor", CELL, "--as", ADMIN)
    row = _users(office)["vothif"]
    assert row["has_password"] and [g["role"] for g in row["grants"]] == ["mentor"]
    office.ok("user", "passwd", "lequangc", "--as", ADMIN, "--password-stdin", input=NEW + "\n")
    assert _users(office)["lequangc"]["has_password"]
    office.ok("user", "revoke", "vothif", "mentor", CELL, "--as", ADMIN)
    assert _users(office)["vothif"]["grants"] == []
    office.ok("user", "deactivate", "hoangvane", "--as", ADMIN)
    assert not _users(office)["hoangvane"]["active"]
    refused = office.run(
        "case", "new", "full_name=An", "birth_date=2000-01-01", "--as", "hoangvane"
    )
    assert refused.exit_code == 2 and "--as: no active user 'hoangvane'" in refused.output
    office.ok("user", "activate", "hoangvane", "--as", ADMIN)
    assert "history intact" in office.ok("audit", "verify").output


@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [
        (("passwd", "nobody"), NEW, 4, "no user 'nobody'"),
        (("create", "x1", "--full-name", "x" * 300), NEW, 2, "full_name: too long"),
        (("create", "x1", "--full-name", "X"), "password1", 2, "password: one of the most"),
        (("create", "vothif", "--full-name", "Võ Thị Phương"), "Vothif2025", 2, "close to the"),
        (("create", "tranthib", "--full-name", "X"), NEW, 2, "username: this username is"),
        (("create", "bad name", "--full-name", "X"), NEW, 2, "username:"),
        (("passwd", "tranthib"), "short", 2, "password: at least 8"),
        (("grant", "tranthib", "mentor", "Chi bộ không có"), None, 2, "ORGANISATION: no organ"),
        (("grant", "tranthib", "boss", CELL), None, 2, "role: unknown role"),
        (("grant", "tranthib", "secretary", CELL), None, 2, "role: the user already holds"),
        (("grant", "tranthib", "mentor", "#99999"), None, 4, "organisation 99999"),
        (("grant", "tranthib", "mentor", "Huyện ủy Đức Trọng"), None, 2, "dissolved"),
        (("revoke", "tranthib", "auditor", CELL), None, 2, "ROLE: tranthib holds no role"),
        (("revoke", ADMIN, "admin", "Tỉnh ủy Lâm Đồng"), None, 2, "own admin role"),
        (("deactivate", ADMIN), None, 2, "your own account"),
        (("deactivate", "nobody"), None, 4, "no user 'nobody'"),
    ],
)
def test_refusals_name_the_field_with_their_exit_code(office, args, stdin, code, message):
    before = office.ok("audit", "verify").output
    extra = ("--password-stdin",) if stdin is not None else ()
    result = office.run("user", *args, "--as", ADMIN, *extra, input=(stdin or "") + "\n")
    assert result.exit_code == code, result.output
    assert message in result.output
    assert isinstance(result.exception, SystemExit)  # a refusal, not a crash
    assert office.ok("audit", "verify").output == before  # nothing recorded


def test_the_admin_is_given_by_as_and_must_be_one(office):
    unknown = office.run("user", "list", "--as", "nobody")
    assert unknown.exit_code == 2 and "--as: no active user 'nobody'" in unknown.output
    not_admin = office.run("user", "grant", "lequangc", "mentor", CELL, "--as", "tranthib")
    assert not_admin.exit_code == 3 and "only an admin" in not_admin.output


def test_passwords_never_come_from_an_option(office):
    result = office.run(
        "user", "passwd", "tranthib", "--password", PASSWORD, "--as", ADMIN, lang=None
    )
    assert result.exit_code == 2 and "Không có tùy chọn '--password'" in result.output  # vi first
    english = office.run("--lang", "en", "user", "passwd", "tranthib", "--password", PASSWORD)
    assert english.exit_code == 2 and "No such option" in english.output


def test_a_prompted_password_must_be_typed_twice_alike(office):
    result = office.run(
        "user",
        "passwd",
        "tranthib",
        "--as",
        ADMIN,
        input=f"{NEW}\n{NEW}x\n{NEW}\n{NEW}\n",
        lang=None,
    )
    assert result.exit_code == 0 and "không khớp nhau" in result.output.lower()  # click, in vi
