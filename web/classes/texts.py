"""The words of the classes' pages: kinds, reasons, statuses, and the refusals of bad input."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workflow import classes as rules
from workflow.errors import InvalidInput

KINDS = {
    rules.SessionKind.daytime: _l("Daytime"),
    rules.SessionKind.evening: _l("Evening"),
    rules.SessionKind.weekend: _l("Weekend"),
}
KIND_HINTS = {
    rules.SessionKind.daytime: _l("weekdays, before 17:00"),
    rules.SessionKind.evening: _l("from 17:00"),
    rules.SessionKind.weekend: _l("Saturdays and Sundays"),
}
REASONS = {
    rules.AbsenceReason.work_shift: _l("Work shift"),
    rules.AbsenceReason.illness: _l("Illness"),
    rules.AbsenceReason.family: _l("Family"),
    rules.AbsenceReason.other: _l("Other reason"),
}
STATUSES = {
    "upcoming": _l("Upcoming"),
    "running": _l("Under way"),
    "over": _l("Over: certificates to issue"),
    "issued": _l("Certificates issued"),
}
OUTCOMES = {
    "certified": _l("Certificate issued"),
    "refused": _l("Finished, certificate refused"),
    "not_finished": _l("Did not finish"),
}
ROLES = {"secretary": _l("the cell's secretary"), "mentor": _l("the mentor")}

#: The schedule form's fields, for messages that name them.
FIELDS = {
    "name": _l("Name of the class"),
    "place": _l("Place"),
    "kind": _l("Kind of sessions"),
    "capacity": _l("Capacity"),
    "note": _l("Note"),
    "sessions": _l("Sessions"),
    "registered_on": _l("Registered on"),
    "certificate_date": _l("Date of the certificates"),
    "reason": _l("Reason"),
}
_PROBLEMS = {
    rules.REQUIRED: _l("this is required."),
    rules.TOO_LONG: _l("too long."),
    rules.NOT_A_TIME: _l("not a time; write it as HH:MM."),
    rules.NOT_A_CHOICE: _l("not one of the choices."),
    rules.CAPACITY_RANGE: _l("a number of seats from 1 to the centre's largest class."),
    rules.NO_SESSION: _l("a class needs at least one session."),
    rules.ENDS_BEFORE_START: _l("the session ends before it starts."),
    rules.SAME_SESSION: _l("two sessions at the same date and time."),
    rules.NOT_WEEKEND: _l("a weekend class meets on Saturdays and Sundays only."),
    rules.NOT_EVENING: _l("an evening class starts at 17:00 or later."),
    rules.NOT_DAYTIME: _l("a daytime class meets on weekdays, starting before 17:00."),
    rules.ENDED: _l("the last session is already past."),
    rules.IN_FUTURE: _l("is in the future."),
    rules.AFTER_CLASS: _l("is after the class's last day."),
    rules.BEFORE_CLASS_END: _l("is before the class's last session."),
    rules.NOTE_NEEDED: _l("say why, in a few words."),
    rules.NO_MARK: _l("choose present or a reason of absence."),
    rules.CONTROL: _l("contains control characters."),
}


def field_name(field: str) -> str:
    """How a message names a field, including a session row (``session_date-3``)."""
    if field in FIELDS:
        return str(FIELDS[field])
    name, _sep, number = field.partition("-")
    if name in ("session_date", "session_start", "session_end"):
        part = {"session_date": _("date"), "session_start": _("start"), "session_end": _("end")}
        return _("Session %(n)s, %(part)s", n=number, part=part[name])
    if name in ("mark", "note"):
        return _("Attendance")
    return field


def problem(bad: InvalidInput) -> str:
    """A refused input in the page's language: the field, then what is wrong with it."""
    if bad.message in _PROBLEMS:
        what = str(_PROBLEMS[bad.message])
    elif "is not a date" in bad.message:
        what = _("not a date; write it as dd/mm/yyyy.")
    else:
        what = bad.message
    return _("%(field)s: %(problem)s", field=field_name(bad.field), problem=what)
