"""The Flask application: ``create_app`` builds it, one blueprint per area."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from db.runtime import Runtime
from db.session import instance_path
from web import config


def create_app(
    test_config: dict[str, Any] | None = None,
    runtime: Runtime | None = None,
    *,
    development: bool | None = None,
) -> Flask:
    """Build the app; without `runtime` (engine, sessions, settings) it is made from the env.

    Production unless `development` (``hoso run``) or ``HOSO_ENV=development``: then
    ``HOSO_SECRET_KEY`` is required and cookies are Secure (``config.ConfigError`` otherwise).
    """
    folder = instance_path()
    if development is None:
        development = config.is_development()
    given = test_config or {}
    app = Flask(__name__, instance_path=str(folder))
    secure = config.secure_cookies(development)
    app.config.from_mapping(
        DEVELOPMENT=development,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
        PAGE_SIZE=50,
        **config.upload_limit(),
    )
    app.config.update(given)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(folder, development)
    config.apply_proxy_fix(app, config.proxy_count())
    app.extensions["hoso"] = runtime or Runtime.from_url(app.config.get("DATABASE_URL"))

    from web import api, auth, converters, errors, health, i18n, labels, security, static, tasks
    from web.account import bp as account_bp
    from web.admin import bp as admin_bp
    from web.audit import bp as audit_bp
    from web.candidates import bp as candidates_bp
    from web.classes import bp as classes_bp
    from web.deadlines import bp as deadlines_bp
    from web.documents import bp as documents_bp
    from web.enterprises import bp as enterprises_bp
    from web.forms_dates import init_app as init_dates
    from web.proposals import bp as proposals_bp
    from web.reports import bp as reports_bp
    from web.reviews import bp as reviews_bp
    from web.work import bp as work_bp

    tasks.init_app(app)  # units of work hand their deferred tasks to the app's (web.tasks)
    converters.init_app(app)  # first: every <int:...> rule below is bounded
    security.init_app(app)
    i18n.init_app(app)
    init_dates(app)  # one date entry: dd/mm/yyyy (web/forms_dates.py)
    labels.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    for blueprint in (work_bp, candidates_bp, reviews_bp, audit_bp, admin_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(deadlines_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(classes_bp)
    app.register_blueprint(enterprises_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(health.bp)
    api.init_app(app)  # after the site's blueprints: its errors wrap the site's handlers
    static.init_app(app)  # after every blueprint: it covers their static folders too
    return app
