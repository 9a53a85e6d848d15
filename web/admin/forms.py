"""The admin pages' forms, their choices, and the words for the use cases' refusals.

The forms check what a form can (present, long enough, one of the choices); the use cases in
``workflow.services.admin`` decide the rest (scope, duplicates) and their refusals are shown on
the field.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from web.labels import role_label
from workflow import admin, passwords
from workflow import text as texts
from workflow import tree as tree_rules
from workflow.states import OrgType, Role, UnitKind

TYPE_NAMES = {
    OrgType.committee: _l("Party committee"),
    OrgType.cell: _l("Party cell"),
    OrgType.mass: _l("Mass organisation"),
    OrgType.centre: _l("Political centre"),
}
UNIT_NAMES = {
    UnitKind.school: _l("School"),
    UnitKind.enterprise: _l("Enterprise"),
    UnitKind.other: _l("Other"),
}
MASS_NAMES = {
    "doan": _l("Youth Union (Đoàn)"),
    "congdoan": _l("Trade union (Công đoàn)"),
    "mattran": _l("Fatherland Front (Mặt trận)"),
    "hoi": _l("Association (Hội)"),
    "other": _l("Other"),
}

#: The use cases' refusals, in words.
MESSAGES = {
    admin.USERNAME_TAKEN: _l("This username is already taken."),
    admin.USERNAME_FORM: _l("Use 2 to 80 lower-case letters, digits, dots, dashes or underscores."),
    admin.REQUIRED: _l("This field is required."),
    admin.TOO_LONG: _l("This is too long."),
    admin.PASSWORD_SHORT: _l("The password needs at least %(n)s characters.", n=admin.PASSWORD_MIN),
    passwords.COMMON: _l("This is one of the most common passwords; choose another."),
    passwords.LIKE_NAME: _l("The password is too close to the username or the name."),
    admin.EMAIL_FORM: _l("This is not an e-mail address."),
    admin.MEMBER_TAKEN: _l("This party member already has a user."),
    admin.NOT_YOURSELF: _l("You cannot do this to your own account."),
    admin.OWN_ADMIN: _l("You cannot remove your own admin role."),
    admin.OWN_GRANT: _l("An admin grants no role to their own account: another admin does."),
    texts.INVISIBLE: _l("Invisible characters (direction marks, zero-width) are not accepted."),
    texts.LINE_BREAK: _l("Write this on one line."),
    texts.CONTROL: _l("Control characters are not accepted."),
    admin.GRANT_HELD: _l("The user already holds this role there."),
    admin.UNKNOWN_ROLE: _l("Unknown role."),
    admin.UNKNOWN_CHOICE: _l("Not one of the choices."),
    admin.PARENT_KIND: _l("This kind of organisation cannot be placed there."),
    admin.NAME_TAKEN: _l("An organisation of this name already exists there."),
    admin.SIZE_RANGE: _l("Give a number from 0 to 999."),
    admin.NOT_A_COMMITTEE: _l("Only a party committee can decide admissions."),
    tree_rules.DISSOLVED: _l("This organisation is dissolved."),
    tree_rules.GRANT_DISSOLVED: _l("A role cannot be granted on a dissolved organisation."),
}


def options(pairs) -> list[SelectChoice]:
    """Choices for a select from ``(value, label)`` pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def message(text: str) -> str:
    """A use case's refusal in the user's language."""
    return str(MESSAGES.get(text, text))


def refuse(form: FlaskForm, field: str, text: str) -> None:
    """Show a use case's refusal on the field it names (or on the whole form)."""
    target = form._fields.get(field)
    if target is not None:
        target.errors = [*target.errors, message(text)]
    else:
        form.form_errors.append(message(text))


_REQUIRED = _l("This field is required.")
_IN_SCOPE = _l("Choose an organisation in your scope.")


class NewUserForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[InputRequired(message=_REQUIRED), Length(max=80)]
    )
    full_name = StringField(
        _l("Full name"), validators=[InputRequired(message=_REQUIRED), Length(max=200)]
    )
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=200)])
    password = PasswordField(
        _l("Initial password"), validators=[InputRequired(message=_REQUIRED), Length(max=200)]
    )
    member = SelectField(_l("Party member (for mentors)"), choices=[], validate_choice=False)
    active = BooleanField(_l("Active: may log in"), default=True)


class UserForm(FlaskForm):
    full_name = StringField(
        _l("Full name"), validators=[InputRequired(message=_REQUIRED), Length(max=200)]
    )
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=200)])
    member = SelectField(_l("Party member (for mentors)"), choices=[], validate_choice=False)


class PasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[InputRequired(message=_REQUIRED), Length(max=200)]
    )


class ActiveForm(FlaskForm):
    active = HiddenField(validators=[AnyOf(["0", "1"])])


class GrantForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[], validate_choice=False)
    organisation = SelectField(_l("Organisation"), choices=[], validate_choice=False)

    def fill(self, organisations: list[tuple[int, str]]) -> GrantForm:
        """Offer the roles and the organisations of the admin's scope."""
        self.role.choices = options([("", "—"), *((r.value, role_label(r)) for r in Role)])
        self.organisation.choices = options([("", "—"), *organisations])
        self.role.validators = [AnyOf([r.value for r in Role], message=str(_REQUIRED))]
        self.organisation.validators = [
            AnyOf([str(i) for i, _ in organisations], message=str(_IN_SCOPE))
        ]
        return self


class PlainForm(FlaskForm):
    """A button that only needs its CSRF token."""


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Organisation name"), validators=[InputRequired(message=_REQUIRED), Length(max=200)]
    )
    unit_kind = SelectField(
        _l("Kind of unit"), choices=options((k.value, v) for k, v in UNIT_NAMES.items())
    )
    mass_kind = SelectField(
        _l("Kind of mass organisation"),
        choices=options([("", "—"), *MASS_NAMES.items()]),
        validate_choice=False,
    )
    has_doan = BooleanField(_l("The unit has a Đoàn branch"), default=True)
    committee_size = IntegerField(
        _l("Committee members"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=999)],
    )


class NewOrganisationForm(OrganisationForm):
    parent = SelectField(_l("Parent organisation"), choices=[], validate_choice=False)
    type = SelectField(_l("Kind"), choices=options((k.value, v) for k, v in TYPE_NAMES.items()))

    def fill(self, parents: list[tuple[int, str]]) -> NewOrganisationForm:
        self.parent.choices = options([("", "—"), *parents])
        self.parent.validators = [AnyOf([str(i) for i, _ in parents], message=str(_IN_SCOPE))]
        return self


class DecidingForm(FlaskForm):
    decides = HiddenField(validators=[AnyOf(["0", "1"])])
