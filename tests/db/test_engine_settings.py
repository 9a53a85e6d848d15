"""The settings hoso's engine gives every PostgreSQL connection (``db.session.make_engine``)."""

from __future__ import annotations

from sqlalchemy import text

from db.session import make_engine


def _url(postgres_admin) -> str:
    return postgres_admin.url.render_as_string(hide_password=False)


def test_postgresql_connections_run_without_jit(postgres_admin):
    """JIT compiled for 0.5 s on each worklist query over 100,000 cases: the app turns it off."""
    engine = make_engine(_url(postgres_admin))
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SHOW jit")) == "off"
    finally:
        engine.dispose()


def test_options_in_the_url_are_left_to_the_operator(postgres_admin):
    """A URL that sets its own server options keeps them (and the server's JIT setting)."""
    url = _url(postgres_admin)
    separator = "&" if "?" in url else "?"
    engine = make_engine(f"{url}{separator}options=-c%20work_mem%3D8MB")
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SHOW work_mem")) == "8MB"
    finally:
        engine.dispose()
