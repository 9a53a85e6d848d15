"""``hoso serve``: the web app under gunicorn, for production."""

from __future__ import annotations

import sys

import click

from web.cli.common import runtime
from web.serve import ServeOptions


def _refuse(message: str) -> None:
    """Say why the server does not start, and exit 2 (like a bad setting)."""
    click.echo(f"hoso serve: {message}", err=True)
    sys.exit(2)


def check_migrations() -> str:
    """The database's revision; refuse to start unless it is hoso's newest."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.migrate import current_revision, head_revision

    rt = runtime()
    where = rt.engine.url.render_as_string(hide_password=True)
    try:
        current = current_revision(rt.engine)
    except SQLAlchemyError as error:
        _refuse(f"the database {where} does not answer: {error.__class__.__name__}")
    head = head_revision()
    if current is None:
        _refuse(f"the database {where} is not initialised; run `hoso init` first")
    if current != head:
        _refuse(
            f"the database {where} is at revision {current}, this hoso needs {head}; "
            "run `hoso init` to upgrade it (after a backup)"
        )
    return current


@click.command()
@click.option("--host", default=ServeOptions.host, show_default=True, help="Address to listen on.")
@click.option("--port", default=ServeOptions.port, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=ServeOptions.workers,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes.",
)
@click.option(
    "--threads",
    default=ServeOptions.threads,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per worker.",
)
@click.option(
    "--timeout",
    default=ServeOptions.timeout,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Seconds a request may take before its worker is restarted.",
)
@click.option(
    "--keep-alive",
    default=ServeOptions.keep_alive,
    show_default=True,
    type=click.IntRange(0, 3600),
    help="Seconds an idle connection stays open (behind nginx: longer than its keepalive_timeout"
    " to gunicorn, or 0).",
)
def serve(host: str, port: int, workers: int, threads: int, timeout: int, keep_alive: int) -> None:
    """Serve the web app under gunicorn (production; HOSO_SECRET_KEY required)."""
    from web import create_app
    from web.config import ConfigError
    from web.serve import configure_logging
    from web.serve import serve as run_server

    configure_logging()
    try:
        app = create_app(runtime=runtime())
    except ConfigError as error:
        _refuse(str(error))
    revision = check_migrations()
    options = ServeOptions(host, port, workers, threads, timeout, keep_alive)
    click.echo(
        f"hoso serve: revision {revision}, http://{host}:{port}, "
        f"{workers} workers × {threads} threads",
        err=True,
    )
    run_server(app, options)


def register(group: click.Group) -> None:
    """Add ``hoso serve`` to the ``hoso`` group."""
    group.add_command(serve)
