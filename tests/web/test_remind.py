"""Sending the reminders: the SMTP adapter (``web.mail.SmtpSender``) and ``hoso remind``.

The district and its deadlines are tests/db/test_reminders.py's; mails go to an in-process
aiosmtpd server on 127.0.0.1.
"""

from __future__ import annotations

import email
import email.policy
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.db.test_reminders import Fixture, build, digests_by_user
from web.cli import cli
from web.mail import SmtpSender
from workflow.services.reminders import send_reminders
from workflow.settings import ENVIRONMENT, SmtpSettings

#: The variables that override the settings: cleared for the command's tests.
SETTINGS_ENV = list(ENVIRONMENT.values())


@pytest.fixture
def fixture(district) -> Fixture:
    return build(district)


def write_toml(folder: Path, text: str) -> Path:
    """The instance's hoso.toml with `text`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hoso.toml").write_text(text, encoding="utf-8")
    return folder


def send_digests(digests, smtp: SmtpSettings):
    """The use case with the SMTP sender, as ``hoso remind`` runs it."""
    return send_reminders(SmtpSender(smtp), digests)


# --- sending ------------------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler keeping every message; refuses the recipients in `refuse`."""

    def __init__(self, refuse: tuple[str, ...] = ()):
        self.refuse = refuse
        self.received: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def by_recipient(self) -> dict[str, email.message.EmailMessage]:
        return {rcpt: message for _, rcpts, message in self.received for rcpt in rcpts}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start an in-process SMTP server; yields a function making one with a handler."""
    from aiosmtpd.controller import Controller

    started = []

    def start(handler: Inbox) -> int:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        return port

    yield start
    for controller in started:
        controller.stop()


def bodies(message: email.message.EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_the_digests_reach_an_smtp_server(fixture, smtp_server):
    inbox = Inbox()
    port = smtp_server(inbox)
    digests = [d for d in digests_by_user(fixture, base_url="https://hoso.example.vn").values()
               if d.recipient.email]  # fmt: skip
    smtp = SmtpSettings(host="127.0.0.1", port=port, sender="hồ sơ <hoso@example.vn>", timeout=5)
    results = send_digests(digests, smtp)
    assert [r.error for r in results] == [None] * 5
    mails = inbox.by_recipient()
    assert sorted(mails) == [
        "com@example.org", "mentor.other@example.org", "mentor@example.org",
        "sec.other@example.org", "sec@example.org",
    ]  # fmt: skip
    assert {sender for sender, _, _ in inbox.received} == {"hoso@example.vn"}
    assert all(len(rcpts) == 1 for _, rcpts, _ in inbox.received)  # one e-mail per user

    com = mails["com@example.org"]
    assert com["Subject"] == "[hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn"
    assert com["To"] == "Trần Thị Bích <com@example.org>"
    assert com["From"] == "hồ sơ <hoso@example.vn>"
    text, html = bodies(com)
    for body in (text, html):
        assert "Lê Thị Mai" in body and "Vũ Hoàng Nam" in body
        assert "24/12/2025" in body and "23/02/2026" in body
        assert "Trần Văn Bình" not in body  # the cell's, not the committee's
    assert "Kính gửi đồng chí Trần Thị Bích," in text and "Dear Trần Thị Bích," in text
    assert text.index("QUÁ HẠN") < text.index("SẮP ĐẾN HẠN") < text.index("OVERDUE")
    assert "quá hạn 34 ngày làm việc" in text and "34 working days overdue" in text
    assert "https://hoso.example.vn/candidates/" in text
    assert "<table" in html

    sec = mails["sec@example.org"]
    assert sec["Subject"] == "[hồ sơ] 2 việc sắp đến hạn"
    text, _ = bodies(sec)
    assert "Phạm Thu Hà" in text and "12/02/2026" in text and "Hết thời gian dự bị" in text
    assert "Trần Văn Bình" in text and "Tổ chức lễ kết nạp: hạn 23/02/2026" in text
    assert "Lê Thị Mai" not in text

    other = mails["sec.other@example.org"]
    assert other["Subject"] == "[hồ sơ] 1 việc quá hạn"
    assert "Đỗ Minh Tuấn" in bodies(other)[0] and "14/01/2026" in bodies(other)[0]


def test_a_refused_recipient_does_not_stop_the_others(fixture, smtp_server):
    inbox = Inbox(refuse=("sec@example.org",))
    port = smtp_server(inbox)
    digests = [d for d in digests_by_user(fixture).values() if d.recipient.email]
    results = send_digests(digests, SmtpSettings("127.0.0.1", port, "hoso@example.vn"))
    failed = {r.digest.recipient.username: r.error for r in results if not r.ok}
    assert list(failed) == ["sec"]
    assert "550" in failed["sec"] and "No such mailbox" in failed["sec"]
    assert len(inbox.received) == 4
    assert "sec@example.org" not in inbox.by_recipient()


def test_an_unreachable_server_fails_every_digest_with_the_reason(fixture):
    digests = [d for d in digests_by_user(fixture).values() if d.recipient.email]
    port = free_port()  # nothing listens there
    results = send_digests(digests, SmtpSettings("127.0.0.1", port, "hoso@example.vn", timeout=3))
    assert len(results) == 5 and not any(r.ok for r in results)
    assert all(f"cannot reach the SMTP server 127.0.0.1:{port}" in r.error for r in results)


# --- the command --------------------------------------------------------------------------------


@pytest.fixture
def run(fixture, database_url, tmp_path, monkeypatch):
    """``hoso remind ...`` on the fixture's database, with an instance folder of its own."""
    folder = tmp_path / "instance"
    folder.mkdir()
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)

    def _run(*args: str, toml: str | None = None, env: dict | None = None):
        if toml is not None:
            write_toml(folder, toml)
        environ = {"HOSO_INSTANCE": str(folder), "HOSO_DATABASE_URL": database_url, **(env or {})}
        return CliRunner().invoke(cli, ["remind", *args], env=environ)

    return _run


#: The command sends the digests itself on SQLite only; on PostgreSQL it queues them
#: (tests/web/test_remind_queue.py).
SENT_BY_THE_COMMAND = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def smtp_toml(port: int) -> str:
    return f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nfrom = "hoso@example.vn"\ntimeout = 3\n'


@SENT_BY_THE_COMMAND
def test_the_command_sends_one_digest_per_user(run, smtp_server):
    inbox = Inbox()
    port = smtp_server(inbox)
    result = run("--today", "2026-02-11", toml=smtp_toml(port))
    assert result.exit_code == 0, result.output
    assert len(inbox.received) == 5
    assert (
        "sent: com <com@example.org>: [hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn" in result.output
    )
    assert "5 digest(s) sent, 0 failed" in result.output
    assert "no e-mail address: com2 misses 2 reminder(s)" in result.output


def test_dry_run_sends_nothing_and_says_who_would_get_what(run, smtp_server):
    inbox = Inbox()
    port = smtp_server(inbox)
    result = run("--dry-run", "--today", "2026-02-11", toml=smtp_toml(port))
    assert result.exit_code == 0, result.output
    assert inbox.received == []
    out = result.output
    assert "com <com@example.org>: [hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn" in out
    assert "overdue   24/12/2025   -34  Admission decision — Lê Thị Mai" in out
    assert "due soon  23/02/2026    +3  Admission ceremony — Trần Văn Bình" in out
    assert "dry run: 5 digest(s) would be sent; nothing was sent" in out


def test_dry_run_needs_no_smtp_server(run):
    result = run("--dry-run", "--today", "2026-02-11", "--within", "14")
    assert result.exit_code == 0, result.output
    assert "Hồ Văn Khoa" in result.output  # within 14 working days


def test_without_smtp_the_command_says_so_and_fails(run):
    result = run("--today", "2026-02-11")
    assert result.exit_code != 0
    assert "no SMTP server is configured" in result.output
    assert "HOSO_SMTP_HOST" in result.output


@SENT_BY_THE_COMMAND
def test_an_unreachable_server_is_reported_and_fails(run):
    port = free_port()
    result = run("--today", "2026-02-11", toml=smtp_toml(port))
    assert result.exit_code == 1
    assert f"cannot reach the SMTP server 127.0.0.1:{port}" in result.output
    assert "FAILED: sec <sec@example.org>" in result.output
    assert "0 digest(s) sent, 5 failed" in result.output


@SENT_BY_THE_COMMAND
def test_one_refused_recipient_fails_the_run_but_not_the_others(run, smtp_server):
    inbox = Inbox(refuse=("mentor@example.org",))
    port = smtp_server(inbox)
    result = run("--today", "2026-02-11", env={"HOSO_SMTP_HOST": "127.0.0.1",
                 "HOSO_SMTP_PORT": str(port), "HOSO_SMTP_FROM": "hoso@example.vn"})  # fmt: skip
    assert result.exit_code == 1
    assert "FAILED: mentor <mentor@example.org>: refused by 127.0.0.1" in result.output
    assert "4 digest(s) sent, 1 failed" in result.output
    assert len(inbox.received) == 4


def test_bad_options_are_refused(run):
    assert run("--today", "11-02-2026x").exit_code != 0
    assert run("--within", "-1").exit_code != 0
    result = run("--dry-run", toml='[smtp]\nhost = "h"\n')
    assert result.exit_code == 2 and "the sender is missing" in result.output
