"""``hoso org list|import``: the organisation tree, as an admin given with ``--as``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from db.actors import actor_by_username
from db.read.admin import organisation_tree
from web.cli.common import EXIT_CODES, domain_errors, echo_json, runtime
from web.cli.lang import lang, pick
from web.cli.words import field_label, problem_text
from workflow.errors import InvalidInput, RuleViolation
from workflow.facts import Actor
from workflow.importing import org_rows
from workflow.importing.problems import ImportFileError
from workflow.importing.records import Column, RecordResult, RecordSheet, read_records
from workflow.services.admin_scope import manage_scope
from workflow.services.org_import import import_organisations

#: Rows refused: the exit code of ``hoso import`` (as for a transition the rules refuse).
REFUSED = EXIT_CODES[RuleViolation]

as_option = click.option(
    "--as",
    "username",
    required=True,
    help="The admin who acts: the history names them, and their admin scope applies.",
)


def acting(username: str) -> Actor:
    """The active user `username` as the actor (refused naming --as when there is none)."""
    with runtime().sessions() as session:
        actor = actor_by_username(session, username)
    if actor is None:
        raise InvalidInput("--as", f"no active user {username!r}")
    return actor


@click.group()
def org() -> None:
    """The organisation tree: list it, import it from a file."""


@org.command("list")
@as_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@domain_errors
def list_command(username: str, as_json: bool) -> None:
    """The organisations of the admin's scope, as a tree, with their ids."""
    within = manage_scope(acting(username))
    with runtime().sessions() as session:
        rows = organisation_tree(session, within)
    if as_json:
        echo_json([vars(row) for row in rows])
        return
    for row in rows:
        deciding = "  [decides admissions]" if row.decides_admissions else ""
        click.echo(f"{row.id:>6}  {'  ' * row.depth}{row.name} ({row.type}){deciding}")
    click.echo(f"{len(rows)} organisation(s)")


@org.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
@click.option("--dry-run", is_flag=True, help="Check every row and report; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@domain_errors
def import_command(file: Path, username: str, dry_run: bool, as_json: bool) -> None:
    """Create the organisations of FILE (XLSX or CSV) under the admin's scope.

    \b
    Columns (Vietnamese or English headers; docs/operations.md): Mã / code (optional; else the
    name is the key), Tên tổ chức / name, Cấp trên / parent (a code or name of the file, or an
    organisation of your scope by name or #id), Loại / type (committee, cell, centre, mass, or
    đảng ủy, chi bộ, trung tâm, đoàn, công đoàn, mặt trận, hội), Loại đoàn thể / mass_kind,
    Loại đơn vị / unit_kind (school, enterprise, other), Quyết định kết nạp /
    decides_admissions (có/không), Số ủy viên / committee_size, Có Đoàn / has_doan, Từ ngày /
    valid_from, Đến ngày / valid_until. Rows may come in any order. Several rows with one code
    are the organisation's versions over time (a rename, a move, the 2025 reform); a last row's
    valid_until dissolves it.

    \b
    All or nothing: one transaction; if any row is refused nothing is stored and the command
    exits 7 after listing every refused row. --dry-run reports the same and stores nothing. A
    file that cannot be read exits 2; a user who is no admin, 3.
    """
    actor = acting(username)
    manage_scope(actor, "import organisations")
    sheet = read_file(file, org_rows.COLUMNS, "name", org_rows.REQUIRED)
    result = import_organisations(runtime().uow(), actor, sheet, dry_run=dry_run)
    report(result, pick("tổ chức", "organisation"), as_json, org_rows.COLUMNS)


def read_file(
    file: Path, columns: tuple[Column, ...], key: str, required: tuple[str, ...]
) -> RecordSheet:
    """The file's rows (refused as bad input, exit 2, naming the file when unreadable)."""
    try:
        data = file.read_bytes()
    except OSError as err:
        raise click.ClickException(f"cannot read {file}: {err}") from err
    try:
        return read_records(data, file.name, columns, key, required)
    except ImportFileError as bad:
        raise InvalidInput(str(file), bad.text(lang())) from None


def report(
    result: RecordResult, noun: str, as_json: bool, columns: tuple[Column, ...] = ()
) -> None:
    """The row report (as ``hoso import`` prints it), then exit 7 when rows are refused; the
    fields named by the Vietnamese labels of `columns` (unless ``--lang en``)."""
    if as_json:
        echo_json(result.as_dict())
    else:
        _print(result, noun, columns)
    if result.refused:
        sys.exit(REFUSED)


def _print(result: RecordResult, noun: str, columns: tuple[Column, ...]) -> None:
    if result.sheet.ignored:
        ignored = ", ".join(result.sheet.ignored)
        click.echo(
            pick(
                f"cột bị bỏ qua (không có mục này): {ignored}",
                f"columns ignored (no such field): {ignored}",
            )
        )
    lines = [
        (
            str(row.line),
            _short(row.label),
            field_label(problem.field, columns),
            problem_text(problem),
        )
        for row in result.rows
        for problem in row.problems
    ]
    if lines:
        _table(HEADERS[lang()], lines)
    name, total = result.sheet.filename, len(result.rows)
    if result.dry_run:
        click.echo(
            pick(
                f"chạy thử {name}: {result.accepted}/{total} dòng hợp lệ, {result.refused} dòng "
                "bị từ chối; chưa lưu gì",
                f"dry run of {name}: {result.accepted} of {total} row(s) are good, "
                f"{result.refused} refused; nothing was stored",
            )
        )
    elif result.committed:
        made = len({row.made_id for row in result.rows})
        click.echo(
            pick(
                f"đã nhập {total} dòng từ {name}: {made} {noun}",
                f"imported {total} row(s) from {name}: {made} {noun}(s)",
            )
        )
    else:
        click.echo(
            pick(
                f"không nhập gì từ {name}: {result.refused}/{total} dòng bị từ chối",
                f"nothing imported from {name}: {result.refused} of {total} row(s) refused",
            )
        )


#: The row report's columns, in each language.
HEADERS = {"vi": ("dòng", "tên", "mục", "vấn đề"), "en": ("row", "name", "field", "problem")}


def _short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    widths[-1] = len(headers[-1])  # the last column runs on
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
