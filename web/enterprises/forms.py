"""The registry's form and the words for the use cases' refusals."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from web.admin.forms import options
from web.forms_dates import DayField
from workflow import enterprises as rules

SURVEY_NAMES = {
    "not_surveyed": _l("not surveyed"),
    "surveyed": _l("surveyed"),
    "plan_agreed": _l("plan agreed"),
}
MESSAGES = {
    rules.REQUIRED: _l("This field is required."),
    rules.TOO_LONG: _l("This is too long."),
    rules.TAX_CODE_FORM: _l("A tax code has 10 or 13 digits."),
    rules.TAX_CODE_TAKEN: _l("An enterprise with this tax code is already registered."),
    rules.WORKFORCE_RANGE: _l("Give a whole number from 0 to 1000000."),
    rules.UNKNOWN_CHOICE: _l("Not one of the choices."),
}


def refuse(form: FlaskForm, field: str, text: str) -> None:
    """Show a use case's refusal on the field it names (or on the whole form)."""
    words = str(MESSAGES.get(text, text))
    target = form._fields.get(field)
    if target is not None:
        target.errors = [*target.errors, words]
    else:
        form.form_errors.append(words)


class EnterpriseForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    tax_code = StringField(_l("Tax code"), validators=[Optional(), Length(max=20)])
    address = StringField(
        _l("Address or industrial zone"), validators=[Optional(), Length(max=300)]
    )
    workforce = IntegerField(
        _l("Workforce"), validators=[InputRequired(), NumberRange(0, rules.WORKFORCE_MAX)]
    )
    committee_id = SelectField(_l("Committee keeping the survey"), coerce=int)
    cell_id = SelectField(_l("Party cell"), coerce=int)
    has_doan = BooleanField(_l("Has a Đoàn branch"))
    has_congdoan = BooleanField(_l("Has a Công đoàn branch"))
    survey_status = SelectField(
        _l("Survey"), choices=options(SURVEY_NAMES.items()), default="not_surveyed"
    )
    surveyed_on = DayField(_l("Survey date"), validators=[Optional()])
    plan = TextAreaField(
        _l("Plan for finding candidates"), validators=[Optional(), Length(max=4000)]
    )

    def fill(self, committees: list[tuple[int, str]], cells: list[tuple[int, str]]):
        self.committee_id.choices = options(committees)
        self.cell_id.choices = options([(0, _l("none")), *cells])
        return self

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "tax_code": self.tax_code.data,
            "address": self.address.data,
            "workforce": self.workforce.data,
            "committee_id": self.committee_id.data,
            "cell_id": self.cell_id.data or None,
            "has_doan": self.has_doan.data,
            "has_congdoan": self.has_congdoan.data,
            "survey_status": self.survey_status.data,
            "surveyed_on": self.surveyed_on.data,
            "plan": self.plan.data,
        }
