"""One date entry everywhere: a text box for dd/mm/yyyy, whatever the browser's locale.

``<input type="date">`` shows its value in the browser's locale (mm/dd/yyyy on an English
Chromium, yyyy-mm-dd on others), so the same page reads differently from one office to the next.
hoso asks for dd/mm/yyyy in a plain text box (numeric keypad on a phone) and the server reads it
with `workflow.fields.parse_date` (which also takes yyyy-mm-dd, for old bookmarks and scripts).

- `DayField` is the WTForms field; `DayInput` its widget (also used by the case page's actions).
- Templates call the ``date_input`` macro (web/templates/_date.html); its value goes through the
  ``day_value`` global: a date, or an ISO string, shown as dd/mm/yyyy, what the user typed kept.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.widgets import TextInput

from workflow.errors import InvalidInput
from workflow.fields import parse_date

#: What the box shows while empty, in every language (the order of the parts is the point).
DATE_PLACEHOLDER = "dd/mm/yyyy"
#: The browser's own check before sending (the server checks again: the calendar, the range).
DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"


def day_value(value: Any) -> str:
    """A date (or an ISO ``yyyy-mm-dd`` string) as dd/mm/yyyy; anything else as it was typed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    try:
        return date.fromisoformat(text).strftime("%d/%m/%Y") if len(text) == 10 else text
    except ValueError:
        return text  # the user's own text, shown back as typed with the refusal


class DayInput(TextInput):
    """A text box for dd/mm/yyyy: placeholder, pattern, numeric keypad, at most 10 characters."""

    def __call__(self, field: Field, **kwargs: Any) -> Any:
        kwargs.setdefault("placeholder", DATE_PLACEHOLDER)
        kwargs.setdefault("pattern", DATE_PATTERN)
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("maxlength", 10)
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("class", "date")
        return super().__call__(field, **kwargs)


class DayField(Field):
    """A date typed as dd/mm/yyyy (or yyyy-mm-dd); empty is ``None``."""

    widget = DayInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]  # shown back as typed, with the refusal next to it
        return day_value(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the typed text; a text that is no date leaves ``data`` None and says why."""
        if not valuelist:
            return
        try:
            self.data = parse_date(self.name, valuelist[0])
        except InvalidInput:
            self.data = None
            raise ValueError(str(_l("Enter the date as dd/mm/yyyy."))) from None


def init_app(app: Flask) -> None:
    """Make ``day_value`` and the pattern available to every template."""
    app.jinja_env.globals.update(
        day_value=day_value, DATE_PLACEHOLDER=DATE_PLACEHOLDER, DATE_PATTERN=DATE_PATTERN
    )
