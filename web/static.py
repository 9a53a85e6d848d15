"""Static files under URLs that name their content, cached for a year.

``url_for("static", filename="hoso.css")`` (and every blueprint's ``"<bp>.static"``) yields
``/static/hoso.css?v=<hash of the file>``. A request carrying the current hash is answered with
``Cache-Control: public, max-age=31536000, immutable``: a changed file gets a new URL, so a
browser never needs to ask again. A URL without the hash, or with an old one (a page cached
before an upgrade), still gets the file, with a short lifetime.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

#: For a URL that names the content.
LONG = "public, max-age=31536000, immutable"
#: For one that does not (or names old content): kept briefly, then asked again.
SHORT = "public, max-age=300"
#: Characters of the SHA-256 hex digest in the URL (48 bits: collisions do not matter here, a
#: collision would only serve a cached old file).
DIGEST_CHARS = 12
PARAM = "v"


class Digests:
    """The hash of each static file, computed once per process (files change with a deploy)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], str | None] = {}

    def of(self, folder: str | None, filename: str) -> str | None:
        """The file's short hash, or None when it does not exist in `folder`."""
        if folder is None:
            return None
        key = (folder, filename)
        if key not in self._known:
            path = safe_join(folder, filename)
            digest = None
            if path is not None and Path(path).is_file():
                digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:DIGEST_CHARS]
            self._known[key] = digest
        return self._known[key]


def _is_static(endpoint: str | None) -> bool:
    return endpoint == "static" or bool(endpoint and endpoint.endswith(".static"))


def _folder(app: Flask, endpoint: str) -> str | None:
    """The static folder behind a static endpoint (the app's or a blueprint's)."""
    if endpoint == "static":
        return app.static_folder
    blueprint = app.blueprints.get(endpoint.rsplit(".", 1)[0])
    return blueprint.static_folder if blueprint is not None else None


def _digests() -> Digests:
    return current_app.extensions["hoso_static"]


def _add_digest(endpoint: str, values: dict) -> None:
    """``url_for`` on a static endpoint adds the file's hash (unless one is given)."""
    if not _is_static(endpoint) or PARAM in values or "filename" not in values:
        return
    digest = _digests().of(_folder(current_app, endpoint), values["filename"])
    if digest is not None:
        values[PARAM] = digest


def _cache_headers(response: Response) -> Response:
    """A year for the current hash, a few minutes otherwise."""
    if not _is_static(request.endpoint) or response.status_code not in (200, 206, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    digest = _digests().of(_folder(current_app, request.endpoint), filename)
    current = digest is not None and request.args.get(PARAM) == digest
    response.headers["Cache-Control"] = LONG if current else SHORT
    response.headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    """Hash every static URL the app builds (the app's and every blueprint's static folder)."""
    app.extensions["hoso_static"] = Digests()
    app.url_defaults(_add_digest)
    app.after_request(_cache_headers)
