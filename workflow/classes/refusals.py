"""The refusals of bad input (the web words them in the user's language), and the text checks."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from typing import Any

from workflow import text as texts
from workflow.errors import InvalidInput

REQUIRED = "required"
TOO_LONG = "too long"
NOT_A_TIME = "not a time (HH:MM)"
NOT_A_CHOICE = "not one of the choices"
CAPACITY_RANGE = "out of range"
NO_SESSION = "a class needs at least one session"
ENDS_BEFORE_START = "the session ends before it starts"
SAME_SESSION = "two sessions at the same date and time"
NOT_WEEKEND = "a weekend class meets on Saturdays and Sundays"
NOT_EVENING = "an evening class starts at 17:00 or later"
NOT_DAYTIME = "a daytime class meets on weekdays before 17:00"
ENDED = "the class would be over before today"
IN_FUTURE = "is in the future"
AFTER_CLASS = "is after the class's last day"
BEFORE_CLASS_END = "is before the class's last session"
NOTE_NEEDED = "say why, in a few words"
NO_MARK = "choose present or a reason of absence"
CONTROL = "contains control characters"

#: The longest texts the forms take (the columns of db.models.classes hold them).
NAME_MAX, PLACE_MAX, NOTE_MAX, CLASS_NOTE_MAX, REASON_MAX = 200, 300, 300, 2000, 300


def clean_text(name: str, value: Any, limit: int, required: bool = True) -> str | None:
    """Trimmed text on one line, at most `limit` characters; control characters are refused."""
    raw = str(value or "")
    if len(raw) > 4 * limit + 64:
        raise InvalidInput(name, TOO_LONG)  # refused before it is scanned
    # The history hashes columns joined by a control character: none may come from input.
    texts.check_characters(name, raw)
    text = unicodedata.normalize("NFC", " ".join(raw.split()))
    if not text:
        if required:
            raise InvalidInput(name, REQUIRED)
        return None
    if len(text) > limit:
        raise InvalidInput(name, TOO_LONG)
    return text


def parse_time(name: str, value: Any) -> time | None:
    """A local time from ``HH:MM``; empty is ``None``."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%H:%M").time()
    except ValueError:
        raise InvalidInput(name, NOT_A_TIME) from None


def day_text(day: date) -> str:
    """A day as the refusals write it (``27/11/2026``)."""
    return day.strftime("%d/%m/%Y")
