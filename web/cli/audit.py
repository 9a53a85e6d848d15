"""``hoso audit verify``: walk the whole history chain."""

from __future__ import annotations

import sys

import click

from db.read.history import verify
from web.cli.common import domain_errors, runtime


@click.group()
def audit() -> None:
    """The tamper-evident history."""


@audit.command("verify")
@domain_errors
def verify_command() -> None:
    """Check every event's digest and link; exit non-zero naming the first bad event."""
    report = verify(runtime().engine)
    if report.intact:
        click.echo(f"history intact: {report.checked} events, head {report.head}")
        return
    problem = report.problem
    where = f"event {problem.event_id}" if problem.event_id is not None else "the chain's end"
    click.echo(
        f"history BROKEN at {where}: {problem.reason} ({report.checked} events verified before it)",
        err=True,
    )
    sys.exit(1)
