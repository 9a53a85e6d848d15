"""The demo site the access tables run on: one app on a private copy of the demo district.

Every POST here is one the site must refuse, so the demo district is copied once for each test
module, one logged-in client per account is kept, and after each POST the database is checked
to be exactly as before. The forms below are ones an allowed POST would save.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pytest
from sqlalchemy import text

from tests.web.access_matrix import (
    CHU_VAN_AN,
    DONG_THUY,
    OTHER_CELL,
    OTHER_PROVINCE,
    CaseRow,
)
from tests.web.conftest import DEMO_PASSWORD, Browser


class Client(Browser):
    """A test client holding its session's CSRF token."""

    def __init__(self, client, token: str):
        super().__init__(client)
        self.token = token

    def send(self, path: str, data: Mapping[str, str] | None = None):
        return self.client.post(path, data={**(data or {}), "csrf_token": self.token})


@dataclass
class Demo:
    """One app on a private copy of the demo district, shared by the module."""

    app: object
    runtime: object
    cases: list[CaseRow] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)
    clients: dict[str | None, Client] = field(default_factory=dict)
    last: object = None  # the last response `refused` got

    def sql(self, query: str, **params):
        with self.runtime.engine.connect() as conn:
            return conn.execute(text(query), params).all()

    def load(self) -> None:
        rows = self.sql(
            """
            SELECT c.id, o.name, o.unit_kind, c.state, c.version, u.username
            FROM cases c JOIN organisations o ON o.id = c.cell_id
            LEFT JOIN users u ON u.member_id = c.mentor_id AND c.mentor_id IS NOT NULL
            ORDER BY c.id
            """
        )
        self.cases = [CaseRow(r[0], r[1], r[2] == "school", r[3], r[4], r[5]) for r in rows]
        self.ids = {
            "cva_mentee": self.pick(CHU_VAN_AN, "mentored", mentor="giupdo.chuvanan"),
            "cva_mentee_sent": self.pick(CHU_VAN_AN, "dossier_submitted", mentor="giupdo.chuvanan"),
            "cva_other": self.pick(CHU_VAN_AN, "trained", mentor=None),
            "cva_identified": self.pick(CHU_VAN_AN, "identified"),
            "dt_mentee": self.pick(DONG_THUY, "mentored", mentor="giupdo.dongthuy"),
            "dt_mentee_official": self.pick(DONG_THUY, "official", mentor="giupdo.dongthuy"),
            "dt_other": self.pick(DONG_THUY, "identified"),
            "other_school": next(
                c.id
                for c in self.cases
                if c.school and c.cell != CHU_VAN_AN and c.state == "returned"
            ),
            "other_mentored": next(
                c.id
                for c in self.cases
                if c.cell not in (CHU_VAN_AN, DONG_THUY) and c.state == "mentored"
            ),
            "missing": max(c.id for c in self.cases) + 1000,
        }
        (user,) = self.sql("SELECT id FROM users WHERE username = 'bithu.chuvanan'")[0]
        (org,) = self.sql("SELECT id FROM organisations WHERE name = :n", n=CHU_VAN_AN)[0]
        self.ids.update(user_bithu=user, org_cva=org)

    def pick(self, cell: str, state: str, mentor: str | None = "") -> int:
        """A case of `cell` in `state`; mentored by `mentor` (None: by no demo account)."""
        for case in self.cases:
            if (
                case.cell == cell
                and case.state == state
                and (mentor == "" or case.mentor == mentor)
            ):
                return case.id
        raise LookupError(f"the demo has no {state} case in {cell} mentored by {mentor}")

    def named(self) -> list[CaseRow]:
        """The cases PAGES names."""
        ids = {i for name, i in self.ids.items() if name.startswith(("cva_", "dt_", "other_"))}
        return [c for c in self.cases if c.id in ids]

    def sample(self) -> list[CaseRow]:
        """The named cases, and one case of each state they leave out."""
        named = self.named()
        states = {c.state for c in self.cases} - {c.state for c in named}
        return named + [next(c for c in self.cases if c.state == s) for s in sorted(states)]

    def case(self, case_id: int) -> CaseRow:
        return next(c for c in self.cases if c.id == case_id)

    def path(self, page: str) -> str:
        return page.format(**self.ids)

    def snapshot(self) -> dict[str, object]:
        """What a refused POST must leave alone: every case's state and version, the number of
        events, and the tables an admin could change."""
        queries = {
            "cases": "SELECT id, state, version FROM cases ORDER BY id",
            "events": "SELECT count(*), max(id) FROM events",
            "users": "SELECT * FROM users ORDER BY id",
            "role_grants": "SELECT * FROM role_grants ORDER BY id",
            "organisations": "SELECT * FROM organisations ORDER BY id",
        }
        with self.runtime.engine.connect() as conn:
            return {name: conn.execute(text(query)).all() for name, query in queries.items()}

    def as_(self, account: str | None) -> Client:
        """A client logged in as `account` (None: not logged in), made once per module."""
        if account not in self.clients:
            browser = Browser(self.app.test_client())
            if account is not None:
                response = browser.login(account, DEMO_PASSWORD)
                assert response.status_code == 302, f"login as {account} failed"
            token = browser.csrf("/" if account else "/login")
            self.clients[account] = Client(browser.client, token)
        return self.clients[account]

    def refused(self, account: str | None, path: str, data: Mapping[str, str], status) -> str:
        """POST and check the answer and that nothing changed; a problem's description or ''."""
        before = self.snapshot()
        response = self.last = self.as_(account).send(path, data)
        wanted = status if isinstance(status, tuple) else (status,)
        problems = []
        if response.status_code not in wanted:
            problems.append(f"got {response.status_code}, expected {' or '.join(map(str, wanted))}")
        after = self.snapshot()
        changed = [name for name in before if before[name] != after[name]]
        if changed:
            problems.append(f"changed {', '.join(changed)}")
        return f"{account} POST {path}: {'; '.join(problems)}" if problems else ""


def start_demo(demo_template, tmp_path_factory) -> Iterator[Demo]:
    """The demo district copied, with one app (for a module-scoped `demo` fixture)."""
    from db.runtime import Runtime
    from web import create_app

    folder = tmp_path_factory.mktemp("access")
    shutil.copy(demo_template, folder / "hoso.sqlite3")
    runtime = Runtime.from_url(f"sqlite:///{folder / 'hoso.sqlite3'}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOSO_INSTANCE", str(folder / "instance"))
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": True}, runtime=runtime
        )
        site = Demo(app, runtime)
        site.load()
        yield site
    runtime.engine.dispose()


def add_other_province(demo: Demo) -> None:
    """A second province beside the demo's, with a cell and its secretary: all outside the
    admin's scope. Their ids go in `demo.ids` (other_province, other_cell, other_user,
    other_grant)."""
    from db.models import RoleGrant, User
    from db.repositories.organisations import add_organisation

    with demo.runtime.sessions() as session:
        province = add_organisation(session, OTHER_PROVINCE, "committee", committee_size=15)
        cell = add_organisation(session, OTHER_CELL, "cell", province, unit_kind="school")
        user = User(username="bithu.lequydon", full_name="Bí thư Lê Quý Đôn", password_hash="")
        grant = RoleGrant(role="secretary", organisation_id=cell.id)
        user.grants.append(grant)
        session.add(user)
        session.commit()
        demo.ids.update(
            other_province=province.id, other_cell=cell.id, other_user=user.id, other_grant=grant.id
        )


def version_field(case: CaseRow) -> dict[str, str]:
    """The version field of a form posted on `case`."""
    return {"version": str(case.version)}


def no_problems(problems: list[str]) -> None:
    """Fail with every problem `refused` described, if there is any."""
    problems = [p for p in problems if p]
    assert not problems, f"{len(problems)} wrong answers:\n" + "\n".join(problems)


def identify_form(demo: Demo, cell: str) -> dict[str, str]:
    """A new candidate the rules accept, for `cell`."""
    (cell_id,) = demo.sql("SELECT id FROM organisations WHERE name = :n", n=cell)[0]
    return {
        "full_name": "Nguyễn Thị Mới",
        "birth_date": "01/02/2008",
        "sex": "nữ",
        "cell": str(cell_id),
        "source": "cell_review",
        "id_number": "068308001234",
    }


def decision_form(demo: Demo, case_id: int, action: str, **fields: str) -> dict[str, str]:
    data = {f"action-{case_id}": action, f"version-{case_id}": str(demo.case(case_id).version)}
    data.update({f"{name}-{case_id}": value for name, value in fields.items()})
    return data


COMMUNE = "Đảng ủy xã Đức Trọng"


def admin_posts(demo: Demo) -> list[tuple[str, dict[str, str]]]:
    """Admin forms with data an admin's POST would save (test_admin_posts_would_pass)."""
    user = demo.ids["user_bithu"]
    (grant,) = demo.sql("SELECT id FROM role_grants WHERE user_id = :u", u=user)[0]
    # Chu Văn An's committee since the 2025 reform (the dissolved district takes no change).
    (district,) = demo.sql("SELECT id FROM organisations WHERE name = :n", n=COMMUNE)[0]
    org = demo.ids["org_cva"]
    return [
        (
            "/admin/users/new",
            {
                "username": "ke.gian",
                "full_name": "Kẻ Gian",
                "email": "",
                "password": "mat-khau-rat-dai",
                "active": "y",
            },
        ),
        (f"/admin/users/{user}", {"full_name": "Tên Khác", "email": ""}),
        (f"/admin/users/{user}/password", {"password": "mat-khau-moi-dai"}),
        (f"/admin/users/{user}/active", {"active": "0"}),
        (f"/admin/users/{user}/grants", {"role": "admin", "organisation": str(district)}),
        (f"/admin/users/{user}/grants/{grant}/delete", {}),
        (
            "/admin/organisations/new",
            {
                "parent": str(district),
                "type": "cell",
                "name": "Chi bộ Mới",
                "unit_kind": "school",
                "mass_kind": "",
                "has_doan": "y",
                "committee_size": "0",
            },
        ),
        (
            f"/admin/organisations/{org}",
            {"name": "Chi bộ Đổi Tên", "unit_kind": "school", "mass_kind": "", "has_doan": "y"},
        ),
        (f"/admin/organisations/{district}/deciding", {"decides": "0"}),
    ]
