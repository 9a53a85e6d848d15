"""The API's failed token checks are counted in the database: two apps (two workers, two hosts)
on one database ration an address together, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from db.runtime import Runtime
from tests.api.support import API, mint
from workflow.logins import ApiLimit, Limits
from workflow.settings import Settings

LIMIT = ApiLimit(failures=4, window=timedelta(minutes=5))


def _app(runtime, folder):
    from web import create_app

    return create_app(
        {"TESTING": True, "SECRET_KEY": "test", "API_LIMIT": LIMIT, "INSTANCE": str(folder)},
        runtime=runtime,
    )


def _get(app, secret: str, address: str) -> int:
    answer = app.test_client().get(
        f"{API}/cases?limit=1",
        headers={"Authorization": f"Bearer {secret}"},
        environ_base={"REMOTE_ADDR": address},
    )
    return answer.status_code


def test_two_apps_on_one_database_count_the_failures_together(district, tmp_path, monkeypatch):
    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    runtime = district.runtime
    other = Runtime.from_url(runtime.engine.url.render_as_string(False), settings=Settings())
    try:
        first, second = _app(runtime, tmp_path / "a"), _app(other, tmp_path / "b")
        secret = mint(runtime, "sec")
        assert _get(first, secret, "198.51.100.7") == 200
        codes = [_get(app, "hoso_wrong", "198.51.100.7") for app in (first, second) * 2]
        assert codes == [401] * 4
        # Each app saw two failures; together they are the four allowed: both refuse now,
        # the right token too, and count nothing more.
        assert _get(second, secret, "198.51.100.7") == 429
        assert _get(first, "hoso_wrong", "198.51.100.7") == 429
        assert _get(first, secret, "198.51.100.8") == 200
        with runtime.engine.connect() as conn:
            stored = conn.execute(
                text("SELECT count(*) FROM login_attempts WHERE address = '198.51.100.7'")
            ).scalar_one()
        assert stored == 4
    finally:
        other.engine.dispose()


def test_api_failures_slow_no_login_and_age_out(district):
    runtime = district.runtime
    now = datetime.now(UTC)
    with runtime.uow() as uow:
        uow.logins.record_failure("sec", "198.51.100.9", None, now - timedelta(minutes=30))
        for _ in range(40):
            uow.logins.record_api_failure("198.51.100.9", now, now - LIMIT.window)
        uow.commit()
    with runtime.uow(write=False) as uow:
        tally = uow.logins.tally("sec", "198.51.100.9", None, now - Limits().window)
        assert (tally.pair.count, tally.address.count, tally.username.count) == (1, 1, 1)
        assert uow.logins.api_failures("198.51.100.9", now - LIMIT.window).count == 40
    later = now + timedelta(minutes=6)
    with runtime.uow() as uow:
        uow.logins.record_api_failure("198.51.100.9", later, later - LIMIT.window)
        uow.commit()
    with runtime.uow(write=False) as uow:
        assert uow.logins.api_failures("198.51.100.9", later - LIMIT.window).count == 1
        # The login's failure is kept for its own, longer window.
        assert uow.logins.tally("sec", "198.51.100.9", None, now - timedelta(hours=1)).pair.count
