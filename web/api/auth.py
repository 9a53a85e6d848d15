"""Who calls the API: a personal token in ``Authorization: Bearer hoso_...``, nothing else.

No cookie is read or set under /api/v1 (the session is a null one there), so a logged-in
browser's cookie opens nothing and the API needs no CSRF token. Failed attempts are rationed per
address (429), counted in the database (``login_attempts``) so that every worker and host
counts them together.
"""

from __future__ import annotations

import logging

from flask import Flask, Request, Response, g, request
from flask.sessions import SessionInterface, SessionMixin

from web.api.errors import PREFIX, error_response, in_api
from web.context import runtime
from web.logs import security
from workflow.facts import Actor
from workflow.logins import ApiLimit
from workflow.services.tokens import authenticate_from, record_api_failure

#: What anyone may read without a token: the OpenAPI document and its docs page.
PUBLIC = (f"{PREFIX}/openapi.json", f"{PREFIX}/docs", f"{PREFIX}/static/")
_CHALLENGE = 'Bearer realm="hoso"'


class NoSessionInApi(SessionInterface):
    """The app's session interface, except under /api/v1: a null session, never saved."""

    def __init__(self, inner: SessionInterface):
        self.inner = inner

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if in_api(request.path):
            return self.inner.make_null_session(app)
        return self.inner.open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if in_api(request.path):
            return None
        return self.inner.save_session(app, session, response)

    def make_null_session(self, app: Flask):
        return self.inner.make_null_session(app)

    def is_null_session(self, obj: object) -> bool:
        return self.inner.is_null_session(obj)


def _limit() -> ApiLimit:
    """The failed attempts allowed per address: ``API_LIMIT`` in the app's config, else 30 in 5
    minutes."""
    from flask import current_app

    return current_app.config.get("API_LIMIT") or ApiLimit()


def check_token() -> Response | None:
    """Before every API request but the public ones: the caller's token, else 401 (or 429)."""
    url = request.path
    if not in_api(url) or url.startswith(PUBLIC):
        return None
    address = (request.remote_addr or "unknown")[:64]
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    presented = secret.strip() if scheme.lower() == "bearer" else ""
    access = authenticate_from(runtime().uow(write=False), presented, address, limit=_limit())
    if access.throttled:
        return error_response(429, "too many failed attempts; wait a few minutes")
    found = access.caller
    if found is None:
        record_api_failure(runtime().uow(), address, limit=_limit())
        security("api_token_refused", logging.WARNING, status=401, presented=bool(secret.strip()))
        return error_response(
            401,
            "a valid personal API token is required (Authorization: Bearer hoso_...)",
            headers={"WWW-Authenticate": _CHALLENGE},
        )
    g.api_token = found
    return None


def api_actor() -> Actor:
    """The Actor the token acts as (only the grants it was given)."""
    return g.api_token.actor


def init_app(app: Flask) -> None:
    app.session_interface = NoSessionInApi(app.session_interface)
    app.before_request(check_token)
