"""``/api/v1/docs``: Swagger UI on the OpenAPI document, served from here (no CDN; configured
by a script file, since the site's CSP allows no inline script)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint(
    "api_docs",
    __name__,
    url_prefix="/api/v1",
    static_folder="static",
    static_url_path="/static",
)


@bp.get("/docs")
def docs():
    """The API's reference, read from /api/v1/openapi.json."""
    return render_template("api/docs.html")
