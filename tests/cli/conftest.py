"""An office with its tree and users imported from docs/examples, on each backend."""

from __future__ import annotations

import pytest

from tests.cli.office import ADMIN, EXAMPLES, Office


@pytest.fixture
def office(runtime, database_url, tmp_path) -> Office:
    """A migrated database (the `runtime` fixture's copy), set up, the examples imported."""
    office = Office(database_url, tmp_path)
    office.set_up()
    office.ok("org", "import", EXAMPLES / "organisations.csv", "--as", ADMIN)
    office.ok("user", "import", EXAMPLES / "users.csv", "--as", ADMIN)
    return office
