"""The one check every text typed by a user passes before it is stored: length and characters.

Every text that reaches storage has a maximum length, checked here in the domain (never left to
the column: PostgreSQL refuses an over-long value with an error, SQLite stores it whole). The
limits below are the usual ones; a field with a narrower column passes its own (``db.models``
never holds less than the domain lets through: tests/workflow/test_limits_columns.py compares).

Characters (docs/limits.md):
- control characters (but line breaks and tabs in multi-line texts) are refused everywhere: the
  history hashes columns joined by a control character;
- invisible characters (bidirectional controls, zero-width ones) are refused in every text, names
  and numbers included: they make two different names look the same or a text read backwards,
  and a refusal says so where stripping them would silently change what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from workflow.errors import InvalidInput

#: A name (of a person, an organisation, a class, an enterprise), a place, an occupation.
NAME_MAX = 200
#: A number as written on a paper (a decision's, a resolution's, a certificate's).
NUMBER_MAX = 50
#: Any other short text on one line (an issuer, an addressee, a source's detail).
LINE_MAX = 300
#: A reason, an answer, a note: a few paragraphs.
NOTE_MAX = 2000

# The refusals' texts (the web translates them).
REQUIRED = "required"
TOO_LONG = "too long"
CONTROL = "contains control characters"
INVISIBLE = "contains invisible characters (direction marks or zero-width characters)"
LINE_BREAK = "must be on one line"

#: Bidirectional controls (U+061C, U+200E/F, U+202A–202E, U+2066–2069), zero-width characters
#: (U+200B–200D, U+2060, U+FEFF) and the other invisible formatting characters near them
#: (U+2061–2064 invisible operators, U+180E Mongolian vowel separator, U+00AD soft hyphen).
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
#: Unicode's control characters (category Cc) but line breaks and tabs. One regular expression
#: instead of a category look-up per character: every text field of every action passes here.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAK = re.compile("[\r\n\u2028\u2029\x85]")


def clean(
    field: str,
    value: Any,
    limit: int,
    *,
    required: bool = False,
    one_line: bool = False,
) -> str | None:
    """`value` trimmed and NFC-normalised, ``None`` when blank; refused (naming `field`) when
    required and blank, longer than `limit`, or holding control or invisible characters (and,
    when `one_line`, line breaks)."""
    raw = "" if value is None else str(value)
    # Length before the character scans: a megabyte pasted into a note is refused at once.
    if len(raw) > 4 * limit + 64:
        raise InvalidInput(field, TOO_LONG)
    text = unicodedata.normalize("NFC", raw.strip())
    check_characters(field, text, one_line=one_line)
    if not text:
        if required:
            raise InvalidInput(field, REQUIRED)
        return None
    if len(text) > limit:
        raise InvalidInput(field, TOO_LONG)
    return text


def clean_name(field: str, value: Any, limit: int = NAME_MAX, *, required: bool = True) -> str:
    """A name (a person's, an organisation's, a username): on one line, inner runs of spaces
    made one, no invisible characters; ``""`` when blank and not required."""
    text = clean(field, value, limit, required=required, one_line=True)
    return " ".join(text.split()) if text else ""


def check_characters(field: str, text: str, *, one_line: bool = False) -> None:
    """Refuse control and invisible characters (and line breaks when `one_line`) in `text`."""
    if _CONTROL.search(text):
        raise InvalidInput(field, CONTROL)
    if _INVISIBLE.search(text):
        raise InvalidInput(field, INVISIBLE)
    if one_line and _BREAK.search(text):
        raise InvalidInput(field, LINE_BREAK)


def has_invisible(text: str) -> bool:
    """Whether `text` holds a bidirectional control or a zero-width character."""
    return bool(_INVISIBLE.search(text))
