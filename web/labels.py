"""The words of the domain's names in the current language: states, actions, roles, deadlines.

One definition each, used by every page (and registered as template globals by ``init_app``).
The states' and actions' words come with the domain (``workflow``); the roles' are msgids here.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workflow.corrections import ACTION_LABELS as CORRECTION_ACTIONS
from workflow.definition import FACTS, SPECS
from workflow.moves import ACTION_LABELS as MOVE_ACTIONS
from workflow.proposals import ACTION_LABELS as PROPOSAL_ACTIONS
from workflow.states import STATE_LABELS, Role, State


def locale() -> str:
    """The current request's language: ``vi`` or ``en``."""
    return str(get_locale() or "vi")


def pick(vi: str, en: str) -> str:
    """The Vietnamese or the English text, as the current language asks."""
    return en if locale() == "en" else vi


def state_label(state: str | None) -> str:
    """A state's label; ``new`` and unknown names are shown as they are."""
    if state in set(State):
        vi, en = STATE_LABELS[State(state)]
        return pick(vi, en)
    return state or ""


def state_choices() -> list[tuple[str, str]]:
    """The states in their order, each with its label (for a select)."""
    return [(state.value, state_label(state.value)) for state in State]


#: The roles' names (product.md's roles; the trainer is the political centre).
ROLE_NAMES = {
    Role.mentor: _l("Mentor"),
    Role.secretary: _l("Cell secretary"),
    Role.committee: _l("Committee"),
    Role.auditor: _l("Auditor"),
    Role.admin: _l("Administrator"),
    Role.trainer: _l("Political centre"),
    Role.introducer: _l("Introducer"),
}


def role_label(role: str | None) -> str:
    """A role's name; an unknown one is shown as it is."""
    if role in set(Role):
        return str(ROLE_NAMES[Role(role)])
    return role or ""


#: Actions that are neither transitions nor facts: administration, generated documents.
OTHER_ACTIONS = {
    **PROPOSAL_ACTIONS,
    **MOVE_ACTIONS,
    **CORRECTION_ACTIONS,
    "request_verification": ("Gửi yêu cầu thẩm tra lý lịch", "Send a verification request"),
    "record_verification_answer": ("Ghi kết quả thẩm tra", "Record a verification answer"),
    "conclude_verification": ("Kết luận thẩm tra lý lịch", "Conclude the biography verification"),
    "class_schedule": ("Mở lớp bồi dưỡng nhận thức về Đảng", "Schedule an awareness class"),
    "class_enrol": ("Ghi danh vào lớp", "Enrol in a class"),
    "class_cancel_enrolment": ("Rút tên khỏi lớp", "Cancel an enrolment"),
    "class_attendance": ("Điểm danh buổi học", "Record attendance"),
    "class_issue_certificates": ("Cấp giấy chứng nhận cho lớp", "Issue the class's certificates"),
    "generate_document": ("Tạo văn bản", "Make a document"),
    "replace_scan": ("Thay bản quét", "Replace a scan"),
    "admin_create_user": ("Tạo người dùng", "Create a user"),
    "admin_update_user": ("Sửa người dùng", "Edit a user"),
    "admin_activate_user": ("Mở lại tài khoản", "Reactivate a user"),
    "admin_deactivate_user": ("Khóa tài khoản", "Deactivate a user"),
    "admin_reset_password": ("Đặt lại mật khẩu", "Reset a password"),
    "admin_grant_role": ("Cấp quyền", "Grant a role"),
    "admin_revoke_role": ("Thu hồi quyền", "Revoke a role"),
    "admin_create_organisation": ("Tạo tổ chức", "Create an organisation"),
    "admin_update_organisation": ("Sửa tổ chức", "Edit an organisation"),
    "admin_set_deciding_body": ("Đặt cấp quyết định kết nạp", "Set the deciding body"),
    "admin_rename_organisation": (
        "Đổi tên tổ chức từ một ngày",
        "Rename an organisation as of a date",
    ),
    "admin_move_organisation": ("Chuyển tổ chức về cấp trên khác", "Move an organisation"),
    "admin_merge_organisations": ("Hợp nhất tổ chức", "Merge organisations"),
    "admin_split_organisation": ("Tách tổ chức", "Split an organisation"),
    "admin_dissolve_organisation": ("Giải thể tổ chức", "Dissolve an organisation"),
    "admin_set_decides_admissions": (
        "Đặt cấp quyết định kết nạp từ một ngày",
        "Set the deciding body as of a date",
    ),
    "admin_move_grant": ("Chuyển quyền sang tổ chức khác", "Move a role"),
    "admin_add_member": ("Thêm đảng viên", "Add a party member"),
    "change_own_password": ("Tự đổi mật khẩu", "Change one's own password"),
    "admin_create_target": ("Giao chỉ tiêu", "Set a target"),
    "admin_update_target": ("Sửa chỉ tiêu", "Change a target"),
    "admin_delete_target": ("Xóa chỉ tiêu", "Delete a target"),
    "admin_create_enterprise": ("Thêm doanh nghiệp", "Register an enterprise"),
    "admin_update_enterprise": ("Sửa thông tin doanh nghiệp", "Edit an enterprise"),
}


def action_label(action: str) -> str:
    """The label of a trigger, a recorded fact (``record_<kind>``) or an admin action."""
    if action in SPECS:
        return pick(SPECS[action].vi, SPECS[action].en)
    kind = action.removeprefix("record_")
    if kind in FACTS:
        return pick(FACTS[kind].vi, FACTS[kind].en)
    if action in OTHER_ACTIONS:
        return pick(*OTHER_ACTIONS[action])
    return action


def deadline_left(days_left: int) -> str:
    """How far a deadline is, in working days: left, due today, or overdue."""
    if days_left < 0:
        return ngettext("%(num)d working day overdue", "%(num)d working days overdue", -days_left)
    if days_left == 0:
        return _("due today")
    return ngettext("%(num)d working day left", "%(num)d working days left", days_left)


def init_app(app: Flask) -> None:
    """Make the labels available to every template."""
    app.jinja_env.globals.update(
        state_label=state_label,
        role_label=role_label,
        action_label=action_label,
        deadline_left=deadline_left,
    )
