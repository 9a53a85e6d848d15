"""A ``hoso`` command's runtime hands the tasks its use cases defer to the queue on PostgreSQL and
runs them at once on SQLite, as the web app does (``web.tasks.CommandTasks``); a re-issued
document's address is the configured one (``HOSO_BASE_URL``), or none: the code printed alone.

No command generates a document by itself yet: a command of this module runs the use case
(``generate_document``) on the runtime of ``web.cli.common``, as every command gets it.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from db.files import LocalFiles
from db.models import Case, GeneratedDocument, User
from web.cli.common import domain_errors, runtime
from web.task_handlers import GENERATED
from workflow.ports.tasks import RENDER_DOCUMENTS
from workflow.services.documents import generate_document


@click.command("generate")
@click.argument("case_id", type=int)
@click.argument("username")
@domain_errors
def generate(case_id: int, username: str) -> None:
    """Generate 9-KNĐ of a case as a user, on the command's runtime."""
    from db.actors import actor_by_username

    rt = runtime()
    with rt.sessions() as session:
        actor = actor_by_username(session, username)
    made = generate_document(rt.uow(), actor, case_id, "9-KNĐ")
    click.echo(f"generated {made.id}")


def _decided(rt) -> tuple[int, str]:
    """An admitted demo case with a 9-KNĐ: its id, and who made that 9-KNĐ (may make it again)."""
    with rt.sessions() as session:
        return session.execute(
            select(Case.id, User.username)
            .join(GeneratedDocument, GeneratedDocument.case_id == Case.id)
            .join(User, User.id == GeneratedDocument.created_by)
            .where(Case.state == "admitted", GeneratedDocument.code == "9-KNĐ")
            .order_by(Case.id)
        ).first()


def _run(url: str, instance, made: tuple[int, str], **env: str) -> int:
    environ = {"HOSO_INSTANCE": str(instance), "HOSO_DATABASE_URL": url, **env}
    result = CliRunner().invoke(generate, [str(made[0]), made[1]], env=environ)
    assert result.exit_code == 0, result.output
    return int(result.output.split()[-1])


@pytest.fixture
def demo(runtime):
    from db.demo import load_demo

    load_demo(runtime)
    return runtime


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.delenv("HOSO_BASE_URL", raising=False)
    monkeypatch.delenv("HOSO_FILES_DIR", raising=False)
    return tmp_path / "instance"


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.parametrize(
    ("base", "printed"),
    [("https://hoso.example.vn/", "https://hoso.example.vn/verify/{code}"), (None, None)],
)
def test_on_postgres_a_command_queues_the_drawing(demo, database_url, instance, base, printed):
    case_id, maker = _decided(demo)
    env = {"HOSO_BASE_URL": base} if base else {}
    doc_id = _run(database_url, instance, (case_id, maker), **env)
    with demo.engine.connect() as conn:
        (args,) = conn.execute(
            text("SELECT args FROM procrastinate_jobs WHERE task_name = :t"),
            {"t": RENDER_DOCUMENTS},
        ).scalars()
    assert args["case_id"] == case_id and args["doc_ids"] == [doc_id]
    assert args["verify_url"] == printed  # the configured address, none in development
    assert args["_org_path"]  # the case's cell: the scope of the task
    assert LocalFiles(instance).keys(GENERATED) == []  # queued, not drawn


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_on_sqlite_a_command_draws_the_document_at_once(demo, database_url, instance):
    doc_id = _run(database_url, instance, _decided(demo))
    (key,) = LocalFiles(instance).keys(GENERATED)
    assert key.startswith(f"{GENERATED}/{doc_id}-")
    assert LocalFiles(instance).get(key).startswith(b"%PDF-")
