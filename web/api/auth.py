"""Who calls the API: a personal token in ``Authorization: Bearer hoso_...``, nothing else.

No cookie is read or set under /api/v1 (the session is a null one there), so a logged-in
browser's cookie opens nothing and the API needs no CSRF token. Failed attempts are rationed per
address (429), in this process.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from threading import Lock

from flask import Flask, Request, Response, g, request
from flask.sessions import SessionInterface, SessionMixin

from web.api.errors import PREFIX, error_response, in_api
from web.context import runtime
from web.logs import security
from workflow.facts import Actor
from workflow.services.tokens import TokenActor, authenticate

#: What anyone may read without a token: the OpenAPI document and its docs page.
PUBLIC = (f"{PREFIX}/openapi.json", f"{PREFIX}/docs", f"{PREFIX}/static/")
_CHALLENGE = 'Bearer realm="hoso"'


class FailedAttempts:
    """At most `limit` failed token checks per address within `window` seconds."""

    def __init__(self, limit: int = 30, window: int = 300):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.limit

    def fail(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(key, now).append(now)


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


def _attempts() -> FailedAttempts:
    from flask import current_app

    return current_app.extensions["hoso_api_attempts"]


def check_token() -> Response | None:
    """Before every API request but the public ones: the caller's token, else 401 (or 429)."""
    url = request.path
    if not in_api(url) or url.startswith(PUBLIC):
        return None
    address = request.remote_addr or "unknown"
    if _attempts().blocked(address):
        return error_response(429, "too many failed attempts; wait a few minutes")
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    found: TokenActor | None = None
    if scheme.lower() == "bearer" and secret.strip():
        found = authenticate(runtime().uow(write=False), secret.strip())
    if found is None:
        _attempts().fail(address)
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
    app.extensions["hoso_api_attempts"] = FailedAttempts(
        app.config.get("API_MAX_FAILURES", 30), app.config.get("API_FAILURE_WINDOW", 300)
    )
    app.session_interface = NoSessionInApi(app.session_interface)
    app.before_request(check_token)
