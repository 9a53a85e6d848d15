"""The known-device cookie: a browser that has logged in as a user before says so, signed.

OWASP's device cookie ("Slow down online guessing attacks with device cookies"): after a
successful login the browser gets a cookie, signed with the app's secret key, holding a random
device id and the usernames that logged in from it. Next time, a login as one of those usernames
is judged only by the failures made from this device (``workflow.logins``), so that a stranger
guessing that user's password from elsewhere, or from the same office address, does not keep
them out. A forged or expired cookie counts as none.
"""

from __future__ import annotations

import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from workflow.logins import normal_username

COOKIE = "hoso_device"
SALT = "hoso.known-device"
MAX_AGE = 180 * 24 * 3600
#: Usernames remembered per browser (a shared office computer).
MAX_USERS = 5


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _read() -> dict | None:
    value = request.cookies.get(COOKIE)
    if not value or len(value) > 2000:
        return None
    try:
        data = _signer().loads(value, max_age=MAX_AGE)
    except BadSignature:
        return None
    valid = (
        isinstance(data, dict)
        and isinstance(data.get("d"), str)
        and isinstance(data.get("u"), list)
        and all(isinstance(u, str) for u in data["u"])
    )
    return data if valid else None


def known_device(username: str) -> str | None:
    """This browser's device id if its cookie names `username`, else ``None``."""
    data = _read()
    if data is None or normal_username(username) not in data["u"]:
        return None
    return data["d"]


def remember_device(response: Response, username: str) -> None:
    """After a successful login: this browser is a known device of `username` from now on."""
    data = _read() or {"d": secrets.token_urlsafe(16), "u": []}
    name = normal_username(username)
    users = [u for u in data["u"] if u != name][-(MAX_USERS - 1) :] + [name]
    response.set_cookie(
        COOKIE,
        _signer().dumps({"d": data["d"], "u": users}),
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
