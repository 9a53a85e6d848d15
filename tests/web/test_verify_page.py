"""The public page ``/verify/<code>``: never cached nor indexed; says when a document no longer
applies (the member removed, the form generated again); rations unknown codes per address in the
database, so that two workers judge a scanner alike, without locking an office out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from db.actors import actor_of
from db.models import Case, GeneratedDocument, ThrottleMiss, User
from tests.web.test_documents_web import case_of, generated_of
from workflow.clock import Clock
from workflow.logins import Rule
from workflow.services.documents import generate_document
from workflow.throttle import MissLimit

SMALL = MissLimit(Rule(free=3, base=60, cap=600), timedelta(hours=1))
OFFICE = {"REMOTE_ADDR": "203.0.113.7"}


def unlisted(response) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.get_data(as_text=True)


def test_every_answer_is_neither_cached_nor_indexed(browser, demo_runtime):
    made = generated_of(demo_runtime, case_of(demo_runtime, "admitted"))
    for path, status in [
        (f"/verify/{made.verify_code}", 200),
        ("/verify/AAAAAAAAAA", 404),
        ("/verify", 200),
    ]:
        response = browser.get(path)
        assert response.status_code == status, path
        unlisted(response)


def test_a_removed_members_decision_no_longer_applies(browser, demo_runtime):
    with demo_runtime.sessions() as session:
        code = session.scalar(
            select(GeneratedDocument.verify_code)
            .join(Case, Case.id == GeneratedDocument.case_id)
            .where(Case.state == "removed", GeneratedDocument.code == "9-KNĐ")
        )
    assert code, "the demo has a removed member with an admission decision"
    page = browser.get(f"/verify/{code}?lang=en").get_data(as_text=True)
    assert 'data-verdict="removed"' in page and "Genuine" not in page
    assert "the member has since been removed" in page
    vi = browser.get(f"/verify/{code}?lang=vi").get_data(as_text=True)
    assert "Không còn hiệu lực" in vi and "xóa tên" in vi


def test_a_decision_generated_again_points_to_the_copy_in_force(browser, demo_runtime):
    case_id = case_of(demo_runtime, "admitted")
    old = generated_of(demo_runtime, case_id)
    assert 'data-verdict="genuine"' in browser.get(f"/verify/{old.verify_code}").get_data(
        as_text=True
    )
    with demo_runtime.sessions() as session:
        maker = session.get(User, session.get(GeneratedDocument, old.id).created_by)
        actor = actor_of(maker, session)
    newer = generate_document(demo_runtime.uow(), actor, case_id, "9-KNĐ", clock=Clock.system())
    page = browser.get(f"/verify/{old.verify_code}?lang=en").get_data(as_text=True)
    assert 'data-verdict="replaced"' in page and newer.number in page
    fresh = browser.get(f"/verify/{newer.verify_code}?lang=en").get_data(as_text=True)
    assert 'data-verdict="genuine"' in fresh


@pytest.fixture
def two_workers(demo_runtime, tmp_path, monkeypatch):
    """Two apps on one database, as two gunicorn workers: each with the small limit."""
    from web import create_app

    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    config = {"TESTING": True, "SECRET_KEY": "t", "VERIFY_LIMIT": SMALL}
    return [create_app(config, runtime=demo_runtime).test_client() for _ in range(2)]


def test_a_scanner_is_slowed_down_across_workers(two_workers, demo_runtime):
    first, second = two_workers
    for n in range(SMALL.rule.free + 1):  # the free misses, then one that costs a minute
        worker = (first, second)[n % 2]
        assert worker.get(f"/verify/AAAAAAAA{n:02d}", environ_base=OFFICE).status_code == 404
    for worker in (first, second):  # the wait holds on every worker: it is in the database
        waiting = worker.get("/verify/BBBBBBBBBB?lang=en", environ_base=OFFICE)
        assert waiting.status_code == 429
        assert 55 <= int(waiting.headers["Retry-After"]) <= 60
        assert "try again in" in waiting.get_data(as_text=True)
        unlisted(waiting)
    with demo_runtime.sessions() as session:
        kept = session.scalars(select(ThrottleMiss.key)).all()
    assert kept == ["203.0.113.7"] * (SMALL.rule.free + 1)  # waiting added nothing


def test_an_office_is_slowed_not_locked_out(two_workers, demo_runtime):
    first, _second = two_workers
    made = generated_of(demo_runtime, case_of(demo_runtime, "admitted"))
    for n in range(SMALL.rule.free + 1):
        first.get(f"/verify/AAAAAAAA{n:02d}", environ_base=OFFICE)
    assert first.get(f"/verify/{made.verify_code}", environ_base=OFFICE).status_code == 429
    # Another address is not concerned.
    other = first.get(f"/verify/{made.verify_code}", environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert other.status_code == 200
    # Once the wait is over (its misses a minute older), the office's genuine code is answered.
    with demo_runtime.engine.begin() as conn:
        conn.execute(update(ThrottleMiss).values(at=ThrottleMiss.at - timedelta(seconds=61)))
    assert first.get(f"/verify/{made.verify_code}", environ_base=OFFICE).status_code == 200


def test_the_wait_is_in_vietnamese_by_default(two_workers):
    first, _second = two_workers
    for n in range(SMALL.rule.free + 1):
        first.get(f"/verify/AAAAAAAA{n:02d}", environ_base=OFFICE)
    page = first.get("/verify/CCCCCCCCCC", environ_base=OFFICE).get_data(as_text=True)
    assert "Đồng chí vui lòng thử lại sau" in page and "bạn" not in page.lower()
