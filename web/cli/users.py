"""``hoso user list|create|passwd|grant|revoke|deactivate|activate|import``: the admin pages'
use cases (``workflow.services.admin``), as an admin given with ``--as`` whose scope applies."""

from __future__ import annotations

from pathlib import Path

import click

from db.read.admin import UserRow, organisation_tree, users
from web.cli.common import domain_errors, echo_json, runtime
from web.cli.lang import lang, pick
from web.cli.orgs import acting, as_option, read_file, report
from web.cli.passwords import read_password
from workflow.errors import InvalidInput, NotFound
from workflow.facts import Actor
from workflow.importing import user_rows
from workflow.importing.fields import fold
from workflow.importing.problems import ImportFileError
from workflow.services import admin as use_cases
from workflow.services.admin_scope import manage_scope
from workflow.services.user_import import import_users

stdin_option = click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)


def _user(actor: Actor, username: str) -> UserRow:
    """The user the admin sees by that username (NotFound otherwise, as on the admin pages)."""
    with runtime().sessions() as session:
        rows = users(session, manage_scope(actor))
    found = next((row for row in rows if row.username == username.strip().lower()), None)
    if found is None:
        raise NotFound(f"USERNAME: no user {username!r} in your scope")
    return found


def _organisation(actor: Actor, text: str) -> int:
    """The organisation of the admin's scope named by id, ``#id`` or name."""
    with runtime().sessions() as session:
        rows = organisation_tree(session, manage_scope(actor))
    key = text.strip().removeprefix("#")
    if key.isdigit() and len(key) < 12:
        return int(key)
    found = [row.id for row in rows if fold(row.name) == fold(text)]
    if len(found) > 1:
        listed = ", ".join(f"#{i}" for i in found)
        raise InvalidInput("ORGANISATION", f"several organisations bear this name ({listed})")
    if not found:
        raise InvalidInput("ORGANISATION", f"no organisation {text!r} in your scope")
    return found[0]


@click.group()
def user() -> None:
    """Users and their roles, as an admin (--as)."""


@user.command("list")
@as_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@domain_errors
def list_command(username: str, as_json: bool) -> None:
    """The users of the admin's scope, with their roles."""
    with runtime().sessions() as session:
        rows = users(session, manage_scope(acting(username)))
    if as_json:
        echo_json([{**vars(row), "grants": [vars(g) for g in row.grants]} for row in rows])
        return
    for row in rows:
        flags = ("" if row.active else " [inactive]") + (
            "" if row.has_password else " [no password]"
        )
        grants = "; ".join(f"{g.role} @ {g.organisation}" for g in row.grants) or "-"
        click.echo(f"{row.id:>6}  {row.username:<20} {row.full_name}{flags}  {grants}")
    click.echo(f"{len(rows)} user(s)")


@user.command("create")
@click.argument("new_username")
@click.option("--full-name", required=True, help="The user's full name.")
@click.option("--email", default=None, help="Their e-mail address (optional).")
@click.option("--member", "member_id", type=int, default=None, help="The party member's id.")
@as_option
@stdin_option
@domain_errors
def create_command(
    new_username: str,
    full_name: str,
    email: str | None,
    member_id: int | None,
    username: str,
    password_stdin: bool,
) -> None:
    """Create user NEW_USERNAME with a password (asked twice, or read from standard input)."""
    actor = acting(username)
    manage_scope(actor)
    password = read_password(password_stdin)
    user_id = use_cases.create_user(
        runtime().uow(),
        actor,
        username=new_username,
        full_name=full_name,
        password=password,
        email=email,
        member_id=member_id,
    )
    click.echo(f"user {new_username.strip().lower()} created (id {user_id}); grant a role next")


@user.command("passwd")
@click.argument("target")
@as_option
@stdin_option
@domain_errors
def passwd_command(target: str, username: str, password_stdin: bool) -> None:
    """Set the password of user TARGET (asked twice, or read from standard input)."""
    actor = acting(username)
    found = _user(actor, target)
    password = read_password(password_stdin, f"New password for {found.username}")
    use_cases.reset_password(runtime().uow(), actor, found.id, password)
    click.echo(f"password of {found.username} set")


@user.command("grant")
@click.argument("target")
@click.argument("role")
@click.argument("organisation")
@as_option
@domain_errors
def grant_command(target: str, role: str, organisation: str, username: str) -> None:
    """Grant user TARGET the ROLE within ORGANISATION (an id, #id or a name)."""
    actor = acting(username)
    found = _user(actor, target)
    org_id = _organisation(actor, organisation)
    grant_id = use_cases.grant_role(runtime().uow(), actor, found.id, role, org_id)
    click.echo(f"{found.username} is {role} of organisation {org_id} (grant {grant_id})")


@user.command("revoke")
@click.argument("target")
@click.argument("role")
@click.argument("organisation")
@as_option
@domain_errors
def revoke_command(target: str, role: str, organisation: str, username: str) -> None:
    """Take the ROLE within ORGANISATION away from user TARGET."""
    actor = acting(username)
    found = _user(actor, target)
    org_id = _organisation(actor, organisation)
    grant = next((g for g in found.grants if g.role == role and g.organisation_id == org_id), None)
    if grant is None:
        raise InvalidInput("ROLE", f"{found.username} holds no role {role!r} there")
    use_cases.revoke_grant(runtime().uow(), actor, found.id, grant.id)
    click.echo(f"{found.username} is no longer {role} of {grant.organisation}")


@user.command("deactivate")
@click.argument("target")
@as_option
@domain_errors
def deactivate_command(target: str, username: str) -> None:
    """Deactivate user TARGET: no more logins (their history stays)."""
    actor = acting(username)
    found = _user(actor, target)
    use_cases.set_user_active(runtime().uow(), actor, found.id, False)
    click.echo(f"{found.username} deactivated")


@user.command("activate")
@click.argument("target")
@as_option
@domain_errors
def activate_command(target: str, username: str) -> None:
    """Reactivate user TARGET."""
    actor = acting(username)
    found = _user(actor, target)
    use_cases.set_user_active(runtime().uow(), actor, found.id, True)
    click.echo(f"{found.username} reactivated")


@user.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
@click.option("--dry-run", is_flag=True, help="Check every row and report; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@domain_errors
def import_command(file: Path, username: str, dry_run: bool, as_json: bool) -> None:
    """Create the users of FILE (XLSX or CSV) and grant their roles in the admin's scope.

    \b
    Columns: Tên đăng nhập / username, Họ và tên / full_name, Thư điện tử / email, Vai trò /
    role (mentor, secretary, committee, auditor, admin, introducer, trainer, or bí thư, cấp
    ủy...), Tổ chức / organisation (a name or #id of your scope), Mã đảng viên / member_id.
    One row per role; a user's rows share the username. No password column: new users get no
    usable password until an admin sets one (hoso user passwd). Usernames already taken are
    refused. All or nothing, one transaction; exit 7 when rows are refused; --dry-run stores
    nothing.
    """
    actor = acting(username)
    manage_scope(actor, "import users")
    sheet = read_file(file, user_rows.COLUMNS, "username", user_rows.REQUIRED)
    try:
        result = import_users(runtime().uow(), actor, sheet, dry_run=dry_run)
    except ImportFileError as bad:  # a password column: bad input (exit 2), naming the file
        raise InvalidInput(str(file), bad.text(lang())) from None
    report(result, pick("người dùng", "user"), as_json, user_rows.COLUMNS)
