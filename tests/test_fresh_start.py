"""A real office starts without the demo: ``hoso init``, ``hoso setup``, the organisations and
the users from the example files of docs/operations.md, a password, the first candidate, and
the history verified; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from db import passwords
from db.models import Event, User
from db.read.tree import tree_at
from db.runtime import Runtime
from tests.cli.office import ADMIN, EXAMPLES, ROOT, Office
from workflow.settings import Settings

SECRETARY_PASSWORD = "Bich-Truong-Thpt-25"
CELL = "Chi bộ Trường THPT Đức Trọng"


def test_an_office_starts_from_nothing_to_its_first_candidate(database_url, tmp_path):
    office = Office(database_url, tmp_path)
    office.ok("init")
    assert "first admin nguyenvana" in office.set_up().output
    dry = office.ok("org", "import", EXAMPLES / "organisations.csv", "--as", ADMIN, "--dry-run")
    assert "nothing was stored" in dry.output
    assert len(office.json("org", "list", "--as", ADMIN)) == 1
    office.ok("org", "import", EXAMPLES / "organisations.csv", "--as", ADMIN)
    office.ok("user", "import", EXAMPLES / "users.csv", "--as", ADMIN)
    office.ok(
        "user",
        "passwd",
        "tranthib",
        "--as",
        ADMIN,
        "--password-stdin",
        input=SECRETARY_PASSWORD + "\n",
    )
    cell = office.organisation(CELL)
    added = office.ok(
        "case",
        "new",
        "full_name=Nguyễn Thị Hoa",
        "birth_date=2000-03-04",
        "source=cell_review",
        f"cell={cell}",
        "--as",
        "tranthib",
    )
    assert "identify done; state identified" in added.output
    assert "history intact: 22 events" in office.ok("audit", "verify").output

    rt = Runtime.from_url(database_url, settings=Settings())
    try:
        with rt.sessions() as session:
            users = {u.username: u for u in session.scalars(select(User))}
            assert set(users) == {ADMIN, "tranthib", "lequangc", "phamthid", "hoangvane"}
            secretary = users["tranthib"].password_hash
            assert secretary.startswith(passwords.PREFIX)
            assert passwords.verify(secretary, SECRETARY_PASSWORD)
            assert users["lequangc"].password_hash == ""  # none until an admin sets one
            first = session.scalars(select(Event).order_by(Event.id).limit(3)).all()
            assert {(e.username, e.role) for e in first} == {("setup", "system")}
            # The reform: the district decided until 30/06/2025, the commune from 01/07/2025.
            before, after = tree_at(session, date(2025, 6, 30)), tree_at(session, date(2025, 7, 1))
            names = lambda tree: {o.name for o in tree.nodes.values()}  # noqa: E731
            assert "Huyện ủy Đức Trọng" in names(before) - names(after)
            assert "Đảng ủy xã Đức Trọng" in names(after) - names(before)
            parent = lambda tree: tree.get(tree.get(cell).parent_id).name  # noqa: E731
            assert (parent(before), parent(after)) == ("Huyện ủy Đức Trọng", "Đảng ủy xã Đức Trọng")
            assert ROOT in names(before) & names(after)
    finally:
        rt.engine.dispose()
