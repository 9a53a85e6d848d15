"""``hoso setup``: the first admin and the root, once, on an initialised empty database."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import Event, Organisation, User
from db.runtime import Runtime
from tests.cli.office import ADMIN, PASSWORD, Office
from workflow.settings import Settings


def _counts(url: str) -> tuple[int, int, int]:
    rt = Runtime.from_url(url, settings=Settings())
    try:
        with rt.sessions() as session:
            return tuple(
                session.scalar(select(func.count()).select_from(t))
                for t in (User, Organisation, Event)
            )
    finally:
        rt.engine.dispose()


def test_setup_asks_what_it_is_not_given_and_the_password_twice(runtime, database_url, tmp_path):
    office = Office(database_url, tmp_path)
    typed = f"{ADMIN}\nNguyễn Văn An\nTỉnh ủy Lâm Đồng\n{PASSWORD}\n{PASSWORD}\n"
    result = office.ok("setup", input=typed)
    assert PASSWORD not in result.output  # the prompt hides it
    assert _counts(database_url) == (1, 1, 3)
    assert "history intact: 3 events" in office.ok("audit", "verify").output


def test_setup_refuses_bad_input_naming_the_field_and_stores_nothing(
    runtime, database_url, tmp_path
):
    office = Office(database_url, tmp_path)
    base = ["setup", "--username", ADMIN, "--full-name", "An", "--organisation", "Tỉnh ủy"]
    cases = [
        (base, "12345678", "password: one of the most common passwords"),
        (base, ADMIN + "99", "password"),  # the username in the password
        (base, "short", "password: at least 8 characters"),
        (["setup", "--username", "A B", *base[3:]], PASSWORD, "username:"),
        (
            ["setup", "--username", ADMIN, "--full-name", "x" * 300, *base[5:]],
            PASSWORD,
            "full_name: too long",
        ),
        ([*base[:5], "--organisation", "t" * 300], PASSWORD, "organisation: too long"),
    ]
    for args, password, message in cases:
        result = office.run(*args, "--password-stdin", input=password + "\n")
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
    assert _counts(database_url) == (0, 0, 0)


def test_setup_runs_once(runtime, database_url, tmp_path):
    office = Office(database_url, tmp_path)
    office.set_up()
    again = office.run(
        "setup",
        "--username",
        "other",
        "--full-name",
        "Khác",
        "--organisation",
        "Khác",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert again.exit_code == 3 and "already holds users" in again.output
    assert _counts(database_url) == (1, 1, 3)


def test_setup_needs_an_initialised_database(database_url, tmp_path):
    result = Office(database_url, tmp_path).run(
        "setup",
        "--username",
        ADMIN,
        "--full-name",
        "An",
        "--organisation",
        "Tỉnh ủy",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 1 and "hoso init" in result.output
