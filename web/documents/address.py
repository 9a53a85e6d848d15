"""The address printed under a generated document's verification code, and drawn in its QR code.

It comes from the instance's configuration only: ``HOSO_BASE_URL`` (or ``base_url`` in
``[reminders]`` of ``hoso.toml``), else, in development (``hoso run``), ``DEVELOPMENT_BASE``.
Never from the request: a client sending ``Host: evil.example`` (or ``X-Forwarded-Host``) would
otherwise have hồ sơ print a decision whose QR code leads to a look-alike "verification" site.
Without a configured address a document carries its code alone, and the note
"chưa cấu hình địa chỉ tra cứu" where the QR code would be (``documents/templates/_form.html``).
"""

from __future__ import annotations

from urllib.parse import quote

from flask import current_app

from web.context import runtime

#: The address ``hoso run`` serves by default: used only in development, when none is configured.
DEVELOPMENT_BASE = "http://127.0.0.1:5000"
#: Where a code goes in ``verify_url_pattern`` (the tasks draw documents off the request with it).
CODE = "{code}"


def base_address() -> str | None:
    """The configured web address (without a trailing slash), else the development default in
    development, else ``None``: nothing to print."""
    configured = runtime().settings.reminders.base_url
    if configured:
        return configured.strip().rstrip("/")
    if current_app.config.get("DEVELOPMENT"):
        return DEVELOPMENT_BASE
    return None


def verify_url(verify_code: str) -> str | None:
    """The verification page of `verify_code` at the configured address (``None``: none set)."""
    base = base_address()
    return f"{base}/verify/{quote(verify_code, safe='')}" if base else None


def verify_url_pattern() -> str | None:
    """The verification address with ``{code}`` where a code goes (for the tasks), or ``None``."""
    return pattern_at(base_address())


def configured_pattern(base_url: str | None) -> str | None:
    """``verify_url_pattern`` outside the web app (a ``hoso`` command): the configured address
    only, no development default (a command serves no page)."""
    return pattern_at(base_url.strip().rstrip("/") if base_url and base_url.strip() else None)


def pattern_at(base: str | None) -> str | None:
    """The verification address at `base` with ``{code}`` where a code goes (``None``: none)."""
    return f"{base}/verify/{CODE}" if base else None
