"""``hoso import FILE [--dry-run] --as USERNAME``: candidates from an XLSX or CSV file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from db.actors import actor_by_username
from web.cli.common import EXIT_CODES, domain_errors, echo_json, runtime
from web.cli.lang import lang, pick
from web.cli.words import field_label, problem_text
from workflow.errors import InvalidInput, RuleViolation
from workflow.importing.problems import ImportFileError
from workflow.importing.result import ImportResult
from workflow.importing.sheet import parse_sheet
from workflow.services.importing import import_candidates

#: The exit code when rows are refused (as for a transition the rules refuse).
REFUSED = EXIT_CODES[RuleViolation]


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as",
    "username",
    required=True,
    help="The secretary who imports: every imported case's identify event is recorded as "
    "theirs, and only their cells may be named.",
)
@click.option("--dry-run", is_flag=True, help="Check every row and report; store nothing.")
@click.option(
    "--skip-bad",
    is_flag=True,
    help="Import the good rows even if some are refused (still in one transaction).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@domain_errors
def import_command(file: Path, username: str, dry_run: bool, skip_bad: bool, as_json: bool) -> None:
    """Put the people of FILE (XLSX or CSV) on their cells' lists of candidates.

    \b
    Each row becomes one case, opened by `identify` as the user given with --as (a cell
    secretary): the same checks as `hoso case new`, and the case's identify event is theirs,
    with source import_file and the file's name as its detail. Headers may be Vietnamese or
    English, with or without diacritics: Họ và tên / full_name, Ngày sinh / birth_date, Chi bộ /
    cell (its name or id; may be left out by the secretary of one cell), Giới tính, Số CCCD,
    Nơi sinh, Quê quán, Dân tộc, Tôn giáo, Trình độ học vấn, Nơi cư trú, Nghề nghiệp, Là đoàn
    viên (docs/import.md lists every accepted header). Dates: real dates, Excel serials or
    dd/mm/yyyy. CSV: UTF-8 (a BOM is fine), comma or semicolon.

    \b
    All or nothing: the whole file is imported in one transaction, and if any row is refused
    (bad date, unknown cell, duplicate person in the file or with an open case, missing field,
    a rule) nothing is, and the command exits 7 after listing every refused row. With
    --skip-bad the good rows are imported and the refused ones listed (exit 0, or 7 when no row
    was good). --dry-run reports the same, stores nothing, and exits as the import would. A
    file that cannot be read at all exits 2; a user who is no cell's secretary, 3.
    """
    rt = runtime()
    with rt.sessions() as session:
        actor = actor_by_username(session, username)
    if actor is None:
        raise InvalidInput("--as", f"no active user {username!r}")
    try:
        data = file.read_bytes()
    except OSError as err:
        raise click.ClickException(f"cannot read {file}: {err}") from err
    try:
        sheet = parse_sheet(data, file.name)
        if _terminal() and not as_json:
            with click.progressbar(
                length=len(sheet.rows),
                label=pick("Đang kiểm tra", "Checking")
                if dry_run
                else pick("Đang nhập", "Importing"),
                file=sys.stderr,
                show_pos=True,
            ) as bar:
                result = import_candidates(
                    rt.uow(), actor, sheet, dry_run=dry_run, skip_bad=skip_bad, progress=bar.update
                )
        else:
            result = import_candidates(rt.uow(), actor, sheet, dry_run=dry_run, skip_bad=skip_bad)
    except ImportFileError as bad:  # reported as bad input (exit 2), naming the file
        raise InvalidInput(str(file), bad.text(lang())) from None
    if as_json:
        echo_json(result.as_dict())
    else:
        _print_report(result)
    # A dry run exits as the import would: 7 unless it would commit.
    if not result.accepted or (result.refused and not skip_bad):
        sys.exit(REFUSED)


def _terminal() -> bool:
    """Whether stderr is a terminal (the progress bar is drawn only there)."""
    return sys.stderr.isatty()


def _print_report(result: ImportResult) -> None:
    if result.sheet.ignored:
        ignored = ", ".join(result.sheet.ignored)
        click.echo(
            pick(
                f"cột bị bỏ qua (không có mục này): {ignored}",
                f"columns ignored (no such field): {ignored}",
            )
        )
    refused = [row for row in result.rows if row.refused]
    if refused:
        lines = [
            (str(row.line), _short(row.name), field_label(problem.field), _why(problem))
            for row in refused
            for problem in row.problems
        ]
        _table(HEADERS[lang()], lines)
    click.echo(_summary(result))


def _summary(result: ImportResult) -> str:
    """The report's last line: what was (or would be) imported, and what was refused."""
    name, total, refused = result.sheet.filename, len(result.rows), result.refused
    if result.dry_run:
        good = not refused or result.skip_bad
        verdict = pick(
            "sẽ được nhập" if good else "hợp lệ", "would be imported" if good else "are good"
        )
        return pick(
            f"chạy thử {name}: {result.accepted}/{total} dòng {verdict}, {refused} dòng bị từ "
            "chối; chưa lưu gì",
            f"dry run of {name}: {result.accepted} of {total} row(s) {verdict}, "
            f"{refused} refused; nothing was stored",
        )
    if result.committed:
        ids = [row.case_id for row in result.rows if row.case_id is not None]
        return pick(
            f"đã nhập {result.imported} quần chúng từ {name} (hồ sơ {ids[0]}–{ids[-1]})"
            + (f"; {refused} dòng bị từ chối và bỏ qua" if refused else ""),
            f"imported {result.imported} candidate(s) from {name} (cases {ids[0]}–{ids[-1]})"
            + (f"; {refused} row(s) refused and skipped" if refused else ""),
        )
    hint = (
        ""
        if result.skip_bad
        else pick(
            " (hãy sửa, hoặc dùng --skip-bad để nhập các dòng còn lại)",
            " (fix them, or use --skip-bad to import the rest)",
        )
    )
    return pick(
        f"không nhập gì từ {name}: {refused}/{total} dòng bị từ chối{hint}",
        f"nothing imported from {name}: {refused} of {total} row(s) refused{hint}",
    )


#: The row report's columns, in each language.
HEADERS = {"vi": ("dòng", "tên", "mục", "vấn đề"), "en": ("row", "name", "field", "problem")}


def _short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _why(problem) -> str:
    text = problem_text(problem)
    return f"{text} [{problem.rule}]" if problem.rule else text


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    widths[-1] = len(headers[-1])  # the last column runs on
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    click.echo(line.rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
