"""The domain's refusals in the command's language, from the web's own catalogue.

The domain speaks English (``InvalidInput("full_name", "too long")``, ``NotFound("no case 7")``);
the web maps those texts to messages (``web/admin/forms.py`` MESSAGES and its siblings) whose
Vietnamese is in ``web/translations/vi/LC_MESSAGES/messages.po``. The command reads the same
maps and the same catalogue with Babel alone (no Flask app): a second catalogue would drift.
Texts with a value inside (an id, a date typed wrong, a limit) are matched by the patterns
below, whose msgids are in the same catalogue. A text with no translation stays English.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import click
from babel.support import NullTranslations, Translations

from web.cli.lang import lang

CATALOGUE = Path(__file__).resolve().parents[1] / "translations"


def N_(msgid: str) -> str:  # noqa: N802 (Babel's keyword for a msgid marked, not translated)
    """Mark `msgid` for ``scripts/i18n extract``; it is looked up when said."""
    return msgid


#: The domain's texts that carry a value, each with the msgid that says it (named groups are
#: its parameters). Tried in order; the first that matches the whole text wins.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), msgid)
    for pattern, msgid in (
        (r"no case (?P<id>\S+)", N_("No case %(id)s.")),
        (r"no party member (?:with id )?(?P<id>\S+)", N_("No party member %(id)s.")),
        (r"no active user (?P<name>.+)", N_("No active user %(name)s.")),
        (r"no user (?P<name>.+) in your scope", N_("No user %(name)s in your scope.")),
        (r"(?:no )?organisation (?P<id>\S+)", N_("No organisation %(id)s.")),
        (r"(?:no )?user (?P<id>\d+)", N_("No user %(id)s.")),
        (r"(?:no )?grant (?P<id>\d+)", N_("No role grant %(id)s.")),
        (r"no class (?P<id>\S+)", N_("No class %(id)s.")),
        (r"no proposal (?P<id>\S+)", N_("No proposal %(id)s.")),
        (r"no hand-over (?P<id>\S+)", N_("No hand-over %(id)s.")),
        (r"no correction (?P<id>\S+)", N_("No correction %(id)s.")),
        (
            r"(?P<value>'.*') is not a date \(YYYY-MM-DD or dd/mm/yyyy\)",
            N_("%(value)s is not a date (YYYY-MM-DD or dd/mm/yyyy)."),
        ),
        (r"(?P<value>'.*') is not a whole number", N_("%(value)s is not a whole number.")),
        (
            r"(?P<value>'.*') is not an id \(a whole number from 0 to (?P<max>\d+)\)",
            N_("%(value)s is not an id (a whole number from 0 to %(max)s)."),
        ),
        (
            r"(?P<value>'.*') is not one of (?P<choices>.+)",
            N_("%(value)s is not one of %(choices)s."),
        ),
        (r"(?P<value>'.*') is not yes or no\.?", N_("%(value)s is not yes or no.")),
        (
            r"(?P<value>'.*') is not committee, cell, centre or mass",
            N_("%(value)s is not committee, cell, centre or mass."),
        ),
        (
            r"is longer than (?P<limit>\d+) characters(?: \(\d+\))?\.?",
            N_("Longer than %(limit)s characters."),
        ),
        (r"(?:must be )?at most (?P<limit>\d+) characters", N_("At most %(limit)s characters.")),
        (r"must be at most (?P<limit>\d+)", N_("At most %(limit)s.")),
        (r"unknown role: (?P<value>.+)", N_("Unknown role: %(value)s.")),
    )
)

#: The domain's texts with no value inside that no web map covers yet.
PLAIN: dict[str, str] = {
    "is required": N_("This field is required."),
    "is in the future": N_("This date is in the future."),
    "must not be negative": N_("This must not be negative."),
    "no organisation of this code or name in the file, nor in your scope": N_(
        "No organisation of this code or name in the file, nor in your scope."
    ),
    "its parent's row is refused": N_("Its parent's row is refused."),
    "required: the organisation where the role is held": N_(
        "Required: the organisation where the role is held."
    ),
    "required: the role held in the organisation": N_(
        "Required: the role held in the organisation."
    ),
}


#: Fields of the admin's commands that only the web's forms name (the same msgids as the forms).
FORM_LABELS: dict[str, str] = {
    "username": N_("Username"),
    "email": N_("E-mail"),
    "password": N_("Password"),
    "role": N_("Role"),
    "organisation": N_("Organisation"),
}


@functools.cache
def catalogue() -> NullTranslations:
    """The web's Vietnamese catalogue (compiled ``messages.mo``), loaded once."""
    return Translations.load(str(CATALOGUE), ["vi"])


def say(msgid: str, **params: Any) -> str:
    """`msgid` in the command's language, with its parameters filled in."""
    text = msgid if lang() == "en" else catalogue().gettext(msgid)
    return text % params if params else text


def _msgid(message: Any) -> tuple[str, dict[str, Any]]:
    """The msgid and parameters behind one of the web's messages (a lazy string or text)."""
    args = getattr(message, "_args", None)  # flask_babel's LazyString keeps gettext's arguments
    if args:
        return str(args[0]), dict(getattr(message, "_kwargs", {}) or {})
    return str(message), {}


@functools.cache
def _known() -> dict[str, tuple[str, dict[str, Any]]]:
    """Every domain text the web translates, with the web's msgid for it (the admin's first)."""
    from web import account
    from web.admin import forms, restructure
    from web.enterprises import forms as enterprise_forms
    from web.reports import edit, statistics

    known: dict[str, tuple[str, dict[str, Any]]] = {}
    for table in (
        forms.MESSAGES,
        restructure.MESSAGES,
        enterprise_forms.MESSAGES,
        edit.MESSAGES,
        statistics.MESSAGES,
        account.MESSAGES,
    ):
        for text, message in table.items():
            known.setdefault(text, _msgid(message))
    for text, msgid in PLAIN.items():
        known.setdefault(text, (msgid, {}))
    return known


def refusal(text: str) -> str:
    """A domain's refusal text in the command's language (as it is when nothing translates it)."""
    if lang() == "en":
        return text
    text = text.strip()
    known = _known().get(text) or _known().get(text.rstrip("."))
    if known is not None:
        return say(known[0], **known[1])
    for pattern, msgid in PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return say(msgid, **found.groupdict())
    head, sep, rest = text.partition(": ")
    if sep and head in _known():  # "unknown role: 'x'": the known head said, the value kept
        return f"{refusal(head).rstrip('.')}: {rest}"
    if sep and refusal(rest) != rest:  # "USERNAME: no user 'x' in your scope"
        return f"{field_label(head)}: {refusal(rest)}"
    return text


@functools.cache
def _labels() -> dict[str, str]:
    """Each field's Vietnamese label: the candidates' fields, the actions', the files' columns."""
    from workflow.definition import FACTS, SPECS
    from workflow.importing import org_rows, user_rows
    from workflow.importing.fields import FIELDS

    labels: dict[str, str] = {name: spec.vi for name, spec in FIELDS.items()}
    for spec in (*SPECS.values(), *FACTS.values()):
        for field in spec.fields:
            labels.setdefault(field.name, field.vi)
    for column in (*user_rows.COLUMNS, *org_rows.COLUMNS):
        labels.setdefault(column.name, column.vi)
    for name, msgid in FORM_LABELS.items():
        labels.setdefault(name, catalogue().gettext(msgid))
    return labels


def field_label(name: str | None, own: Iterable[Any] = ()) -> str:
    """A field's label in the command's language: its Vietnamese label where one exists (the
    command's own columns first, `own`), else its name (an option, an argument: as typed)."""
    if not name or lang() == "en":
        return name or ""
    mine: Mapping[str, str] = {column.name: column.vi for column in own}
    return mine.get(name) or _labels().get(name) or name


def invalid_input(field: str, message: str) -> str:
    """An ``InvalidInput`` refusal: the field's label, then the reason."""
    if lang() == "en":
        return f"{field}: {message}"
    return f"{field_label(field)}: {refusal(message)}"


def problem_text(problem: Any) -> str:
    """A file row's problem (``workflow.importing.problems.Problem``) in the command's language:
    its own Vietnamese where it has one, else its English said as the web says it."""
    if lang() == "en":
        return problem.en
    if problem.vi != problem.en:
        head, sep, tail = problem.vi.partition(": ")
        if sep and tail and tail == problem.en.partition(": ")[2]:  # a label before English
            return f"{head}: {refusal(tail)}"
        return problem.vi
    return refusal(problem.en)


def _said_in_language(original: Any) -> Any:
    """click's wrong-value message with its reason said in the command's language (a converter's
    reason is English: "'abc' is not an id ...")."""

    def format_message(self: click.BadParameter) -> str:
        said = refusal(self.message)
        if said == self.message:
            return original(self)
        kept, self.message = self.message, said
        try:
            return original(self)
        finally:
            self.message = kept

    return format_message


click.BadParameter.format_message = _said_in_language(click.BadParameter.format_message)  # type: ignore[method-assign]
