"""``hoso case list|show|fire``: the same use cases the web calls."""

from __future__ import annotations

import click

from db.actors import actor_by_username
from db.queries import case_detail, list_cases
from web.cli.common import domain_errors, echo_json, runtime
from workflow import services
from workflow.definition import FACTS, SPECS
from workflow.errors import InvalidInput, NotFound
from workflow.fields import parse_date
from workflow.states import State


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
@click.argument("case_id", type=int)
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
@click.argument("case_id", type=int)
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
            settings=rt.settings,
        )
    elif trigger in SPECS:
        case_ = services.fire_transition(
            rt.uow(),
            actor,
            case_id,
            trigger,
            raw,
            expected_version=expect_version,
            settings=rt.settings,
        )
    else:
        known = ", ".join([*SPECS, *(f"record_{k}" for k in FACTS)])
        raise InvalidInput("TRIGGER", f"unknown trigger {trigger!r} (known: {known})")
    click.echo(f"case {case_.id}: {trigger} done; state {case_.state}, version {case_.version}")
