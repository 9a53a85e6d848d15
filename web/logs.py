"""The security log: one JSON object per line on the ``hoso.security`` logger.

Each line has ``time`` (UTC, ISO 8601), ``event``, ``level``, ``user`` (the logged-in username, or
the one tried at login), ``address`` (the client's, as the app sees it: behind ``ProxyFix`` the
forwarded one), ``method``, ``path`` and whatever the event adds (``status``, ``wait``,
``endpoint``...). Nothing here logs a password, a token or a form's values: fields whose name
says so are dropped before writing (see ``SECRET_WORDS``), and the callers pass none.

The logger has no handler of its own: ``hoso serve`` routes it to stderr; without a handler
Python's last resort prints warnings and above. ``HOSO_SECURITY_LOG_LEVEL`` (``INFO`` unless set)
is its level: ``INFO`` logs successful logins, logouts and admin changes too, ``WARNING`` only
failures, throttling and refusals.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, has_request_context, request
from flask_login import current_user

LOGGER = "hoso.security"
#: Field names never written, whatever a caller passes.
SECRET_WORDS = ("password", "token", "secret", "csrf", "cookie", "authorization")

#: Admin changes that have an event name of their own on the log.
ADMIN_EVENTS = {"admin.reset_password": "password_reset"}

logger = logging.getLogger(LOGGER)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in fields.items()
        if not any(word in key.lower() for word in SECRET_WORDS)
    }


def _who() -> str | None:
    try:
        return current_user.username if current_user.is_authenticated else None
    except Exception:  # noqa: BLE001 - a log line must never break the answer it describes
        return None


def line(event: str, level: int = logging.INFO, **fields: Any) -> dict[str, Any]:
    """The record of `event` as a dict (what ``security`` writes as one JSON line)."""
    record: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "event": event,
        "level": logging.getLevelName(level),
    }
    if has_request_context():
        record.update(
            user=_who(), address=request.remote_addr, method=request.method, path=request.path
        )
    record.update(_clean(fields))
    return record


def security(event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Write `event` on the security log as one JSON line (`fields` never hold a secret)."""
    if logger.isEnabledFor(level):
        logger.log(level, json.dumps(line(event, level, **fields), ensure_ascii=False, default=str))


def init_app(app: Flask) -> None:
    """Set the security log's level from ``HOSO_SECURITY_LOG_LEVEL`` (or the app's config)."""
    name = app.config.get("SECURITY_LOG_LEVEL") or os.environ.get("HOSO_SECURITY_LOG_LEVEL", "INFO")
    level = logging.getLevelName(str(name).upper())
    if not isinstance(level, int):
        raise ValueError(f"HOSO_SECURITY_LOG_LEVEL: not a log level: {name!r}")
    logger.setLevel(level)


def log_admin_change(response: Response) -> Response:
    """After a request of the admin pages: a POST that succeeded (it redirects) is an admin
    change, logged with its endpoint and the ids in its URL (never the form's values)."""
    if request.method == "POST" and response.status_code in (302, 303):
        security(
            ADMIN_EVENTS.get(request.endpoint or "", "admin_change"),
            endpoint=request.endpoint,
            target=dict(request.view_args or {}),
            status=response.status_code,
        )
    return response
