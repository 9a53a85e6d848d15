"""``hoso remind`` on PostgreSQL queues one ``send_mail`` task per digest instead of sending them
itself; ``hoso worker --once`` then sends them to the SMTP server (aiosmtpd, as in
tests/web/test_remind.py, whose command tests cover SQLite: sent by the command, inline)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from tests.web import test_remind
from tests.web.test_remind import Inbox, smtp_toml
from web.cli import cli
from workflow.ports.tasks import SEND_MAIL

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
# The command's fixtures, shared with tests/web/test_remind.py.
fixture, run, smtp_server = test_remind.fixture, test_remind.run, test_remind.smtp_server


def jobs(district) -> list[tuple[str, str, str]]:
    with district.runtime.engine.connect() as conn:
        return [
            (row.task_name, row.status, row.args["to_address"])
            for row in conn.execute(
                text("SELECT task_name, status, args FROM procrastinate_jobs ORDER BY id")
            )
        ]


def test_queued_by_the_command_sent_by_the_worker(
    run, smtp_server, district, database_url, tmp_path
):
    inbox = Inbox()
    port = smtp_server(inbox)
    result = run("--today", "2026-02-11", toml=smtp_toml(port))
    assert result.exit_code == 0, result.output
    assert "queued: com <com@example.org>: [hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn" in (
        result.output
    )
    assert "5 digest(s) queued, 0 failed; `hoso worker` sends them via 127.0.0.1" in result.output
    assert "sent:" not in result.output and "no e-mail address: com2" in result.output
    assert inbox.received == []  # queued, not sent
    queued = jobs(district)
    assert {(name, status) for name, status, _ in queued} == {(SEND_MAIL, "todo")}
    assert sorted(to for *_, to in queued) == [
        "com@example.org", "mentor.other@example.org", "mentor@example.org",
        "sec.other@example.org", "sec@example.org",
    ]  # fmt: skip

    environ = {"HOSO_INSTANCE": str(tmp_path / "instance"), "HOSO_DATABASE_URL": database_url}
    worked = CliRunner().invoke(cli, ["worker", "--once"], env=environ)
    assert worked.exit_code == 0, worked.output
    assert len(inbox.received) == 5
    com = inbox.by_recipient()["com@example.org"]
    assert com["Subject"] == "[hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn"
    assert "Lê Thị Mai" in com.get_body(preferencelist=("plain",)).get_content()
    assert {status for _, status, _ in jobs(district)} == {"succeeded"}


def test_dry_run_queues_nothing(run, district):
    result = run("--dry-run", "--today", "2026-02-11")
    assert result.exit_code == 0, result.output
    assert "nothing was sent" in result.output and jobs(district) == []


def test_without_smtp_nothing_is_queued(run, district):
    result = run("--today", "2026-02-11")
    assert result.exit_code == 2 and "no SMTP server is configured" in result.output
    assert jobs(district) == []


def test_a_digest_the_worker_cannot_send_is_kept_for_a_retry(run, district, database_url, tmp_path):
    from tests.web.test_remind import free_port

    port = free_port()  # nothing listens there
    result = run("--today", "2026-02-11", toml=smtp_toml(port))
    assert result.exit_code == 0 and "5 digest(s) queued" in result.output
    environ = {"HOSO_INSTANCE": str(tmp_path / "instance"), "HOSO_DATABASE_URL": database_url}
    assert CliRunner().invoke(cli, ["worker", "--once"], env=environ).exit_code == 0
    assert {status for _, status, _ in jobs(district)} == {"todo"}  # each to be tried again
    listed = CliRunner().invoke(cli, ["worker", "--failed"], env=environ)
    assert f"cannot reach the SMTP server 127.0.0.1:{port}" in listed.output
    assert "to_address=sec@example.org" in listed.output
