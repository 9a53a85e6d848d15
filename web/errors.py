"""Domain errors become HTTP answers; error pages in the site's layout."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from web.context import close_db_session
from workflow.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    RuleViolation,
)

STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    NotAllowed: 403,
    InvalidTransition: 409,
    Conflict: 409,
    RuleViolation: 422,
    InvalidInput: 422,
}


def status_of(error: DomainError) -> int:
    """The HTTP status a domain error maps to."""
    return STATUS.get(type(error), 400)


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db_session)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        return render_template("error.html", code=error.code, title=_title(error.code)), error.code

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        code = status_of(error)
        return render_template("error.html", code=code, title=_title(code)), code


def _title(code: int | None) -> str:
    return {
        400: _("Bad request"),
        401: _("Please log in"),
        403: _("You may not do this"),
        404: _("Not found"),
        405: _("Not allowed here"),
        409: _("The case has changed"),
        413: _("The file is too large"),
        422: _("Refused"),
        429: _("Too many attempts"),
    }.get(code or 500, _("Something went wrong"))
