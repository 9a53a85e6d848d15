"""``hoso init``, ``hoso demo``, ``hoso run``."""

from __future__ import annotations

import click

from db.migrate import analyze, current_revision, upgrade
from web.cli.common import runtime


@click.command()
def init() -> None:
    """Create or upgrade the database (idempotent)."""
    rt = runtime()
    before = current_revision(rt.engine)
    upgrade(rt.engine)
    analyze(rt.engine)
    after = current_revision(rt.engine)
    where = rt.engine.url.render_as_string(hide_password=True)
    if before == after:
        click.echo(f"database {where} is up to date (revision {after})")
    else:
        click.echo(f"database {where} upgraded from {before or 'empty'} to {after}")


@click.command()
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if data exists.")
def demo(if_empty: bool) -> None:
    """Load the demo district into an empty database."""
    from db.demo import load_demo

    rt = runtime()
    if current_revision(rt.engine) is None:
        raise click.ClickException("the database is not initialised; run `hoso init` first")
    if not rt.is_empty():
        if if_empty:
            click.echo("the database already holds data; demo not loaded")
            return
        raise click.ClickException(
            "the database is not empty; the demo loads only into an empty one"
        )
    summary = load_demo(rt)
    analyze(rt.engine)
    click.echo(f"demo district loaded: {summary.describe()}")
    click.echo("accounts (password: demo):")
    for username, role, scope in summary.accounts:
        click.echo(f"  {username:<20} {role:<11} {scope}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True)
def run(host: str, port: int, debug: bool) -> None:
    """Serve the web app."""
    from web import create_app

    app = create_app(runtime=runtime())
    app.run(host=host, port=port, debug=debug)


def register(group: click.Group) -> None:
    """Add the set-up commands to the ``hoso`` group."""
    for command in (init, demo, run):
        group.add_command(command)
