"""``hoso init``, ``hoso setup``, ``hoso demo``, ``hoso run``."""

from __future__ import annotations

import click

from db.migrate import analyze, current_revision, upgrade
from web.cli.common import domain_errors, runtime
from web.cli.passwords import read_password
from workflow.services.setup import set_up


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


@click.command("setup")
@click.option("--username", prompt="Username of the first admin", help="The first admin's login.")
@click.option("--full-name", prompt="Their full name", help="The first admin's full name.")
@click.option("--email", default=None, help="The first admin's e-mail (optional).")
@click.option(
    "--organisation",
    prompt="The root organisation (the province or district committee)",
    help="The name of the party committee at the root of the tree.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@domain_errors
def setup_command(
    username: str, full_name: str, email: str | None, organisation: str, password_stdin: bool
) -> None:
    """Create the first admin and the root organisation in an initialised, empty database.

    \b
    The admin holds the admin role on the root; the history records the three acts as done by
    `setup` (role `system`). Refused (exit 3) once any user or organisation exists. The
    password is asked twice without echo, or read from standard input with --password-stdin.
    """
    rt = runtime()
    if current_revision(rt.engine) is None:
        raise click.ClickException("the database is not initialised; run `hoso init` first")
    password = read_password(password_stdin)
    made = set_up(
        rt.uow(),
        username=username,
        full_name=full_name,
        password=password,
        organisation=organisation,
        email=email,
    )
    click.echo(
        f"first admin {made.username} (user {made.user_id}) set up, admin of "
        f"{made.organisation} (organisation {made.organisation_id})"
    )
    click.echo(f"next: hoso org import FILE --as {made.username} (docs/operations.md)")


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

    app = create_app(runtime=runtime(), development=True)
    app.run(host=host, port=port, debug=debug)


def register(group: click.Group) -> None:
    """Add the set-up commands to the ``hoso`` group."""
    for command in (init, setup_command, demo, run):
        group.add_command(command)
