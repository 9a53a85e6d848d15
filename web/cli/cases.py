"""``hoso case list|show|new|fire``: the same use cases the web calls."""

from __future__ import annotations

import click

from db.actors import actor_by_username
from db.read.cases import case_detail, list_cases
from db.read.cells import cells_of
from web.cli.common import domain_errors, echo_json, runtime
from web.converters import ID
from workflow import services
from workflow.definition import FACTS, SPECS
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor
from workflow.fields import parse_date
from workflow.policy import Purpose
from workflow.states import Role, State


@click.group()
def case() -> None:
    """Candidates' cases."""


@case.command("list")
@click.option("--state", type=click.Choice([s.value for s in State]), help="Only this state.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@domain_errors
def list_command(state: str | None, as_json: bool) -> None:
    """List cases."""
    with runtime().sessions() as session:
        rows = list_cases(session, state)
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(
            f"{row['id']:>6}  {row['state']:<18} {row['name']:<30} {row['organisation']}"
            f"  {row['mentor'] or ''}"
        )
    click.echo(f"{len(rows)} case(s)")


@case.command("show")
@click.argument("case_id", type=ID)
@click.option("--at", "at", help="The case as it stood at the end of this day (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True)
@domain_errors
def show_command(case_id: int, at: str | None, as_json: bool) -> None:
    """Show a case now, or on a past date rebuilt from its events."""
    day = parse_date("--at", at) if at else None
    with runtime().sessions() as session:
        detail = case_detail(session, case_id, day)
    if detail is None:
        raise NotFound(f"no case {case_id}")
    if as_json:
        echo_json(detail)
        return
    click.echo(f"case {detail['id']}: {detail['name']} — {detail['organisation']}")
    if detail["state"] is None:
        click.echo(f"did not exist yet on {detail['at']}")
        return
    when = f" on {detail['at']}" if at else ""
    click.echo(f"state{when}: {detail['state']} ({detail['state_label']})")
    click.echo(f"mentor: {detail['mentor'] or '-'}   version: {detail['version']}")
    for event in detail["events"]:
        move = f"{event['from'] or ''} -> {event['to']}" if event["to"] else ""
        reason = f"  reason: {event['reason']}" if event["reason"] else ""
        click.echo(
            f"  #{event['id']} {event['at']} {event['user']} ({event['role']}) "
            f"{event['action']} {move}{reason}"
        )


def _parse_assignments(values: tuple[str, ...]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InvalidInput(item, "expected field=value")
        fields[name.strip()] = value
    return fields


@case.command("fire")
@click.argument("case_id", type=ID)
@click.argument("trigger")
@click.argument("fields", nargs=-1)
@click.option("--as", "username", required=True, help="The user who acts.")
@click.option("--reason", help="The reason, where the action needs one.")
@click.option("--expect-version", type=int, help="Refuse if the case changed since this version.")
@domain_errors
def fire_command(
    case_id: int,
    trigger: str,
    fields: tuple[str, ...],
    username: str,
    reason: str | None,
    expect_version: int | None,
) -> None:
    """Fire TRIGGER on a case as a user; FIELDS are name=value pairs.

    Facts are recorded with TRIGGER ``record_<kind>`` (introduction, document, ceremony, note).
    """
    rt = runtime()
    raw = _parse_assignments(fields)
    if reason is not None:
        raw["reason"] = reason
    with rt.sessions() as session:
        actor = actor_by_username(session, username)
    if actor is None:
        raise InvalidInput("--as", f"no active user {username!r}")
    kind = trigger.removeprefix("record_")
    if trigger.startswith("record_") and kind in FACTS:
        case_ = services.record_fact(
            rt.uow(),
            actor,
            case_id,
            kind,
            raw,
            expected_version=expect_version,
        )
    elif trigger in SPECS:
        case_ = services.fire_transition(
            rt.uow(),
            actor,
            case_id,
            trigger,
            raw,
            expected_version=expect_version,
        )
    else:
        known = ", ".join([*SPECS, *(f"record_{k}" for k in FACTS)])
        raise InvalidInput("TRIGGER", f"unknown trigger {trigger!r} (known: {known})")
    click.echo(f"case {case_.id}: {trigger} done; state {case_.state}, version {case_.version}")


@case.command("new")
@click.argument("fields", nargs=-1)
@click.option("--as", "username", required=True, help="The secretary who adds the candidate.")
@domain_errors
def new_command(fields: tuple[str, ...], username: str) -> None:
    """Put a person on a cell's list of candidates (identify); FIELDS are name=value pairs.

    \b
    Fields: full_name, birth_date (YYYY-MM-DD or dd/mm/yyyy), cell (the party cell's id),
    source (cell_review, mass_organisation, commune_application, import_file), source_detail
    (the mass organisation's name), and the person's sex (nam, nữ), birth_place, hometown,
    ethnicity, religion, education, residence, occupation, id_number, is_doan_member (yes/no).
    """
    rt = runtime()
    raw = _parse_assignments(fields)
    with rt.sessions() as session:
        actor = actor_by_username(session, username)
    if actor is None:
        raise InvalidInput("--as", f"no active user {username!r}")
    try:
        case_ = services.identify_candidate(rt.uow(), actor, raw)
    except InvalidInput as bad:
        if bad.field != "cell":
            raise
        raise InvalidInput("cell", f"{bad.message}{_cells_hint(actor)}") from None
    except NotAllowed as refused:
        raise NotAllowed(f"{refused}{_cells_hint(actor)}") from None
    click.echo(f"case {case_.id}: identify done; state {case_.state}, version {case_.version}")


def _cells_hint(actor: Actor) -> str:
    """The party cells where `actor` may add candidates, for a message about the cell."""
    if not actor.grants_for(Role.secretary):
        return f" ({actor.username} is no cell's secretary)"
    with runtime().sessions() as session:
        cells = [f"{id_} ({name})" for id_, name in cells_of(session, actor, Purpose.identify)]
    return f"; cells where {actor.username} may add candidates: {', '.join(cells) or 'none'}"
