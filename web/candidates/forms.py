"""The case page's action forms, built from the actions' FieldSpecs, and the labels they show.

A form only renders the inputs and carries the CSRF token and the case's version: what the user
typed goes to the use case as raw strings, and the domain parses and judges it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, SelectField, StringField, TextAreaField
from wtforms.widgets import DateInput, NumberInput

from workflow.definition import FACTS, SPECS, FieldSpec
from workflow.settings import RuleSettings
from workflow.states import STATE_LABELS, State

#: Forms the deciding bodies issue, on file besides those the rules ask for (domain.md).
OTHER_FORMS = ("CN-NTVĐ", "7-KNĐ", "8-KNĐ", "9-KNĐ", "16-KNĐ")


def locale() -> str:
    """The current request's language: ``vi`` or ``en``."""
    return str(get_locale() or "vi")


def pick(vi: str, en: str) -> str:
    """The Vietnamese or the English text, as the current language asks."""
    return en if locale() == "en" else vi


class Checkbox(BooleanField):
    """A checkbox whose value the domain's boolean parser reads as yes."""

    def _value(self) -> str:
        return "1"


class ActionForm(FlaskForm):
    """The base of every action form: the case's version, against lost updates."""

    version = HiddenField()


def _field(spec: FieldSpec) -> Field:
    """The WTForms field for one FieldSpec (labels are given at rendering, in the language)."""
    if spec.kind == "date":
        return StringField(spec.name, widget=DateInput())
    if spec.kind in ("int", "organisation"):
        return StringField(spec.name, widget=NumberInput(min=0, step=1))
    if spec.kind == "text":
        return TextAreaField(spec.name)
    if spec.kind in ("choice", "member"):
        return SelectField(spec.name, choices=[], validate_choice=False)
    if spec.kind == "bool":
        return Checkbox(spec.name)
    return StringField(spec.name)


@cache
def form_class(fields: tuple[FieldSpec, ...]) -> type[ActionForm]:
    """The form class of an action's fields, built once per process."""
    attributes = {spec.name: _field(spec) for spec in fields}
    return type("ActionForm", (ActionForm,), attributes)


def build_form(
    fields: tuple[FieldSpec, ...],
    version: int,
    members: Iterable[tuple[int, str]],
    formdata: Mapping[str, Any] | None = None,
) -> ActionForm:
    """An action's form for a case at `version`, filled from `formdata` when re-shown."""
    form = form_class(fields)(formdata=formdata)
    # The current version, also when re-shown after a conflict: the user has now seen the case.
    form.version.data = str(version)
    member_choices = [("", _("(choose)")), *((str(i), name) for i, name in members)]
    for spec in fields:
        if spec.kind == "member":
            form[spec.name].choices = member_choices
        elif spec.kind == "choice":
            form[spec.name].choices = [
                ("", _("(choose)") if spec.required else "—"),
                *((value, choice_label(value)) for value in spec.choices),
            ]
    return form


def raw_values(fields: tuple[FieldSpec, ...], posted: Mapping[str, str]) -> dict[str, str]:
    """What the user typed into an action's fields, as strings (an unticked box is absent)."""
    return {spec.name: posted[spec.name] for spec in fields if spec.name in posted}


def document_codes(settings: RuleSettings) -> list[str]:
    """The form codes a document on file may have, for the input's suggestions."""
    codes = [
        *settings.dossier_forms,
        *settings.youth_forms,
        *settings.recognition_forms,
        *OTHER_FORMS,
    ]
    return sorted(set(codes), key=_code_order)


def _code_order(code: str) -> tuple[int, str]:
    """ "CN-NTVĐ" first, then by number: 4-KNĐ before 4A-KNĐ before 10-KNĐ."""
    number = re.match(r"\d+", code)
    return (int(number.group(0)) if number else 0, code)


# --- labels of the domain's names, in the current language ---------------------------------


def state_label(state: str | None) -> str:
    """A state's label; ``new`` and unknown names are shown as they are."""
    if state in set(State):
        vi, en = STATE_LABELS[State(state)]
        return pick(vi, en)
    return state or ""


#: Administrative events (``db.admin``): users, grants, organisations.
ADMIN_ACTIONS = {
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
}


def action_label(action: str) -> str:
    """The label of a trigger, a recorded fact (``record_<kind>``) or an admin action."""
    if action in SPECS:
        return pick(SPECS[action].vi, SPECS[action].en)
    kind = action.removeprefix("record_")
    if kind in FACTS:
        return pick(FACTS[kind].vi, FACTS[kind].en)
    if action in ADMIN_ACTIONS:
        return pick(*ADMIN_ACTIONS[action])
    return action


def role_label(role: str) -> str:
    """A role's name."""
    return {
        "mentor": _("mentor"),
        "secretary": _("secretary"),
        "committee": _("committee"),
        "auditor": _("auditor"),
        "admin": _("administrator"),
        "introducer": _("introducer"),
        "trainer": _("trainer"),
    }.get(role, role)


def choice_label(value: str) -> str:
    """The label of a value a choice field offers or an event recorded."""
    return {
        "nam": _("Male"),
        "nữ": _("Female"),
        "member": _("A party member (3-KNĐ)"),
        "doan": _("The Đoàn, by resolution (4-KNĐ)"),
        "congdoan": _("The Công đoàn, by resolution (4A-KNĐ)"),
        "cell_review": _("The cell's own review"),
        "mass_organisation": _("Introduced by a mass organisation"),
        "commune_application": _("Applied through the commune"),
        "import_file": _("Imported from a file"),
        "cell": _("Party cell"),
        "grassroots": _("Grassroots committee"),
        "recognition": _("Party cell, on recognition"),
        "recognition_grassroots": _("Grassroots committee, on recognition"),
        "admission": _("Admission"),
    }.get(value, value)


@cache
def _field_specs() -> dict[str, FieldSpec]:
    """Every field any action asks for, by name (the first definition wins)."""
    found: dict[str, FieldSpec] = {}
    for spec in (*SPECS.values(), *FACTS.values()):
        for field in spec.fields:
            found.setdefault(field.name, field)
    return found


def field_label(spec: FieldSpec) -> str:
    """A field's label in the current language."""
    return pick(spec.vi, spec.en)


def _fields_of(action: str) -> tuple[FieldSpec, ...]:
    spec = SPECS.get(action) or FACTS.get(action.removeprefix("record_"))
    return spec.fields if spec else ()


def recorded_data(
    action: str, data: Mapping[str, Any], cells: Mapping[int, str]
) -> list[tuple[str, str]]:
    """An event's data as ``(label, text)`` pairs in the order the action's form asks them:
    names instead of ids, dates as dd/mm/yyyy."""
    own = _fields_of(action)
    specs = {**_field_specs(), **{field.name: field for field in own}}
    order = {field.name: i for i, field in enumerate(own)}
    keys = sorted(data, key=lambda k: order.get(k.removesuffix("_name"), len(order)))
    shown: list[tuple[str, str]] = []
    for key in keys:
        value = data[key]
        if key.endswith("_id") and f"{key[:-3]}_name" in data:
            continue  # the name says who; the id is for machines
        # A member the action named is kept as ``<field>_id`` and ``<field>_name``.
        paired = key.endswith("_name") and f"{key[:-5]}_id" in data
        name = key.removesuffix("_name") if paired else key
        spec = specs.get(name)
        if key == "eligible":
            shown.append((_("Eligible to vote"), str(value)))
            continue
        label = field_label(spec) if spec else key
        shown.append((label, _display(spec, value, cells)))
    return shown


def _display(spec: FieldSpec | None, value: Any, cells: Mapping[int, str]) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    kind = spec.kind if spec else ""
    if kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if kind == "organisation" and isinstance(value, int):
        return cells.get(value, f"#{value}")
    if kind == "choice":
        return choice_label(str(value))
    return str(value)
