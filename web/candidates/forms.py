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

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, SelectField, StringField, TextAreaField
from wtforms.widgets import NumberInput

from web.forms_dates import DayInput

# The domain's names are labelled in web.labels; re-exported here for the case page's modules.
from web.labels import action_label, locale, pick, role_label, state_label  # noqa: F401
from workflow.definition import FACTS, SPECS, FieldSpec
from workflow.education import EDUCATION_LABELS, HARDSHIP_AREAS, EducationLevel
from workflow.people import CATEGORY_LABELS, Category
from workflow.settings import RuleSettings
from workflow.verification import SUBJECT_LABELS, VERIFICATION_FIELDS

CATEGORY_VALUES = frozenset(c.value for c in Category)
_EDUCATION_VALUES = frozenset(level.value for level in EducationLevel)

#: Forms the deciding bodies issue, on file besides those the rules ask for (domain.md).
OTHER_FORMS = ("CN-NTVĐ", "7-KNĐ", "8-KNĐ", "9-KNĐ", "14-KNĐ", "16-KNĐ")


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
        return StringField(spec.name, widget=DayInput())
    if spec.kind in ("int", "organisation"):
        return StringField(spec.name, widget=NumberInput(min=0, step=1))
    if spec.kind == "text":
        return TextAreaField(spec.name)
    if spec.kind in ("choice", "member", "education"):
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
        elif spec.kind in ("choice", "education"):
            form[spec.name].choices = [
                ("", _("(choose)") if spec.required else "—"),
                *((value, choice_label(value)) for value in spec.choices),
            ]
    return form


_VOTE = frozenset({"vote_date", "votes_for"})
_DECISION = frozenset({"decision_number", "decision_date"})
_REASON = frozenset({"reason"})

#: The fields an action's rules need though its FieldSpecs leave them optional (the rules judge
#: them and say what is missing): the form marks them as required all the same. Keyed like
#: ``action_label``: a trigger, or ``record_<kind>`` for a fact.
NEEDED: dict[str, frozenset[str]] = {
    "complete_training": frozenset({"certificate_number", "certificate_date"}),
    "submit_dossier": _VOTE,
    "admit": _VOTE | _DECISION,
    # The cell's vote may be on file already (13-KNĐ): see `needed_fields`.
    "recognize": _VOTE | _DECISION,
    "return_dossier": _REASON,
    "reject": _REASON,
    "remove": _REASON,
    "withdraw": _REASON,
    "reinstate": _REASON,
    "record_recognition_vote": _VOTE,
    "record_decision_extension": _REASON,
}


def needed_fields(
    action: str, fields: tuple[FieldSpec, ...], vote_on_file: bool = False
) -> frozenset[str]:
    """The names of the fields the form of `action` marks as required: those its FieldSpecs
    require and those its rules need (a recognition judges the vote on file, if there is one)."""
    needed = {spec.name for spec in fields if spec.required} | NEEDED.get(action, frozenset())
    if action == "recognize" and vote_on_file:
        needed -= _VOTE
    return frozenset(needed) & {spec.name for spec in fields}


def shown_fields(
    action: str, fields: tuple[FieldSpec, ...], has_grassroots_committee: bool = True
) -> tuple[FieldSpec, ...]:
    """The fields the form of `action` shows: ``admit`` asks for the grassroots committee's vote
    only where one sits between the cell and the deciding body (a chi bộ cơ sở's resolution goes
    straight up, and the rules judge no such vote)."""
    if action == "admit" and not has_grassroots_committee:
        return tuple(spec for spec in fields if spec.name not in _GRASSROOTS_VOTE)
    return fields


_GRASSROOTS_VOTE = frozenset({"vote_date", "votes_for", "votes_against"})


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


# --- labels of the values the forms offer, in the current language ------------------------


def choice_label(value: str) -> str:
    """The label of a value a choice field offers or an event recorded."""
    if value in CATEGORY_VALUES:  # a person's category (workflow.people)
        return pick(*CATEGORY_LABELS[Category(value)])
    if value in SUBJECT_LABELS:  # about whom a verification request asks
        return pick(*SUBJECT_LABELS[value])
    if value in _EDUCATION_VALUES:  # an education level (workflow.education)
        return pick(*EDUCATION_LABELS[EducationLevel(value)])
    if value in HARDSHIP_AREAS:  # where an exception to the education floor applies
        return pick(*HARDSHIP_AREAS[value])
    return {
        "nam": _("Male"),
        "nữ": _("Female"),
        "member": _("A party member (3-KNĐ)"),
        "doan": _("The Đoàn, by resolution (4-KNĐ)"),
        "congdoan": _("The Công đoàn, by resolution (4A-KNĐ)"),
        # The very words of the new-candidate form (web/candidates/new.py): the source chosen is
        # the source shown.
        "cell_review": _("Found in the cell's own review"),
        "mass_organisation": _("Proposed by a mass organisation"),
        "commune_application": _("Applied to join the Party through the commune or town"),
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
    if action in VERIFICATION_FIELDS:  # the biography verification's steps
        return VERIFICATION_FIELDS[action]
    spec = SPECS.get(action) or FACTS.get(action.removeprefix("record_"))
    return spec.fields if spec else ()


#: Data an event keeps beyond the action's form: counts, uploaded scans, generated documents.
_EXTRA_LABELS = {
    "eligible": _l("Members entitled to vote"),
    "official_since": _l("Official member from (end of probation)"),
    "referred_to_higher_committee": _l("Third vote short of 2/3: sent to the higher committee"),
    "vote_on_file": _l("Vote recorded earlier"),
    "file_sha256": _l("Scan (SHA-256)"),
    "file_size": _l("Scan size (bytes)"),
    "file_type": _l("Scan type"),
    "file_name": _l("Scan file name"),
    "generated_number": _l("Register number of the document made"),
    "generated_data_hash": _l("Hash of the document's data"),
    "data_hash": _l("Hash of the document's data"),
}


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
        if spec is None and key in _EXTRA_LABELS:
            shown.append((str(_EXTRA_LABELS[key]), _("yes") if value is True else str(value)))
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
