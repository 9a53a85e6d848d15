"""What the environment says about running for real: development or not, the secret key, Secure
cookies, and how many reverse proxies to believe.

``hoso run`` (Flask's server) is development; everything else (``hoso serve``, a WSGI server
importing ``web.wsgi:app``) is production unless ``HOSO_ENV=development``.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger("hoso.config")

#: A shorter key is refused outside development (HMAC of the session cookie; 32 random bytes
#: as hex are 64 characters).
MIN_SECRET_KEY = 32
#: The most proxies HOSO_PROXY_FIX may name: a longer chain is a mistake, not a deployment.
MAX_PROXIES = 5


class ConfigError(ValueError):
    """The environment does not allow the app to start; the message names the variable."""


def whole_setting(
    environ: Mapping[str, str],
    name: str,
    default: int,
    meaning: str,
    low: int,
    high: int | None = None,
) -> int:
    """The whole number in `name` (`default` when unset) from `low` up to `high`; else a
    ``ConfigError`` saying it must be `meaning`."""
    value = environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < low or (high is not None and int(value) > high):
        raise ConfigError(f"{name} must be {meaning}, not {value!r}")
    return int(value)


def is_development(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether ``HOSO_ENV`` says development (anything else, or nothing, is production)."""
    value = environ.get("HOSO_ENV", "").strip().lower()
    if value not in ("", "development", "production"):
        raise ConfigError(f"HOSO_ENV must be 'development' or 'production', not {value!r}")
    return value == "development"


def secret_key(folder: Path, development: bool, environ: Mapping[str, str] = os.environ) -> str:
    """``HOSO_SECRET_KEY`` (required outside development), else a key kept in the instance
    folder (made on first start)."""
    key = environ.get("HOSO_SECRET_KEY", "")
    if not development:
        if not key:
            raise ConfigError(
                "HOSO_SECRET_KEY is required outside development: set it to a random string of "
                f"at least {MIN_SECRET_KEY} characters (python -c 'import secrets; "
                "print(secrets.token_hex(32))'), the same for every worker and host"
            )
        if len(key) < MIN_SECRET_KEY:
            raise ConfigError(
                f"HOSO_SECRET_KEY is too short ({len(key)} characters): at least "
                f"{MIN_SECRET_KEY} are needed outside development"
            )
    if key:
        return key
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def secure_cookies(development: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether cookies are ``Secure``: by default outside development, ``HOSO_SECURE_COOKIES``
    (0 or 1) says otherwise."""
    value = environ.get("HOSO_SECURE_COOKIES", "").strip()
    if value not in ("", "0", "1"):
        raise ConfigError(f"HOSO_SECURE_COOKIES must be 0 or 1, not {value!r}")
    if value == "":
        return not development
    if value == "0" and not development:
        # Allowed for a plain-http intranet, but a session cookie then travels in clear text.
        log.warning(
            "HOSO_SECURE_COOKIES=0: session cookies are sent over plain http too "
            "(use only on a trusted intranet without TLS)"
        )
    return value == "1"


def proxy_count(environ: Mapping[str, str] = os.environ) -> int:
    """How many reverse proxies stand in front of the app (``HOSO_PROXY_FIX``; 0: none)."""
    meaning = f"the number of reverse proxies (0 to {MAX_PROXIES})"
    return whole_setting(environ, "HOSO_PROXY_FIX", 0, meaning, 0, MAX_PROXIES)


def upload_limit(environ: Mapping[str, str] = os.environ) -> dict[str, int]:
    """``HOSO_UPLOAD_MAX_BYTES`` as app config (nothing when unset: the documents' default)."""
    if not environ.get("HOSO_UPLOAD_MAX_BYTES", "").strip():
        return {}
    meaning = "a number of bytes (at least 1024)"
    return {
        "HOSO_UPLOAD_MAX_BYTES": whole_setting(environ, "HOSO_UPLOAD_MAX_BYTES", 0, meaning, 1024)
    }


def apply_proxy_fix(app: Flask, proxies: int) -> None:
    """Believe the client address and scheme the last `proxies` proxies set, nothing more.

    X-Forwarded-For gives the address login throttling counts by; X-Forwarded-Proto makes
    ``request.is_secure`` (and so redirects and HSTS) right behind a TLS proxy. X-Forwarded-Host,
    -Port and -Prefix are ignored: a client could set them, and nothing should build a URL
    (the verification link least of all) from a host the client names.
    """
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0, x_prefix=0
        )
