"""Domain errors become HTTP answers; error pages in the site's layout; refusals logged.

Every answer 403, 404, 409, 422 or 429 (from these handlers or a view) is a line of the security
log (``web.logs``): the status, the error's kind, and for a refused field its name (never the
value given).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from web import logs
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


#: The answers the security log records as refusals.
REFUSALS = frozenset({403, 404, 409, 422, 429})


def status_of(error: DomainError) -> int:
    """The HTTP status a domain error maps to."""
    return STATUS.get(type(error), 400)


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db_session)

    app.after_request(log_refusal)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        g.refusal = {"error": type(error).__name__}
        return render_template("error.html", code=error.code, title=_title(error.code)), error.code

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        code = status_of(error)
        g.refusal = refusal_details(error)
        return render_template("error.html", code=code, title=_title(code)), code


def refusal_details(error: DomainError) -> dict[str, Any]:
    """What the security log says of a domain error: its kind, the field or rules it names."""
    details: dict[str, Any] = {"error": type(error).__name__}
    if isinstance(error, InvalidInput):
        details["field"] = error.field
    elif isinstance(error, RuleViolation):
        details["rules"] = [failure.rule for failure in error.failures]
    return details


def log_refusal(response: Response) -> Response:
    """Every answer 403/404/409/422/429 is a line of the security log, however it was made (an
    error handler, or a view showing a refused form again); a view that logged it already sets
    ``g.security_logged``."""
    if response.status_code in REFUSALS and not g.pop("security_logged", False):
        details = g.pop("refusal", None) or {}
        logs.security("refused", logging.WARNING, status=response.status_code, **details)
    return response


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
