"""Who may see and do what on the web: the tables, every page and every action × every account.

The expectations are tables written from product.md (the demo accounts, "Roles and what they see",
the transitions' "who may fire it"), not read from the code. Every POST here is one the site must
refuse: by role (403), by scope (404), by state or version (409), by the rules on an empty form
(422), or for want of a login. The tests that run them: test_access_pages.py, test_access_cases.py
and test_access_admin.py, on the site of access_site.py.
"""

from __future__ import annotations

from dataclasses import dataclass

DISTRICT = "Đảng bộ huyện Đức Trọng"
PROVINCE = "Tỉnh ủy Lâm Đồng"
CHU_VAN_AN = "Chi bộ trường THPT Chu Văn An"
DONG_THUY = "Chi bộ Công ty TNHH Đồng Thúy"
#: A second province the access tests add beside the demo's: outside the admin's scope (since
#: the demo's reform of 2025 the admin's grant is on Lâm Đồng, so nothing of the demo lies outside).
OTHER_PROVINCE = "Tỉnh ủy Khánh Hòa"
OTHER_CELL = "Chi bộ trường THPT Lê Quý Đôn"

#: product.md's demo accounts: (role, scope).
ACCOUNTS: dict[str, tuple[str, str]] = {
    # The demo's district was dissolved on 01/07/2025: these roles are held on the province.
    "admin": ("admin", PROVINCE),
    "bantochuc": ("committee", PROVINCE),
    "kiemtra": ("auditor", PROVINCE),
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
    """404 out of sight, 422 when allowed (the rules refuse the empty form), else 403.

    An admin fires nothing: refused (403) before the case is looked up (issue 11)."""
    if ACCOUNTS[account][0] == "admin":
        return 403
    if not sees(account, case):
        return 404
    return 422 if ACCOUNTS[account][0] in roles else 403
