"""The rows of a users file (``hoso user import``): its columns and each row's values.

A row is a user and (optionally) one role they hold in one organisation; a user with several
roles has several rows with the same username (the name, e-mail and member given once, or the
same on every row). The file has no password column, on purpose: a spreadsheet of passwords
is a leak waiting to happen. New users have no usable password until an admin sets one
(``hoso user passwd``, or the admin's user page).
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow import admin as rules
from workflow.errors import InvalidInput
from workflow.importing.fields import fold, fold_header
from workflow.importing.problems import ImportFileError
from workflow.importing.records import Column, RecordRow, number
from workflow.states import Role

COLUMNS: tuple[Column, ...] = (
    Column("username", "Tên đăng nhập", "Username", ("tai khoan", "login", "user")),
    Column("full_name", "Họ và tên", "Full name", ("ho ten", "name")),
    Column("email", "Thư điện tử", "E-mail", ("email", "e mail", "thu")),
    Column("role", "Vai trò", "Role", ("quyen", "chuc danh")),
    Column("organisation", "Tổ chức", "Organisation", ("don vi", "chi bo", "organization")),
    Column("member_id", "Mã đảng viên", "Member id", ("dang vien", "member")),
)
REQUIRED = ("username", "full_name")
#: Headers refused outright (folded): the file must not carry passwords.
FORBIDDEN = {fold_header(h) for h in ("password", "mật khẩu", "initial password", "mat khau")}

#: Roles as a file may write them (folded), besides their names.
ROLES: dict[str, str] = {
    "nguoi huong dan": Role.mentor,
    "dang vien huong dan": Role.mentor,
    "huong dan": Role.mentor,
    "bi thu": Role.secretary,
    "bi thu chi bo": Role.secretary,
    "cap uy": Role.committee,
    "ban to chuc": Role.committee,
    "uy ban kiem tra": Role.auditor,
    "kiem tra": Role.auditor,
    "quan tri": Role.admin,
    "quan tri vien": Role.admin,
    "nguoi gioi thieu": Role.introducer,
    "gioi thieu": Role.introducer,
    "giang vien": Role.trainer,
}


@dataclass(frozen=True)
class UserValues:
    """One row's user and role, checked on its own."""

    username: str
    full_name: str | None
    email: str | None
    role: str | None
    organisation: str | None
    member_id: int | None


def check_columns(headers: list[str]) -> None:
    """Refuse a file that carries passwords (its ignored columns include one)."""
    for header in headers:
        if fold_header(header) in FORBIDDEN:
            raise ImportFileError(
                f"the file has a password column ('{header}'): remove it; new users get no "
                "password, an admin sets one (hoso user passwd)",
                f"tệp có cột mật khẩu ('{header}'): hãy bỏ cột này; quản trị viên đặt mật khẩu "
                "cho người dùng mới",
            )


def user_values(row: RecordRow) -> UserValues | None:
    """The row's values, or None with the row's problems added."""
    row.label = row.text("username")[:60]
    username = _checked(row, lambda: rules.check_username(row.text("username")))
    full = _checked(
        row, lambda: rules.check_text("full_name", row.text("full_name"), rules.NAME_MAX, False)
    )
    email = _checked(row, lambda: rules.check_email(row.text("email")))
    role = None
    if row.text("role"):
        key = fold(row.text("role"))
        role = ROLES.get(key) or (key if key in Role.__members__ else None)
        if role is None:
            row.refuse("role", rules.UNKNOWN_ROLE + f": '{row.text('role')}'")
    organisation = _checked(
        row,
        lambda: rules.check_text("organisation", row.text("organisation"), 250, False),
    )
    if row.text("role") and not organisation:
        row.refuse("organisation", "required: the organisation where the role is held")
    if organisation and not row.text("role"):
        row.refuse("role", "required: the role held in the organisation")
    member = number(row, "member_id")
    if row.refused or username is None:
        return None
    return UserValues(username, full, email, role, organisation, member)


def _checked(row: RecordRow, check):
    try:
        return check()
    except InvalidInput as err:
        row.refuse_input(err)
        return None
