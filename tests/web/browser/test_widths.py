"""Issue 10's pages at a phone's width (390 px) and a desktop's (1280 px): the page never scrolls
sideways (a wide table scrolls inside its box, a long value wraps), with every panel of the case
page open: verification, votes, hand-over, correction. Pages are only visited: the shared
server's demo stays as it was."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")

PAGES = [
    ("admin", "/admin/tree"),
    ("admin", "/reports/statistics"),
    ("admin", "/reports/outside"),
    ("bantochuc", "/candidates/hand-overs"),
    ("bantochuc", "/candidates/transfers"),
    ("bantochuc", "/candidates/corrections"),
    ("bithu.chuvanan", "/candidates/hand-overs"),
    ("bithu.chuvanan", "/candidates/corrections"),
]
#: Case pages by state, as the committee sees them (the verification panel before the vote, the
#: admission's vote, the hand-over and correction panels, the history with its data hashes).
CASE_STATES = ("trained", "dossier_submitted", "admitted", "official")


def _case_of(server, state: str) -> int:
    from sqlalchemy import select

    from db.models import Case

    with server.runtime.sessions() as session:
        found = session.scalar(select(Case.id).where(Case.state == state).order_by(Case.id))
    assert found is not None, f"the demo has no {state} case"
    return found


def _sideways(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_issue_10_pages_fit(width, new_page, live_server, login):
    pages: dict[str, object] = {}
    wide = []
    visits = [
        *PAGES,
        *(("bantochuc", f"/candidates/{_case_of(live_server, s)}") for s in CASE_STATES),
    ]
    for user, path in visits:
        if user not in pages:
            pages[user] = login(new_page(live_server), user)
            pages[user].set_viewport_size({"width": width, "height": 900})
        page = pages[user]
        assert page.goto(path).status == 200, path
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true })")
        if (extra := _sideways(page)) > 0:
            wide.append((user, path, extra))
    assert wide == [], f"pages wider than {width} px (user, path, extra px): {wide}"
