"""``GET /healthz``: whether the database answers and is at the newest migration.

For a load balancer, a container's health check or a monitoring probe: no login, no CSRF (it is
a GET), no personal data, never cached.
"""

from __future__ import annotations

import logging
from functools import cache

from flask import Blueprint, Response, jsonify
from sqlalchemy.exc import SQLAlchemyError

from db.migrate import current_revision, head_revision
from web.context import runtime

bp = Blueprint("health", __name__)
log = logging.getLogger("hoso.health")


@cache
def _head() -> str | None:
    """The newest revision hoso ships (reading the migration scripts once per process)."""
    return head_revision()


def check() -> tuple[int, dict[str, str | None]]:
    """The status code and the body: 200 when the database answers and is at head, else 503."""
    head = _head()
    try:
        revision = current_revision(runtime().engine)
    except SQLAlchemyError as error:
        # The reason goes to the server's log only: it may name hosts or accounts.
        log.warning("health check: the database does not answer: %s", error.__class__.__name__)
        return 503, {"database": "unreachable", "migrations": "unknown", "revision": None}
    body: dict[str, str | None] = {"database": "ok", "revision": revision}
    if revision == head:
        return 200, {**body, "migrations": "current"}
    # "missing": never initialised; "outdated": `hoso init` not run after an upgrade (or the
    # database is newer than this code).
    state = "missing" if revision is None else "outdated"
    return 503, {**body, "migrations": state, "head": head}


@bp.get("/healthz")
def healthz() -> Response:
    """The health check as JSON."""
    status, body = check()
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
