"""The CLI on over-long, invisible and out-of-range input, and as the demo's admin (issue 11):
a refusal in words with its exit code, no traceback, nothing stored."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from web.cli import cli

HUGE = "99999999999999999999"


@pytest.fixture
def demo(demo_template, tmp_path):
    """A copy of the demo district in an instance folder, and a way to run commands on it."""
    folder = tmp_path / "instance"
    folder.mkdir()
    shutil.copy(demo_template, folder / "hoso.sqlite3")
    engine = create_engine(f"sqlite:///{folder / 'hoso.sqlite3'}")

    def run(*args: str):
        # English: these tests read the refusals' English words (tests/cli/test_language.py: vi).
        env = {"HOSO_INSTANCE": str(folder), "HOSO_DATABASE_URL": None, "HOSO_LANG": "en"}
        return CliRunner().invoke(cli, list(args), env=env)

    def snapshot():
        with engine.connect() as conn:
            return (
                conn.execute(text("SELECT id, state, version FROM cases ORDER BY id")).all(),
                conn.execute(text("SELECT count(*) FROM people")).all(),
                conn.execute(text("SELECT count(*), max(id) FROM events")).all(),
            )

    def sql(query: str, **params):
        with engine.connect() as conn:
            return conn.execute(text(query), params).all()

    yield run, snapshot, sql
    engine.dispose()


def _new(run, sql, **fields: str):
    (cell,) = sql("SELECT id FROM organisations WHERE name = 'Chi bộ trường THPT Chu Văn An'")[0]
    values = {"full_name": "Nguyễn Thị Mới", "birth_date": "01/02/2008", "cell": str(cell)}
    values |= {"source": "cell_review", **fields}
    return run("case", "new", "--as", "bithu.chuvanan", *(f"{k}={v}" for k, v in values.items()))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "A" * 201),
        ("full_name", "Nguyễn\u202eVăn A"),
        ("full_name", "Nguyễn\u200bVăn A"),
        ("id_number", "0" * 21),
        ("birth_place", "B" * 201),
    ],
)
def test_case_new_refuses_an_over_long_or_invisible_text_by_name(demo, field, value):
    run, snapshot, sql = demo
    before = snapshot()
    result = _new(run, sql, **{field: value})
    assert result.exit_code == 2, result.output
    assert field in result.output and "Traceback" not in result.output
    assert snapshot() == before


def test_a_nine_megabyte_note_is_refused(demo):
    run, snapshot, sql = demo
    (case,) = sql("SELECT id FROM cases WHERE state = 'mentored' ORDER BY id LIMIT 1")[0]
    before = snapshot()
    result = run(
        "case", "fire", str(case), "record_note", "--as", "bantochuc", "text=" + "x" * 9_000_000
    )
    assert result.exit_code == 2 and "text" in result.output
    assert snapshot() == before


@pytest.mark.parametrize(
    "command", [("case", "fire", HUGE, "withdraw", "--as", "bantochuc"), ("case", "show", HUGE)]
)
def test_an_id_beyond_64_bits_is_a_clear_error(demo, command):
    run, snapshot, _ = demo
    result = run(*command)
    assert result.exit_code == 2, result.output
    assert "is not an id" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("trigger", "fields"), [("withdraw", ["--reason", "thử"]), ("record_note", ["text=thử"])]
)
def test_the_demo_admin_fires_nothing(demo, trigger, fields):
    run, snapshot, sql = demo
    (case,) = sql("SELECT id FROM cases WHERE state = 'mentored' ORDER BY id LIMIT 1")[0]
    before = snapshot()
    result = run("case", "fire", str(case), trigger, *fields, "--as", "admin")
    assert result.exit_code == 3, result.output
    assert snapshot() == before


@pytest.mark.parametrize(
    ("trigger", "field", "others"),
    [
        ("reassign_mentor", "mentor", ["since=2026-01-05"]),
        ("record_introduction", "member", ["kind=member", "dated=2026-01-05"]),
    ],
)
def test_a_whole_number_beyond_32_bits_is_refused_by_name(demo, trigger, field, others):
    run, snapshot, sql = demo
    (case,) = sql(
        "SELECT c.id FROM cases c JOIN organisations o ON o.id = c.cell_id WHERE c.state ="
        " 'mentored' AND o.name = 'Chi bộ trường THPT Chu Văn An' ORDER BY c.id LIMIT 1"
    )[0]
    before = snapshot()
    args = [f"{field}={HUGE}", *others, "--as", "bithu.chuvanan"]
    result = run("case", "fire", str(case), trigger, *args)
    assert result.exit_code == 2, result.output
    assert field in result.output and "2147483647" in result.output
    assert "Traceback" not in result.output and snapshot() == before
