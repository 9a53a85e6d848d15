"""Documents re-issued by an approved correction are drawn off the request (``render_documents``),
handed over only after the approval committed: inline on SQLite (the new PDF, kept in the files,
holds the corrected name, and its download is served from there), queued on PostgreSQL (a worker
draws it); a refusal defers nothing, and a drawing that fails leaves the approval standing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

import web.task_handlers
import web.tasks
from db.models import GeneratedDocument, TaskFailure
from tests.db.test_tasks_queue import demo_pg, pg_app, work  # noqa: F401  (fixtures)
from tests.documents.conftest import pdf_text
from tests.web.conftest import Browser
from tests.web.test_corrections_web import _correction_id, _decided_case, _name
from workflow.ports.tasks import RENDER_DOCUMENTS

GENERATED = web.task_handlers.GENERATED


def _as(app, username: str) -> Browser:
    browser = Browser(app.test_client())
    assert browser.login(username).status_code == 302, username
    return browser


def _propose(app, runtime, **form) -> tuple[int, int, str]:
    """A secretary proposes a correction of a case with a 9-KNĐ: case id, correction id, name."""
    case_id, secretary, _code, _number = _decided_case(runtime)
    name = _name(runtime, case_id)
    sec = _as(app, secretary)
    form = {"reason": "Sai tên so với CCCD", "evidence": "CCCD số 068308000999", **form}
    assert sec.post(f"/candidates/{case_id}/corrections", form).status_code == 303
    return case_id, _correction_id(runtime, case_id), name


def _decide(app, correction: int, verb: str, **form) -> int:
    committee = _as(app, "bantochuc")
    queue = committee.get("/candidates/corrections").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', queue).group(1)
    data = {"version": version, **form}
    return committee.post(f"/candidates/corrections/{correction}/{verb}", data).status_code


def _newest_9(runtime, case_id: int) -> int:
    with runtime.sessions() as session:
        return session.scalar(
            select(GeneratedDocument.id)
            .where(GeneratedDocument.case_id == case_id, GeneratedDocument.code == "9-KNĐ")
            .order_by(GeneratedDocument.id.desc())
        )


def _served_from_the_files(app, runtime, case_id, doc_id, content, monkeypatch) -> None:
    """The download of the document is the PDF the task drew: it is not drawn again."""
    import documents.render

    def no_drawing(*args, **kw):
        raise AssertionError("drawn again: the task's PDF should have been served")

    monkeypatch.setattr(documents.render, "render_form", no_drawing)
    secretary = _as(app, _decided_case(runtime)[1])
    served = secretary.get(f"/candidates/{case_id}/generated/{doc_id}.pdf")
    assert served.status_code == 200 and served.data == content


def _reissued(runtime, correction: int) -> list[int]:
    """The documents the correction's approval re-issued (each replaces an outdated one)."""
    from db.models.corrections import DocumentSupersession as Superseded

    with runtime.sessions() as session:
        return session.scalars(
            select(Superseded.superseded_by_id).where(Superseded.correction_id == correction)
        ).all()


def _drawn(app) -> list[str]:
    with app.app_context():
        return web.tasks.app_files().keys(GENERATED)


# --- SQLite: inline -----------------------------------------------------------------------------


def test_an_approval_draws_the_reissued_document_with_the_corrected_name(
    app, demo_runtime, monkeypatch
):
    case_id, correction, name = _propose(app, demo_runtime, full_name="Nguyễn Thị Ánh Dương")
    assert _drawn(app) == []
    assert _decide(app, correction, "approve") == 303
    new_id = _newest_9(demo_runtime, case_id)
    drawn = _drawn(app)
    (key,) = [k for k in drawn if k.startswith(f"{GENERATED}/{new_id}-")]
    assert len(drawn) == len(_reissued(demo_runtime, correction))  # each re-issued one, no other
    with app.app_context():
        content = web.tasks.app_files().get(key)
    assert "Nguyễn Thị Ánh Dương" in pdf_text(content) and name not in pdf_text(content)

    _served_from_the_files(app, demo_runtime, case_id, new_id, content, monkeypatch)


def test_a_refusal_draws_nothing(app, demo_runtime):
    _case_id, correction, _name_before = _propose(app, demo_runtime, full_name="Lê Văn Bé")
    assert _decide(app, correction, "refuse", reason="Giấy tờ không khớp") == 303
    assert _drawn(app) == []


def test_a_drawing_that_fails_leaves_the_approval_and_is_kept(app, demo_runtime, monkeypatch):
    def broken(env, **args):
        raise RuntimeError("the renderer ran out of fonts")

    monkeypatch.setitem(web.task_handlers.HANDLERS, RENDER_DOCUMENTS, broken)
    case_id, correction, _before = _propose(app, demo_runtime, full_name="Trần Thị Cúc")
    assert _decide(app, correction, "approve") == 303
    assert _name(demo_runtime, case_id) == "Trần Thị Cúc"
    with demo_runtime.sessions() as session:
        kept = session.scalars(select(TaskFailure)).one()
    assert kept.task == RENDER_DOCUMENTS and "ran out of fonts" in kept.error
    assert kept.org_path  # the case's cell: the admin of that scope sees it


# --- PostgreSQL: queued, drawn by a worker ------------------------------------------------------


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_on_postgres_the_approval_queues_the_drawing_for_the_worker(pg_app, demo_pg, monkeypatch):  # noqa: F811
    case_id, correction, _before = _propose(pg_app, demo_pg, full_name="Phạm Thị Duyên")
    assert _decide(pg_app, correction, "approve") == 303
    new_id = _newest_9(demo_pg, case_id)
    with demo_pg.engine.connect() as conn:
        (args,) = conn.execute(
            text("SELECT args FROM procrastinate_jobs WHERE task_name = :t"),
            {"t": RENDER_DOCUMENTS},
        ).scalars()
    assert args["case_id"] == case_id and new_id in args["doc_ids"]
    assert "verify_url" in args and args["_org_path"]  # completed by the web (web.tasks)
    assert _drawn(pg_app) == []  # queued, not drawn yet
    work(pg_app)
    (key,) = [k for k in _drawn(pg_app) if k.startswith(f"{GENERATED}/{new_id}-")]
    with pg_app.app_context():
        content = web.tasks.app_files().get(key)
    assert "Phạm Thị Duyên" in pdf_text(content)
    _served_from_the_files(pg_app, demo_pg, case_id, new_id, content, monkeypatch)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_on_postgres_a_refusal_queues_nothing(pg_app, demo_pg):  # noqa: F811
    _case_id, correction, _before = _propose(pg_app, demo_pg, full_name="Võ Văn Em")
    assert _decide(pg_app, correction, "refuse", reason="Giấy tờ không khớp") == 303
    with demo_pg.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM procrastinate_jobs")) == 0
