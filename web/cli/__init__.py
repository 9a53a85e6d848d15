"""The ``hoso`` command: set-up, the demo, the server, the history, cases."""

from __future__ import annotations

import sys

import click

from web.cli import audit, cases, docs, helps, remind, serve, setup, worker
from web.cli.backup import backup_command, restore_command
from web.cli.importing import import_command
from web.cli.lang import from_environment, lang_option
from web.cli.orgs import org
from web.cli.reports import report
from web.cli.users import user


class HosoGroup(click.Group):
    """The ``hoso`` group: each run starts in the language of HOSO_LANG (web/cli/lang.py)."""

    def make_context(self, *args, **kwargs) -> click.Context:  # type: ignore[no-untyped-def]
        from_environment()
        return super().make_context(*args, **kwargs)


@click.group(cls=HosoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@lang_option
def cli() -> None:
    """hoso: Party admission dossiers, from first notice to full membership."""


setup.register(cli)
serve.register(cli)
cli.add_command(audit.audit)
cli.add_command(cases.case)
cli.add_command(docs.docs)
cli.add_command(remind.remind)
cli.add_command(report)
cli.add_command(import_command)
cli.add_command(org)
cli.add_command(worker.worker)
cli.add_command(user)
cli.add_command(backup_command)
cli.add_command(restore_command)
helps.apply(cli)  # after every registration: the descriptions in Vietnamese (web/cli/helps.py)


def main() -> None:
    """Entry point of the installed ``hoso`` command."""
    sys.exit(cli.main(prog_name="hoso", standalone_mode=True))
