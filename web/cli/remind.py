"""``hoso remind [--dry-run] [--within N] [--today YYYY-MM-DD]``: the daily deadline digest.

On SQLite the digests are sent by the command itself, over one SMTP session, and each outcome is
printed. On PostgreSQL they are queued (``web.mail.QueuedSender``: one ``send_mail`` task each),
and ``hoso worker`` sends them, retrying a failure (docs/tasks.md).
"""

from __future__ import annotations

import sys

import click

from db.files import LocalFiles
from db.reminders import SqlReminderSource
from db.runtime import Runtime
from web.cli.common import domain_errors, runtime
from web.mail import QueuedSender, SmtpSender, day, render
from workflow.clock import Clock
from workflow.fields import parse_date
from workflow.reminders import Digest
from workflow.services.reminders import Sent, digest_mail, gather_digests, send_reminders
from workflow.settings import ReminderSettings, SmtpSettings

#: Exit code when no SMTP server is configured, or a setting is wrong.
EXIT_CONFIG = 2
#: Exit code when at least one digest could not be sent.
EXIT_FAILED = 1


def _who(digest: Digest) -> str:
    recipient = digest.recipient
    return f"{recipient.username} <{recipient.email}>" if recipient.email else recipient.username


def _subject(digest: Digest) -> str:
    return render(digest_mail(digest)).subject


def _describe(digest: Digest) -> None:
    click.echo(f"{_who(digest)}: {_subject(digest)}")
    for entry in digest.items:
        item = entry.item
        status = "overdue " if item.overdue else "due soon"
        roles = ", ".join(entry.roles)
        click.echo(
            f"  {status}  {day(item.deadline.due)}  {item.days_left:>+4d}  {item.deadline.en}"
            f" — {item.name} ({item.cell}) [{roles}]"
        )


def _mail_settings() -> tuple[SmtpSettings | None, ReminderSettings]:
    """``[smtp]`` (``None``: no server) and ``[reminders]`` of the instance's settings."""
    settings = runtime().settings
    return (settings.smtp if settings.mail_enabled else None), settings.reminders


@click.command("remind")
@click.option("--dry-run", is_flag=True, help="Print who would get what; send nothing.")
@click.option(
    "--within",
    type=click.IntRange(0, 250),
    default=None,
    help="Due soon: within this many working days (default 10, or [reminders] within).",
)
@click.option("--today", "today_text", metavar="YYYY-MM-DD", help="Count from this day.")
@domain_errors
def remind(dry_run: bool, within: int | None, today_text: str | None) -> None:
    """E-mail each secretary, committee member and mentor the deadlines they must act on:
    those overdue and those due soon, one digest per person."""
    smtp, options = _mail_settings()
    if smtp is None and not dry_run:
        click.echo(
            "error: no SMTP server is configured, so no reminder can be sent. Set [smtp] host"
            " and from in instance/hoso.toml, or HOSO_SMTP_HOST and HOSO_SMTP_FROM"
            " (docs/deadlines.md); `hoso remind --dry-run` shows what would be sent.",
            err=True,
        )
        sys.exit(EXIT_CONFIG)
    today = parse_date("--today", today_text) if today_text else Clock.system().today
    within = options.within if within is None else within
    rt = runtime()
    with rt.sessions() as session:
        digests = gather_digests(
            SqlReminderSource(session), rt.settings.rules, today, within, options.base_url
        )
    reachable = [d for d in digests if d.recipient.email]
    unreachable = [d for d in digests if not d.recipient.email]
    click.echo(f"deadlines on {day(today)}, due soon = within {within} working days")
    if dry_run:
        for digest in digests:
            _describe(digest)
        click.echo(f"dry run: {len(reachable)} digest(s) would be sent; nothing was sent")
    for digest in unreachable:
        click.echo(
            f"no e-mail address: {digest.recipient.username} misses {len(digest.items)}"
            " reminder(s)",
            err=True,
        )
    if dry_run:
        return
    if not reachable:
        click.echo("nothing to send")
        return
    assert smtp is not None
    if rt.engine.dialect.name == "postgresql":
        _queue(rt, smtp, reachable)
    else:
        _send(smtp, reachable)


def _send(smtp: SmtpSettings, digests: list[Digest]) -> None:
    """Send the digests now, over one SMTP session; exit 1 if any was not sent."""
    results = send_reminders(SmtpSender(smtp), digests)
    for result in results:
        if result.ok:
            click.echo(f"sent: {_who(result.digest)}: {_subject(result.digest)}")
        else:
            click.echo(f"FAILED: {_who(result.digest)}: {result.error}", err=True)
    failed = sum(not r.ok for r in results)
    click.echo(f"{len(results) - failed} digest(s) sent, {failed} failed via {smtp.address}")
    if failed:
        sys.exit(EXIT_FAILED)


def _queue(rt: Runtime, smtp: SmtpSettings, digests: list[Digest]) -> None:
    """Queue the digests for ``hoso worker`` (PostgreSQL); exit 1 if any could not be queued."""
    from web.task_handlers import TaskEnv
    from web.tasks import QueueTasks

    tasks = QueueTasks(TaskEnv(rt, LocalFiles.default()))
    try:
        results = _queued(QueuedSender(tasks), digests)
    finally:
        tasks.close()
    for result in results:
        if result.ok:
            click.echo(f"queued: {_who(result.digest)}: {_subject(result.digest)}")
        else:
            click.echo(f"FAILED: {_who(result.digest)}: {result.error}", err=True)
    failed = sum(not r.ok for r in results)
    click.echo(
        f"{len(results) - failed} digest(s) queued, {failed} failed; `hoso worker` sends them"
        f" via {smtp.address}"
    )
    if failed:
        sys.exit(EXIT_FAILED)


def _queued(sender: QueuedSender, digests: list[Digest]) -> list[Sent]:
    """Hand each digest to the queue; a digest that cannot be queued (the database refused)
    fails alone, with the reason."""
    results = []
    for digest in digests:
        try:
            (error,) = sender.send([digest_mail(digest)])
        except Exception as err:  # the queue's database refused (procrastinate's errors)
            error = f"cannot queue: {err}"
        results.append(Sent(digest, error))
    return results
