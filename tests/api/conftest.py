"""API fixtures: the demo district copied once per module, with one app (tests/web/access_site)."""

from __future__ import annotations

import pytest

from tests.api.support import ApiClient, mint
from tests.web.access_site import start_demo


@pytest.fixture(scope="module")
def demo(demo_template, tmp_path_factory):
    """The demo district, copied once for the module, with one app (the API included)."""
    yield from start_demo(demo_template, tmp_path_factory)


@pytest.fixture(scope="module")
def api(demo):
    """``api("bantochuc")``: a client with a token of that demo account (all its roles), made
    once per module and account."""
    made: dict[str, ApiClient] = {}

    def _client(account: str | None) -> ApiClient:
        if account not in made:
            made[account] = ApiClient(demo.app, mint(demo.runtime, account) if account else None)
        return made[account]

    return _client
