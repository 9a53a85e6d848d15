"""Vietnamese by default, English on request; dates as dd/mm/yyyy."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Flask, current_app, request, session, url_for
from flask_babel import Babel, gettext
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

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
    """An event's UTC moment in local time, as dd/mm/yyyy HH:MM (the CSV export's column)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.astimezone(LOCAL_ZONE).strftime("%d/%m/%Y %H:%M")


def format_moment_zoned(value: str | datetime | None) -> str:
    """A moment on a page: local time with its zone said, "05/12/2026 07:30 (giờ Việt Nam)"."""
    # A reader abroad, or a log in UTC beside the page, must not be off by seven hours.
    moment = format_moment(value)
    return gettext("%(moment)s (Vietnam time)", moment=moment) if moment else ""


def _gettable(path: str) -> bool:
    """`path` (under this app's root) is an address a GET may open."""
    root = request.script_root
    if root and not path.startswith(root + "/"):
        return False
    adapter = current_app.create_url_adapter(request)
    try:
        adapter.match(path.removeprefix(root), method="GET")
    except RequestRedirect:
        return True  # e.g. the slash added to /reviews
    except HTTPException:
        return False  # no such page, or one that takes only POST
    return True


def _page_to_reload() -> tuple[str, list[tuple[str, str]]]:
    """The page the language switch reloads: this one on a GET; after a POST (whose address
    may take only POST) the page the form was sent from, if it is on this site, else home."""
    if request.method in ("GET", "HEAD"):
        return request.script_root + request.path, list(request.args.items(multi=True))
    from web.auth import safe_next

    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.scheme == request.scheme:
        target = safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""))
        parts = urlsplit(target)
        if _gettable(parts.path):
            return parts.path, parse_qsl(parts.query, keep_blank_values=True)
    return url_for("work.index"), []


def language_switch_url(lang: str) -> str:
    """The address that shows the current page again in `lang` (always one a GET may open)."""
    path, args = _page_to_reload()
    args = [(key, value) for key, value in args if key != "lang"]
    return f"{path}?{urlencode([*args, ('lang', lang)])}"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment_zoned

    @app.context_processor
    def _locale() -> dict:
        from flask_babel import get_locale

        return {"locale": str(get_locale() or "vi"), "language_switch_url": language_switch_url}
