"""Vietnamese by default, English on request; dates as dd/mm/yyyy."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request, session
from flask_babel import Babel

from workflow.dates import LOCAL_ZONE

LOCALES = ("vi", "en")
babel = Babel()


def select_locale() -> str:
    """``?lang=`` (remembered in the session), else the session's, else Vietnamese."""
    asked = request.args.get("lang")
    if asked in LOCALES:
        session["lang"] = asked
        return asked
    return session.get("lang", "vi") if session.get("lang") in LOCALES else "vi"


def format_day(value: date | datetime | str | None) -> str:
    """A date as dd/mm/yyyy (ISO strings accepted)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.strftime("%d/%m/%Y")


def format_moment(value: str | datetime | None) -> str:
    """An event's UTC moment in local time, as dd/mm/yyyy HH:MM."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.astimezone(LOCAL_ZONE).strftime("%d/%m/%Y %H:%M")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment

    @app.context_processor
    def _locale() -> dict:
        from flask_babel import get_locale

        return {"locale": str(get_locale() or "vi")}
