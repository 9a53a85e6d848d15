"""``hoso backup FILE`` and ``hoso restore FILE``: the database and the instance's files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from db.backup import BackupError, Manifest, backup, restore
from db.migrate import current_revision, head_revision
from db.read.history import verify
from db.read.replay import replay_cases
from db.session import instance_path
from web.cli.common import runtime


def _describe(manifest: Manifest) -> str:
    return (
        f"hoso {manifest.hoso_version}, {manifest.backend} at revision {manifest.revision}, "
        f"chain of {manifest.head_count} events, head {manifest.head_digest or '-'}, "
        f"made {manifest.made_at}"
    )


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--with-secrets",
    is_flag=True,
    help="Include the secret key (whoever holds the archive can then sign a login cookie).",
)
def backup_command(target: Path, with_secrets: bool) -> None:
    """Write the database, the uploads and the settings to TARGET (a .tar.gz)."""
    rt = runtime()
    try:
        manifest = backup(rt.engine, instance_path(), target, with_secrets)
    except BackupError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"backup written to {target}: {_describe(manifest)}")
    if not with_secrets:
        click.echo("the secret key is not in it: a restored server makes a new one (log in again)")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that holds data already.")
def restore_command(source: Path, force: bool) -> None:
    """Restore the backup SOURCE into this (empty) database and instance folder, then verify
    the chain and the cases; exit non-zero if the head is not the backup's."""
    rt = runtime()
    try:
        manifest = restore(rt.engine, instance_path(), source, force)
    except BackupError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"restored {source}: {_describe(manifest)}")
    revision, head = current_revision(rt.engine), head_revision()
    if revision != manifest.revision:
        raise click.ClickException(
            f"the restored database is at revision {revision}, the backup says {manifest.revision}"
        )
    if revision != head:
        click.echo(f"the database is at revision {revision}; run `hoso init` to upgrade to {head}")
    report = verify(rt.engine)
    same = (report.checked, report.head) == (manifest.head_count, manifest.head_digest)
    if not report.intact:
        problem = report.problem
        click.echo(f"history BROKEN at event {problem.event_id}: {problem.reason}", err=True)
    elif manifest.head_count and not same:
        click.echo(
            f"history head differs from the backup's: {report.checked} events, head "
            f"{report.head}; the backup recorded {manifest.head_count}, "
            f"{manifest.head_digest}",
            err=True,
        )
    else:
        click.echo(f"history intact: {report.checked} events, head {report.head} (as backed up)")
    replay = replay_cases(rt.engine)
    for difference in replay.differences:
        click.echo(f"  {difference}", err=True)
    if not report.intact or (manifest.head_count and not same) or not replay.consistent:
        sys.exit(1)
    click.echo(f"cases consistent: {replay.cases} case rows are what their events give")
