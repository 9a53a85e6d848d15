"""Fixtures of the case list's tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def one_page(app):
    """Every case on one page, so that a listing can be compared with the database."""
    app.config["PAGE_SIZE"] = 10_000
    return app
