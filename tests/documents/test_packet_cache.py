"""The packet cache (``db.packets``, planned by ``db.read.packets``): a packet is rendered once,
served from the cache while nothing it is made from changes, and rendered again when the case,
or the templates, change."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

import db.packets
import documents.render
from db.actors import actor_by_username
from db.models import Case, Organisation
from db.packets import PacketCache, packet_pdf
from db.read.packets import plan_packet
from db.runtime import Runtime
from db.session import make_engine, session_factory
from tests.documents.conftest import page_count, pdf_text
from workflow import services
from workflow.settings import DEFAULT_SETTINGS, Settings

TODAY = date(2026, 11, 25)
CHU_VAN_AN = "Chi bộ trường THPT Chu Văn An"
SECRETARY = "bithu.chuvanan"


@pytest.fixture
def runtime(demo, tmp_path) -> Runtime:
    """A private copy of the session's demo district (these tests record facts)."""
    with demo.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / "hoso.sqlite3"
    shutil.copy(demo.engine.url.database, path)
    engine = make_engine(f"sqlite:///{path}")
    yield Runtime(engine, session_factory(engine), Settings())
    engine.dispose()


@pytest.fixture
def cache(tmp_path) -> PacketCache:
    return PacketCache.in_instance(tmp_path / "instance")


@pytest.fixture
def renders(monkeypatch) -> list[tuple[str, ...]]:
    """The codes of every packet rendered (through the real renderer) while the test runs."""
    calls: list[tuple[str, ...]] = []
    real = documents.render.render_packet

    def counting(codes, dossier, meta_by_code):
        calls.append(tuple(codes))
        return real(codes, dossier, meta_by_code)

    monkeypatch.setattr(documents.render, "render_packet", counting)
    return calls


@pytest.fixture
def fake_renders(monkeypatch) -> list[tuple[str, ...]]:
    """As `renders`, with a stand-in PDF instead of WeasyPrint's (for the tests of the key)."""
    calls: list[tuple[str, ...]] = []

    def fake(codes, dossier, meta_by_code):
        calls.append(tuple(codes))
        return b"%%PDF-1.7 packet #%d\n%%%%EOF\n" % len(calls)

    monkeypatch.setattr(documents.render, "render_packet", fake)
    return calls


def case_in(runtime: Runtime, state: str, cell: str = CHU_VAN_AN) -> int:
    with runtime.sessions() as session:
        return session.scalar(
            select(Case.id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(Case.state == state, Organisation.name == cell)
            .order_by(Case.id)
            .limit(1)
        )


def download(runtime: Runtime, case_id: int, cache: PacketCache) -> tuple[bytes, bool]:
    """The packet as the web route and ``hoso docs packet`` make it."""
    with runtime.sessions() as session:
        plan = plan_packet(
            session, case_id, DEFAULT_SETTINGS, TODAY, lambda code: f"https://hoso.vn/verify/{code}"
        )
    return packet_pdf(plan, cache)


def record(runtime: Runtime, case_id: int, kind: str, **raw: str) -> None:
    with runtime.sessions() as session:
        actor = actor_by_username(session, SECRETARY)
    services.record_fact(runtime.uow(), actor, case_id, kind, raw)


def test_the_second_download_is_served_from_the_cache(runtime, cache, renders):
    case_id = case_in(runtime, "trained")
    first, cached = download(runtime, case_id, cache)
    assert not cached and len(renders) == 1
    assert [p.name for p in cache.files()] == [f"{plan_key(runtime, case_id)}.pdf"]

    again, cached = download(runtime, case_id, cache)
    assert cached and again == first
    assert len(renders) == 1, "render_packet was not called again"
    with runtime.sessions() as session:
        name = session.get(Case, case_id).person.full_name
    assert name in pdf_text(again) and page_count(again) >= len(renders[0])


def plan_key(runtime: Runtime, case_id: int) -> str:
    with runtime.sessions() as session:
        plan = plan_packet(
            session, case_id, DEFAULT_SETTINGS, TODAY, lambda code: f"https://hoso.vn/verify/{code}"
        )
    return plan.key


def test_a_note_changes_nothing_a_document_on_file_makes_a_new_packet(runtime, cache, fake_renders):
    case_id = case_in(runtime, "trained")
    first, _ = download(runtime, case_id, cache)
    record(runtime, case_id, "note", text="Đã nhắc quần chúng nộp lý lịch.")
    assert download(runtime, case_id, cache) == (first, True)  # notes are not in the dossier
    assert len(fake_renders) == 1

    key_before = plan_key(runtime, case_id)
    record(runtime, case_id, "document", code="1-KNĐ", dated="2026-11-20", number="")
    assert plan_key(runtime, case_id) != key_before
    second, cached = download(runtime, case_id, cache)
    assert not cached and second != first and len(fake_renders) == 2
    assert len(cache.files()) == 2


def test_a_template_change_makes_a_new_packet(runtime, cache, fake_renders, monkeypatch):
    case_id = case_in(runtime, "mentored")
    first, _ = download(runtime, case_id, cache)
    monkeypatch.setattr(db.packets, "renderer_version", lambda: "templates edited")
    second, cached = download(runtime, case_id, cache)
    assert not cached and second != first and len(fake_renders) == 2


def test_another_day_or_address_makes_another_packet(runtime, cache, fake_renders):
    """The drafts print the day; generated forms print their verification URL."""
    case_id = case_in(runtime, "admitted")
    with runtime.sessions() as session:
        keys = {
            plan_packet(session, case_id, DEFAULT_SETTINGS, day, url).key
            for day, url in [
                (TODAY, None),
                (TODAY, lambda code: f"https://a.vn/verify/{code}"),
                (date(2026, 11, 26), None),
            ]
        }
        plan = plan_packet(session, case_id, DEFAULT_SETTINGS, TODAY, None)
    assert len(keys) == 3
    assert "9-KNĐ" in plan.codes and plan.meta["9-KNĐ"]["verify_code"]


def test_the_renderer_version_hashes_templates_styles_and_fonts():
    db.packets.renderer_version.cache_clear()
    version = db.packets.renderer_version()
    assert len(version) == 64 and version == db.packets.renderer_version()


def pdf(n: int) -> bytes:
    return b"%PDF-1.7 " + str(n).encode()


def test_only_the_newest_packets_are_kept(tmp_path):
    cache = PacketCache(tmp_path / "packets", limit=3)
    keys = [f"{n:064x}" for n in range(6)]
    for n, key in enumerate(keys[:5]):
        cache.put(key, pdf(n))  # each put prunes to the 3 newest
        os.utime(cache.path(key), (1_000_000 + n, 1_000_000 + n))
    assert [p.stem for p in cache.files()] == keys[2:5]
    assert cache.get(keys[2]) == pdf(2)  # a hit makes it the newest
    cache.put(keys[5], pdf(5))
    assert {p.stem for p in cache.files()} == {keys[2], keys[4], keys[5]}
    assert not list((tmp_path / "packets").glob(".*.part"))


def test_a_cache_that_cannot_be_written_still_serves_the_packet(runtime, tmp_path, fake_renders):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache's folder should be")
    cache = PacketCache(blocked / "packets")
    content, cached = download(runtime, case_in(runtime, "mentored"), cache)
    assert content.startswith(b"%PDF-") and not cached


def test_a_damaged_file_is_not_served(tmp_path):
    cache = PacketCache(tmp_path)
    key = "a" * 64
    cache.path(key).write_bytes(b"<html>not a PDF</html>")
    assert cache.get(key) is None
    with pytest.raises(ValueError):
        cache.path("../../etc/passwd")


# --- through the web ------------------------------------------------------------------------


@pytest.fixture
def browser(runtime, tmp_path, monkeypatch):
    from web import create_app

    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False}, runtime=runtime
    )
    client = app.test_client()
    response = client.post("/login", data={"username": SECRETARY, "password": "demo"})
    assert response.status_code == 302
    return client


def test_the_packet_route_serves_the_second_request_from_the_cache(
    runtime, browser, renders, tmp_path
):
    case_id = case_in(runtime, "mentored")
    first = browser.get(f"/candidates/{case_id}/packet.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")
    second = browser.get(f"/candidates/{case_id}/packet.pdf")
    assert second.status_code == 200 and second.data == first.data
    assert len(renders) == 1
    stored = list(Path(tmp_path / "instance" / "cache" / "packets").glob("*.pdf"))
    assert len(stored) == 1 and stored[0].read_bytes() == first.data
