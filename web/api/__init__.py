"""The REST API under /api/v1 (flask-smorest): the same use cases and read models as the site,
behind personal tokens; its OpenAPI document at /api/v1/openapi.json, its docs at /api/v1/docs.

Also here: the pages where a user makes and revokes their tokens (``/account/tokens``).
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from flask import Flask, Response, g, request
from flask_smorest import Api

from web.api.errors import PREFIX, ErrorSchema, in_api

#: One JSON line per API call: token, user, method, path, status, duration (the refused tokens
#: are also on the security log, ``web.logs``).
log = logging.getLogger("hoso.api")


class HosoApi(Api):
    """flask-smorest's Api, without its app-wide error handler: the site's pages keep theirs
    and ``web.api.errors`` answers in JSON under /api/v1 only. No catch-all "default" response
    either: each operation lists the statuses it may answer."""

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        pass


def _started() -> None:
    if in_api(request.path):
        g.api_started = time.perf_counter()


def _logged(response: Response) -> Response:
    """Log the call (never the token's secret: only its id)."""
    started = g.get("api_started")
    if started is None:
        return response
    found = g.get("api_token")
    line = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "event": "api_call",
        "token_id": found.token_id if found else None,
        "user": found.actor.username if found else None,
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "address": request.remote_addr,
    }
    log.info(json.dumps(line, ensure_ascii=False))
    return response


def init_app(app: Flask) -> None:
    """Register the API, its docs page and the token pages (after every other blueprint: the
    API's error handlers wrap the site's)."""
    from web.api import auth, docs, errors
    from web.api import tokens as token_pages
    from web.api.cases import bp as cases_bp
    from web.api.documents import bp as documents_bp
    from web.api.reports import bp as reports_bp
    from web.security import csrf

    app.config.setdefault("API_TITLE", "hoso")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "security": [{"token": []}],
            "components": {
                "securitySchemes": {
                    "token": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "A personal API token (hoso_...), made at /account/tokens.",
                    }
                }
            },
            "info": {"description": "Hồ sơ kết nạp Đảng: the REST API (docs/api.md)."},
        },
    )
    app.before_request(_started)
    errors.init_app(app)
    auth.init_app(app)
    api = HosoApi(app)
    for blueprint in (cases_bp, documents_bp, reports_bp):
        csrf.exempt(blueprint)  # token only, no cookie: nothing for a forged form to ride on
        api.register_blueprint(blueprint, url_prefix=f"{PREFIX}{blueprint.url_prefix or ''}")
    app.extensions["hoso_api"] = api
    app.register_blueprint(docs.bp)
    app.register_blueprint(token_pages.bp)
    app.after_request(_logged)
