"""What the case page tests share: the small test district, and readers of the page's parts.

The case page is tested in test_case_page.py (what it shows, the actions it offers, how it answers
a POST), test_case_page_language.py (the language switch) and test_case_page_forms.py (wording,
and what the rules need marked on the forms).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from db.models import Case, Event, User
from tests.factories import build_district
from tests.web.conftest import DEMO_PASSWORD


@cache
def _password_hash() -> str:
    return generate_password_hash(DEMO_PASSWORD)


def small_runtime(tmp_path) -> Iterator:
    """The small test district's database (SQLite), for a `demo_runtime` fixture."""
    from db.migrate import upgrade
    from db.runtime import Runtime
    from workflow.settings import Settings

    rt = Runtime.from_url(f"sqlite:///{tmp_path / 'case.sqlite3'}", settings=Settings())
    upgrade(rt.engine)
    yield rt
    rt.engine.dispose()


def town_in(demo_runtime):
    """The test district in `demo_runtime`, every user with the demo password."""
    district = build_district(demo_runtime)
    with demo_runtime.sessions() as session:
        session.execute(update(User).values(password_hash=_password_hash()))
        session.commit()
    return district


def stored(town, case_id: int) -> tuple[str, int, int]:
    """The case's state, version and number of history events, as the database holds them."""
    with town.runtime.sessions() as session:
        case = session.get(Case, case_id)
        events = session.scalar(
            select(func.count()).select_from(Event).where(Event.case_id == case_id)
        )
        return case.state, case.version, events


def forms_on(page: str) -> list[str]:
    """The action URLs of the forms on a page."""
    return re.findall(r'<form method="post" action="([^"]*/(?:actions|facts)/[^"]*)"', page)


def action_block(page: str, kind: str, name: str) -> str:
    """The details block of one action."""
    match = re.search(
        rf'<details class="action[^"]*" id="action-{kind}-{name}"[^>]*>.*?</details>', page, re.S
    )
    assert match, f"no {kind} {name} on the page"
    return match.group(0)


def events_on(page: str) -> list[tuple[str, str, str]]:
    """The timeline's entries in page order: (action, markup, text)."""
    found = re.findall(
        r'<li class="event" id="event-\d+" data-action="([^"]+)">(.*?)</li>', page, re.S
    )
    return [(a, body, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))) for a, body in found]


def span(markup: str, css: str) -> str:
    """The text of the first element of class `css`."""
    return re.search(rf'class="{css}">([^<]*)<', markup).group(1).strip()
