"""``hoso audit verify`` and ``hoso audit anchor``: the history's chain, its anchors, the replay."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from db.read.history import chain_head, event_digest
from web.audit.chain import ChainCheck, check_now
from web.cli.common import domain_errors, runtime
from web.mail import SmtpSender
from workflow.ports.mail import Mail

#: What an anchor file says it is (and which form of it).
ANCHOR_KIND = "hoso-chain-anchor"


@click.group()
def audit() -> None:
    """The tamper-evident history."""


def _say_chain(check: ChainCheck) -> bool:
    report = check.report
    if report.intact:
        click.echo(f"history intact: {report.checked} events, head {report.head}")
        return True
    problem = report.problem
    where = f"event {problem.event_id}" if problem.event_id is not None else "the chain's end"
    click.echo(
        f"history BROKEN at {where}: {problem.reason} ({report.checked} events verified before it)",
        err=True,
    )
    return False


def _say_replay(check: ChainCheck) -> bool:
    replay = check.replay
    if replay is None:
        return True
    if replay.consistent:
        click.echo(f"cases consistent: {replay.cases} case rows are what their events give")
        return True
    click.echo(
        f"cases DIFFER from their events: {replay.count} difference(s) in {replay.cases} cases",
        err=True,
    )
    for difference in replay.differences:
        click.echo(f"  {difference}", err=True)
    if replay.count > len(replay.differences):
        click.echo(f"  ... and {replay.count - len(replay.differences)} more", err=True)
    return False


def read_anchor(path: Path) -> dict:
    """The anchor written by ``hoso audit anchor``, checked; ``ClickException`` if it is not one."""
    try:
        anchor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise click.ClickException(f"{path} is not a readable anchor: {err}") from err
    ok = (
        isinstance(anchor, dict)
        and anchor.get("kind") == ANCHOR_KIND
        and isinstance(anchor.get("count"), int)
        and anchor["count"] >= 0
        and isinstance(anchor.get("digest"), str)
    )
    if not ok:
        raise click.ClickException(f"{path} is not an anchor of `hoso audit anchor`")
    return anchor


def _say_anchor(anchor: dict, check: ChainCheck) -> bool:
    """Whether the chain still extends the anchor's head (its event at the count, its digest)."""
    count, digest = anchor["count"], anchor["digest"]
    if count == 0:
        click.echo("anchor: the empty chain (every chain extends it)")
        return True
    stored = event_digest(runtime().engine, count)
    if stored is None:
        click.echo(f"anchor NOT extended: event {count} no longer exists", err=True)
        return False
    if stored != digest:
        click.echo(
            f"anchor NOT extended: event {count} has digest {stored}, the anchor {digest}: "
            f"the history up to event {count} was rewritten",
            err=True,
        )
        return False
    if not check.report.intact or check.report.checked < count:
        click.echo(f"anchor: event {count} has the anchor's digest, but the chain is broken")
        return False
    extra = check.report.checked - count
    click.echo(f"anchor extended: event {count} has the anchor's digest; {extra} event(s) since")
    return True


@audit.command("verify")
@click.option(
    "--anchor",
    "anchor_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An anchor of `hoso audit anchor`: prove the chain still extends it.",
)
@domain_errors
def verify_command(anchor_path: Path | None) -> None:
    """Check every event's digest and link and every case row against its events; exit
    non-zero naming the first bad event, each case that differs, or a broken anchor."""
    anchor = read_anchor(anchor_path) if anchor_path is not None else None
    check = check_now(runtime())
    ok = _say_chain(check)
    ok = _say_replay(check) and ok
    if anchor is not None:
        ok = _say_anchor(anchor, check) and ok
    if not ok:
        sys.exit(1)


def anchor_of(now: datetime | None = None) -> dict:
    """The chain's head as an anchor: count, digest, last event and its time, when made."""
    head = chain_head(runtime().engine)
    if head is None:
        raise click.ClickException("the database has no chain head; run `hoso init` first")
    last_id, digest, count, at = head
    return {
        "kind": ANCHOR_KIND,
        "count": count,
        "digest": digest,
        "last_event_id": last_id,
        "last_event_at": at,
        "made_at": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


@audit.command("anchor")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the anchor to this file.",
)
@click.option("--mail", "address", metavar="ADDRESS", help="Also e-mail it to this address.")
@domain_errors
def anchor_command(out: Path | None, address: str | None) -> None:
    """Print the chain's head (count, digest, last event) to keep where nobody can rewrite it:
    ``hoso audit verify --anchor FILE`` proves later that the chain still extends it."""
    anchor = anchor_of()
    text = json.dumps(anchor, ensure_ascii=False, indent=2) + "\n"
    click.echo(text, nl=False)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        click.echo(f"anchor written to {out}", err=True)
    if address is not None:
        settings = runtime().settings
        if not settings.mail_enabled:
            raise click.ClickException("no SMTP server is configured ([smtp] host): not mailed")
        mail = Mail(address, address, "anchor", {"anchor": anchor, "text": text})
        (failure,) = SmtpSender(settings.smtp).send([mail])
        if failure is not None:
            raise click.ClickException(f"the anchor was not mailed: {failure}")
        click.echo(f"anchor mailed to {address}", err=True)
