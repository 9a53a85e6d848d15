"""Who may see and do what on the web: every page and every action × every demo account.

The expectations are tables written from product.md (the demo accounts, "Roles and what they see",
the transitions' "who may fire it"), not read from the code. Every POST here is one the site must
refuse: by role (403), by scope (404), by state or version (409), by the rules on an empty form
(422), or for want of a login. So the demo district is copied once for the module, one logged-in
client per account is kept, and after each POST the database is checked to be exactly as before.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from tests.web.conftest import DEMO_PASSWORD, Browser

DISTRICT = "Đảng bộ huyện Đức Trọng"
PROVINCE = "Tỉnh ủy Lâm Đồng"
CHU_VAN_AN = "Chi bộ trường THPT Chu Văn An"
DONG_THUY = "Chi bộ Công ty TNHH Đồng Thúy"

#: product.md's demo accounts: (role, scope).
ACCOUNTS: dict[str, tuple[str, str]] = {
    "admin": ("admin", DISTRICT),
    "bantochuc": ("committee", DISTRICT),
    "kiemtra": ("auditor", DISTRICT),
    "bithu.chuvanan": ("secretary", CHU_VAN_AN),
    "giupdo.chuvanan": ("mentor", CHU_VAN_AN),
    "bithu.dongthuy": ("secretary", DONG_THUY),
    "giupdo.dongthuy": ("mentor", DONG_THUY),
    "doan.chuvanan": ("introducer", "Đoàn trường THPT Chu Văn An"),
    "congdoan.dongthuy": ("introducer", "Công đoàn Công ty TNHH Đồng Thúy"),
    "trungtam": ("trainer", "Trung tâm Chính trị huyện Đức Trọng"),
}

# --- the pages ------------------------------------------------------------------------------------

#: The columns of PAGES, in order.
COLUMNS = {
    "adm": "admin",
    "cte": "bantochuc",
    "aud": "kiemtra",
    "sCV": "bithu.chuvanan",
    "mCV": "giupdo.chuvanan",
    "sDT": "bithu.dongthuy",
    "mDT": "giupdo.dongthuy",
    "iCV": "doan.chuvanan",
    "iDT": "congdoan.dongthuy",
    "trn": "trungtam",
}

#: What each account gets for each page: 200 shown, 403 refused, 404 "no such case" (out of scope).
#: {names} are demo cases picked by cell, state and mentor (see `Demo.pick`).
#: - the committee and the auditor read the whole district, history included (/audit);
#: - a secretary reads their cell; a mentor only the candidates assigned to them;
#: - the admin manages users and organisations and sees no case;
#: - an introducer sees only their own proposals: the demo has none made through an account, so
#:   no case, and they have no case list;
#: - the political centre certifies those waiting for the awareness class (`mentored`), anywhere
#:   in the district, so it sees those cases and no other; it has no case list;
#: - only a secretary puts a person on a cell's list (/candidates/new, `identify`);
#: - /reviews is the committee's queue; /admin is the admin's.
PAGES = """
page                              adm cte aud sCV mCV sDT mDT iCV iDT trn
/                                 200 200 200 200 200 200 200 200 200 200
/candidates/                      403 200 200 200 200 200 200 403 403 403
/candidates/{cva_mentee}          404 200 200 200 200 404 404 404 404 200
/candidates/{cva_mentee_sent}     404 200 200 200 200 404 404 404 404 404
/candidates/{cva_other}           404 200 200 200 404 404 404 404 404 404
/candidates/{cva_identified}      404 200 200 200 404 404 404 404 404 404
/candidates/{dt_mentee}           404 200 200 404 404 200 200 404 404 200
/candidates/{dt_mentee_official}  404 200 200 404 404 200 200 404 404 404
/candidates/{dt_other}            404 200 200 404 404 200 404 404 404 404
/candidates/{other_school}        404 200 200 404 404 404 404 404 404 404
/candidates/{other_mentored}      404 200 200 404 404 404 404 404 404 200
/candidates/{missing}             404 404 404 404 404 404 404 404 404 404
/candidates/new                   403 403 403 200 403 200 403 403 403 403
/reviews/                         403 200 403 403 403 403 403 403 403 403
/audit/                           403 200 200 403 403 403 403 403 403 403
/audit/cases/{cva_other}          403 200 200 403 403 403 403 403 403 403
/audit/cases/{other_school}       403 200 200 403 403 403 403 403 403 403
/audit/cases/{missing}            403 404 404 403 403 403 403 403 403 403
/audit/export.csv                 403 200 200 403 403 403 403 403 403 403
/audit/verify                     403 200 200 403 403 403 403 403 403 403
/admin/                           200 403 403 403 403 403 403 403 403 403
/admin/users                      200 403 403 403 403 403 403 403 403 403
/admin/users/new                  200 403 403 403 403 403 403 403 403 403
/admin/users/{user_bithu}         200 403 403 403 403 403 403 403 403 403
/admin/organisations              200 403 403 403 403 403 403 403 403 403
/admin/organisations/new          200 403 403 403 403 403 403 403 403 403
/admin/organisations/{org_cva}    200 403 403 403 403 403 403 403 403 403
"""


def _page_table() -> list[tuple[str, str, int]]:
    """PAGES as (page, account, status) rows."""
    header, *lines = PAGES.strip().splitlines()
    accounts = [COLUMNS[key] for key in header.split()[1:]]
    assert sorted(accounts) == sorted(ACCOUNTS)
    rows = []
    for line in lines:
        page, *codes = line.split()
        rows.extend((page, a, int(code)) for a, code in zip(accounts, codes, strict=True))
    return rows


PAGE_ROWS = _page_table()
PAGE_PATHS = list(dict.fromkeys(page for page, _, _ in PAGE_ROWS))

# --- the actions ----------------------------------------------------------------------------------

OPEN_BEFORE_SUBMIT = ("identified", "mentored", "trained", "returned")
NOT_FINAL = (*OPEN_BEFORE_SUBMIT, "dossier_submitted", "admitted")

#: product.md's transitions fired on an existing case: trigger → (from states, who may fire it).
#: ("mentor" is the candidate's own mentor; every role acts within its scope.)
TRANSITIONS: dict[str, tuple[tuple[str, ...], set[str]]] = {
    "assign_mentor": (("identified",), {"secretary"}),
    "reassign_mentor": (("mentored", "trained", "returned"), {"secretary"}),
    "complete_training": (("mentored",), {"mentor", "secretary", "trainer"}),
    "submit_dossier": (("trained", "returned"), {"mentor", "secretary"}),
    "return_dossier": (("dossier_submitted",), {"committee"}),
    "reject": (("dossier_submitted",), {"committee"}),
    "admit": (("dossier_submitted",), {"committee"}),
    "recognize": (("admitted",), {"committee"}),
    "remove": (("admitted",), {"committee"}),
    "withdraw": (OPEN_BEFORE_SUBMIT, {"secretary"}),
    "reinstate": (("withdrawn",), {"secretary"}),
}

#: Facts recorded on a case ("allowed to the same roles in the states where it makes sense"):
#: kind → (states, who may record it).
FACTS: dict[str, tuple[tuple[str, ...], set[str]]] = {
    "introduction": (OPEN_BEFORE_SUBMIT, {"mentor", "secretary"}),
    "document": (NOT_FINAL, {"mentor", "secretary", "committee"}),
    "ceremony": (("admitted",), {"secretary", "committee"}),
    "recognition_vote": (("admitted",), {"secretary"}),
    "decision_extension": (("dossier_submitted",), {"committee"}),
    "note": ((*NOT_FINAL, "withdrawn"), {"mentor", "secretary", "committee"}),
}

#: No other way changes a state: no "set state", no shortcuts, and `identify` opens a new case.
NOT_TRIGGERS = ("to_official", "set_state", "identify", "override")


@dataclass(frozen=True)
class CaseRow:
    id: int
    cell: str
    school: bool
    state: str
    version: int
    mentor: str | None  # the mentor's username, if they have an account


#: The roles that see some case.
SEEING = ("committee", "auditor", "secretary", "mentor", "trainer")


def sees(account: str, case: CaseRow) -> bool:
    """Whether product.md lets the account see the case (else: 404)."""
    role, scope = ACCOUNTS[account]
    if role in ("committee", "auditor"):
        return True  # the whole district
    if role == "secretary":
        return case.cell == scope
    if role == "mentor":
        return case.mentor == account
    if role == "trainer":
        return case.state == "mentored"  # waiting for the awareness class
    return False  # admin, introducer


def expected(account: str, roles: set[str], case: CaseRow) -> int:
    """404 out of sight, 422 when allowed (the rules refuse the empty form), else 403."""
    if not sees(account, case):
        return 404
    return 422 if ACCOUNTS[account][0] in roles else 403


# --- the site -------------------------------------------------------------------------------------


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


@pytest.fixture(scope="module")
def demo(demo_template, tmp_path_factory):
    """The demo district, copied once for the module, with one app."""
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


def _version(case: CaseRow) -> dict[str, str]:
    return {"version": str(case.version)}


def _check(problems: list[str]) -> None:
    problems = [p for p in problems if p]
    assert not problems, f"{len(problems)} wrong answers:\n" + "\n".join(problems)


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "account", "status"), PAGE_ROWS, ids=[f"{a}:{p}" for p, a, _ in PAGE_ROWS]
)
def test_page(demo, page, account, status):
    path = demo.path(page)
    response = demo.as_(account).get(path)
    assert response.status_code == status, f"{account} GET {path} ({page})"


@pytest.mark.parametrize("page", PAGE_PATHS)
def test_a_page_needs_a_login(demo, page):
    path = demo.path(page)
    response = demo.as_(None).get(path)
    assert response.status_code == 302, path
    target = urlsplit(response.headers["Location"])
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == [path]


@pytest.mark.parametrize("account", ACCOUNTS)
def test_lists_link_only_to_cases_the_account_sees(demo, account):
    """The case list shows exactly the cases in sight; the other pages link to no other."""
    visible = {c.id for c in demo.cases if sees(account, c)}
    client = demo.as_(account)
    listing = client.get("/candidates/")
    if listing.status_code == 200:
        listed = {int(i) for i in re.findall(r'href="/candidates/(\d+)', listing.text)}
        assert listed == visible, f"/candidates/ for {account}"
    for path in ("/", "/reviews/", "/audit/"):
        response = client.get(path)
        if response.status_code != 200:
            continue
        linked = {int(i) for i in re.findall(r'href="/(?:audit/)?candidates/(\d+)', response.text)}
        linked |= {int(i) for i in re.findall(r'href="/audit/cases/(\d+)"', response.text)}
        assert linked <= visible, f"{path} for {account} links to {sorted(linked - visible)}"


# --- transitions and facts ------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", TRANSITIONS)
@pytest.mark.parametrize("account", ACCOUNTS)
def test_transition(demo, account, trigger):
    """Every trigger on every case in a state it fires from: 404, 403, or judged by the rules."""
    sources, roles = TRANSITIONS[trigger]
    cases = [c for c in demo.cases if c.state in sources]
    assert cases, f"the demo has no case {trigger} could fire on"
    _check(
        [
            demo.refused(
                account,
                f"/candidates/{case.id}/actions/{trigger}",
                _version(case),
                expected(account, roles, case),
            )
            for case in cases
        ]
    )


@pytest.mark.parametrize("kind", FACTS)
@pytest.mark.parametrize("account", ACCOUNTS)
def test_fact(demo, account, kind):
    """Every fact on every case in a state it is recorded in: 404, 403, or judged (422)."""
    states, roles = FACTS[kind]
    cases = [c for c in demo.cases if c.state in states]
    assert cases
    _check(
        [
            demo.refused(
                account,
                f"/candidates/{case.id}/facts/{kind}",
                _version(case),
                expected(account, roles, case),
            )
            for case in cases
        ]
    )


@pytest.mark.parametrize("account", ["kiemtra", "admin"])
def test_the_auditor_and_the_admin_fire_nothing(demo, account):
    """Every trigger and fact on every case is refused, whatever the state."""
    problems = []
    for case in demo.cases:
        # The auditor sees every case: refused by role (403), or 409 for a fact out of its
        # states; the admin sees none (404).
        for trigger in TRANSITIONS:
            path = f"/candidates/{case.id}/actions/{trigger}"
            status = 403 if account == "kiemtra" else 404
            problems.append(demo.refused(account, path, _version(case), status))
        for kind in FACTS:
            path = f"/candidates/{case.id}/facts/{kind}"
            status = (403, 409) if account == "kiemtra" else 404
            problems.append(demo.refused(account, path, _version(case), status))
    _check(problems)


@pytest.mark.parametrize("account", ACCOUNTS)
def test_no_other_way_changes_a_state(demo, account):
    """Unknown triggers, `identify` on an existing case and unknown facts: refused."""
    problems = []
    for case in demo.named():
        for trigger in NOT_TRIGGERS:
            path = f"/candidates/{case.id}/actions/{trigger}"
            status = 409 if sees(account, case) else 404
            problems.append(demo.refused(account, path, _version(case), status))
        path = f"/candidates/{case.id}/facts/unknown"
        problems.append(demo.refused(account, path, _version(case), 404))
    _check(problems)


@pytest.mark.parametrize("account", [a for a, (role, _) in ACCOUNTS.items() if role in SEEING])
def test_a_trigger_from_another_state_is_refused(demo, account):
    """On a case in sight, a trigger the account may fire but not from the case's state: 409;
    a trigger it may not fire: 403. (Out of sight it is 404, whatever the state: tested above.)"""
    problems = []
    for case in demo.sample():
        if not sees(account, case):
            continue
        for trigger, (sources, roles) in TRANSITIONS.items():
            if case.state in sources:
                continue
            status = 409 if ACCOUNTS[account][0] in roles else 403
            path = f"/candidates/{case.id}/actions/{trigger}"
            problems.append(demo.refused(account, path, _version(case), status))
    _check(problems)


def test_a_stale_or_missing_version_is_refused(demo):
    """A POST made from an old page (409) or with no version (400) changes nothing."""
    case = demo.case(demo.ids["cva_identified"])
    path = f"/candidates/{case.id}/actions/withdraw"
    reason = {"reason": "Chuyển trường"}
    _check(
        [
            demo.refused("bithu.chuvanan", path, {**reason, "version": str(case.version - 1)}, 409),
            demo.refused("bithu.chuvanan", path, {**reason, "version": str(case.version + 5)}, 409),
            demo.refused("bithu.chuvanan", path, reason, 400),
            demo.refused("bithu.chuvanan", path, {**reason, "version": "x"}, 400),
        ]
    )


def test_a_case_out_of_scope_is_not_found_even_with_a_valid_form(demo):
    """A form that would pass every rule is still 404 for a case the account does not see."""
    case = demo.case(demo.ids["dt_other"])
    data = {"reason": "Chuyển công tác", "version": str(case.version)}
    path = f"/candidates/{case.id}/actions/withdraw"
    _check(
        [
            demo.refused("bithu.chuvanan", path, data, 404),
            demo.refused("giupdo.dongthuy", path, data, 404),  # in the cell, not theirs: hidden
        ]
    )


def _identify_form(demo: Demo, cell: str) -> dict[str, str]:
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


@pytest.mark.parametrize("account", ACCOUNTS)
def test_only_a_secretary_identifies_in_their_cell(demo, account):
    """`identify` (/candidates/new): a secretary's, for their own cell. An empty form is judged
    (422); a valid one for another cell, or by anyone else, is refused (403)."""
    secretary, scope = ACCOUNTS[account][0] == "secretary", ACCOUNTS[account][1]
    problems = [demo.refused(account, "/candidates/new", {}, 422 if secretary else 403)]
    for cell in (CHU_VAN_AN, DONG_THUY):
        if not (secretary and scope == cell):
            problems.append(
                demo.refused(account, "/candidates/new", _identify_form(demo, cell), 403)
            )
    _check(problems)


def test_a_secretary_identifies_in_their_cell(demo_runtime, login):
    """The form above is valid: saved for the secretary of the cell (on a copy of its own)."""
    site = Demo(None, demo_runtime)
    browser = login("bithu.chuvanan")
    response = browser.post("/candidates/new", _identify_form(site, CHU_VAN_AN))
    assert response.status_code == 303


# --- the committee's queue ------------------------------------------------------------------------


def _decision(demo: Demo, case_id: int, action: str, **fields: str) -> dict[str, str]:
    data = {f"action-{case_id}": action, f"version-{case_id}": str(demo.case(case_id).version)}
    data.update({f"{name}-{case_id}": value for name, value in fields.items()})
    return data


@pytest.mark.parametrize("account", [a for a in ACCOUNTS if a != "bantochuc"])
def test_only_the_committee_decides(demo, account):
    """A decision that would pass is refused (403) to everyone but the committee."""
    sent = demo.ids["cva_mentee_sent"]
    data = _decision(demo, sent, "return", reason="Thiếu bản tự kiểm điểm")
    _check([demo.refused(account, "/reviews/decide", data, 403)])


def test_the_committee_refused_decisions_change_nothing(demo):
    sent = demo.ids["cva_mentee_sent"]
    stale = {**_decision(demo, sent, "reject", reason="Lý do"), f"version-{sent}": "1"}
    identified = demo.ids["cva_identified"]
    cases = [
        ({}, 400),  # nothing chosen
        ({f"action-{sent}": "admit"}, 400),  # no version
        (_decision(demo, sent, "promote"), 400),  # not a decision
        ({"action-x1": "reject", "version-x1": "1"}, 400),
        (_decision(demo, sent, "admit"), 422),  # the rules refuse an empty admission
        (_decision(demo, sent, "reject"), 422),  # no reason
        (_decision(demo, sent, "return", reason="  "), 422),
        (stale, 422),
        (_decision(demo, identified, "reject", reason="Lý do"), 422),  # not submitted
        (
            {"action-99999": "reject", "version-99999": "1", "reason-99999": "Lý do"},
            422,
        ),
    ]
    _check([demo.refused("bantochuc", "/reviews/decide", data, status) for data, status in cases])


# --- admin forms ----------------------------------------------------------------------------------


def _admin_posts(demo: Demo) -> list[tuple[str, dict[str, str]]]:
    """Admin forms with data an admin's POST would save (test_admin_posts_would_pass)."""
    user = demo.ids["user_bithu"]
    (grant,) = demo.sql("SELECT id FROM role_grants WHERE user_id = :u", u=user)[0]
    (district,) = demo.sql("SELECT id FROM organisations WHERE name = :n", n=DISTRICT)[0]
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


@pytest.mark.parametrize("account", [a for a in ACCOUNTS if a != "admin"])
def test_only_the_admin_administers(demo, account):
    _check([demo.refused(account, path, data, 403) for path, data in _admin_posts(demo)])


def test_admin_posts_would_pass(demo_runtime, login):
    """The forms above are valid: as the admin (on a copy of its own) each one is saved."""
    browser = login("admin")
    site = Demo(None, demo_runtime)
    site.load()
    for path, data in _admin_posts(site):
        response = browser.post(path, data)
        assert response.status_code in (302, 303), f"admin POST {path}: {response.status_code}"


def test_the_admin_refused_posts_change_nothing(demo):
    admin = demo.sql("SELECT id FROM users WHERE username = 'admin'")[0][0]
    (admin_grant,) = demo.sql("SELECT id FROM role_grants WHERE user_id = :u", u=admin)[0]
    user = demo.ids["user_bithu"]
    other = demo.sql("SELECT id FROM users WHERE username = 'bithu.dongthuy'")[0][0]
    (other_grant,) = demo.sql("SELECT id FROM role_grants WHERE user_id = :u", u=other)[0]
    (province,) = demo.sql("SELECT id FROM organisations WHERE name = :n", n=PROVINCE)[0]
    org = demo.ids["org_cva"]
    new_user = {"full_name": "A", "email": "", "password": "mat-khau-rat-dai", "active": "y"}
    new_org = {"type": "cell", "name": "Chi bộ X", "unit_kind": "school", "committee_size": "0"}
    cases = [
        ("/admin/users/new", {**new_user, "username": "bithu.chuvanan"}, 422),  # taken
        ("/admin/users/new", {**new_user, "username": ""}, 422),
        ("/admin/users/new", {**new_user, "username": "Có Dấu"}, 422),
        (f"/admin/users/{user}/password", {"password": "ngan"}, 422),
        (f"/admin/users/{admin}/active", {"active": "0"}, 422),  # not oneself
        (f"/admin/users/{user}/active", {"active": "maybe"}, 422),
        (f"/admin/users/{user}/grants", {"role": "admin", "organisation": str(province)}, 422),
        (f"/admin/users/{user}/grants", {"role": "superuser", "organisation": str(org)}, 422),
        (f"/admin/users/{admin}/grants/{admin_grant}/delete", {}, 422),  # own admin role
        (f"/admin/users/{user}/grants/{other_grant}/delete", {}, 404),  # another user's
        ("/admin/users/99999", {"full_name": "X", "email": ""}, 404),
        ("/admin/organisations/new", {**new_org, "parent": str(org), "name": ""}, 422),
        ("/admin/organisations/new", {**new_org, "parent": str(province)}, 422),  # out of scope
        (f"/admin/organisations/{province}", {"name": "X", "unit_kind": "other"}, 404),
        (f"/admin/organisations/{province}/deciding", {"decides": "0"}, 404),
        (f"/admin/organisations/{org}/deciding", {"decides": "1"}, 422),  # a cell decides not
    ]
    _check([demo.refused("admin", path, data, status) for path, data, status in cases])


# --- not logged in --------------------------------------------------------------------------------


def test_no_post_without_a_login(demo):
    """Every POST, with a valid CSRF token but no login, goes to the login page unsaved."""
    posts = [
        (f"/candidates/{case.id}/actions/{trigger}", _version(case))
        for trigger, (sources, _) in TRANSITIONS.items()
        for case in demo.cases
        if case.state in sources
    ]
    posts += [
        (f"/candidates/{case.id}/facts/{kind}", _version(case))
        for kind, (states, _) in FACTS.items()
        for case in demo.cases
        if case.state in states
    ]
    sent = demo.ids["cva_mentee_sent"]
    posts.append(("/reviews/decide", _decision(demo, sent, "return", reason="Lý do")))
    posts += _admin_posts(demo)
    posts.append(("/candidates/new", _identify_form(demo, CHU_VAN_AN)))
    posts.append(("/logout", {}))
    problems = []
    for path, data in posts:
        problems.append(demo.refused(None, path, data, 302))
        location = urlsplit(demo.last.headers.get("Location", ""))
        if location.path != "/login":
            problems.append(f"POST {path} without a login goes to {location.path!r}")
    _check(problems)
