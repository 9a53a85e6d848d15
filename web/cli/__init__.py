"""The ``hoso`` command: set-up, the demo, the server, the history, cases."""

from __future__ import annotations

import sys

import click

from web.cli import audit, cases, setup


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """hoso: Party admission dossiers, from first notice to full membership."""


setup.register(cli)
cli.add_command(audit.audit)
cli.add_command(cases.case)


def main() -> None:
    """Entry point of the installed ``hoso`` command."""
    sys.exit(cli.main(prog_name="hoso", standalone_mode=True))
