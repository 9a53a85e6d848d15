"""The Flask application: ``create_app`` builds it, one blueprint per area."""

from __future__ import annotations

from typing import Any

from flask import Flask

from db.runtime import Runtime


def create_app(test_config: dict[str, Any] | None = None, runtime: Runtime | None = None) -> Flask:
    """Build the app; without `runtime` (engine, sessions, settings) it is made from the env."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SECRET_KEY="dev")
    if test_config:
        app.config.update(test_config)
    app.extensions["hoso"] = runtime or Runtime.from_url(app.config.get("DATABASE_URL"))

    @app.get("/")
    def index() -> str:
        return "hoso"

    return app
