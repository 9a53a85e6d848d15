"""Who sees and does what: scopes as materialised paths, mentors on their own cases only."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.workflow.fakes import ACTORS, MENTOR, MENTOR2, FakeCases, actor, ready_case
from workflow import policy
from workflow.facts import CaseFacts


def case_at(cell_path: str = "/1/4/", state: str = "trained", **overrides) -> CaseFacts:
    """A case of the cell at `cell_path`, decided at ``/1/``, mentored by MENTOR."""
    facts = FakeCases().facts(ready_case(state))
    return replace(facts, cell_path=cell_path, deciding_body_path="/1/", **overrides)


@pytest.mark.parametrize(
    ("scope", "sees"),
    [
        ("/1/", True),  # the grant's organisation is above the cell
        ("/1/4/", True),  # the cell itself
        ("/1/5/", False),  # a sibling
        ("/1/4/9/", False),  # below the cell
        ("/2/", False),
    ],
)
@pytest.mark.parametrize("role", ["secretary", "committee", "auditor"])
def test_a_grant_covers_its_subtree(scope: str, sees: bool, role: str) -> None:
    assert policy.can_see(actor(1, "u", (role, scope)), case_at("/1/4/")) is sees


def test_a_path_prefix_is_not_a_parent() -> None:
    # /1/ is not an ancestor of /10/4/, though "/10/4/" starts with "/1".
    assert not policy.can_see(actor(1, "u", ("auditor", "/1/")), case_at("/10/4/"))
    assert policy.can_see(actor(1, "u", ("auditor", "/10/")), case_at("/10/4/"))


@pytest.mark.parametrize("role", ["admin", "introducer", "mentor"])
def test_roles_that_do_not_read_cases_by_scope(role: str) -> None:
    assert not policy.can_see(actor(1, "u", (role, "/1/")), case_at())


def test_a_mentor_sees_only_their_own_mentees() -> None:
    own = actor(1, "m", ("mentor", "/1/4/"), member_id=MENTOR.id)
    other = actor(2, "m2", ("mentor", "/1/4/"), member_id=MENTOR2.id)
    assert policy.is_own_mentee(own, case_at()) and policy.can_see(own, case_at())
    assert not policy.can_see(other, case_at())
    assert not policy.can_see(own, case_at(mentor=None))


def test_a_mentor_needs_a_mentor_grant_covering_the_cell() -> None:
    # Being the case's mentor is not enough without a grant there (a moved member, say).
    elsewhere = actor(1, "m", ("mentor", "/1/5/"), member_id=MENTOR.id)
    no_grant = actor(1, "m", ("secretary", "/1/5/"), member_id=MENTOR.id)
    assert not policy.can_see(elsewhere, case_at())
    assert not policy.can_see(no_grant, case_at())


def test_a_trainer_sees_only_the_cases_waiting_for_the_class() -> None:
    trainer = actor(1, "t", ("trainer", "/1/"))
    assert policy.can_see(trainer, case_at(state="mentored"))
    assert not policy.can_see(trainer, case_at(state="trained"))
    assert not policy.can_see(trainer, case_at("/2/4/", state="mentored"))


# Whom ACTORS (fakes.py) let try which triggers, on a case of their cell /1/2/3/.
ALLOWED: list[tuple[str, str, list[str]]] = [
    ("sec", "identified", ["assign_mentor", "withdraw"]),
    ("sec", "mentored", ["reassign_mentor", "complete_training", "withdraw"]),
    ("sec", "trained", ["reassign_mentor", "submit_dossier", "withdraw"]),
    ("sec", "returned", ["reassign_mentor", "submit_dossier", "withdraw"]),
    ("sec", "dossier_submitted", []),
    ("sec", "withdrawn", ["reinstate"]),
    ("sec", "official", []),
    ("mentor", "mentored", ["complete_training"]),
    ("mentor", "trained", ["submit_dossier"]),
    ("mentor", "returned", ["submit_dossier"]),
    ("mentor", "dossier_submitted", []),
    ("mentor2", "trained", []),
    ("com", "dossier_submitted", ["return_dossier", "reject", "admit"]),
    ("com", "admitted", ["recognize", "remove"]),
    ("com", "trained", []),
    ("com_grassroots", "dossier_submitted", []),
    ("aud", "dossier_submitted", []),
    ("aud", "mentored", []),
    ("adm", "dossier_submitted", []),
    ("trainer", "mentored", ["complete_training"]),
    ("trainer", "trained", []),
    ("intro", "mentored", []),
    ("sec_other", "identified", []),
]


@pytest.mark.parametrize(("username", "state", "triggers"), ALLOWED)
def test_allowed_triggers(username: str, state: str, triggers: list[str]) -> None:
    facts = FakeCases().facts(ready_case(state))
    assert policy.allowed_triggers(ACTORS[username], facts) == triggers


def test_a_committee_decides_only_where_it_covers_the_deciding_body() -> None:
    below = actor(1, "c", ("committee", "/1/2/"))
    above = actor(2, "c", ("committee", "/1/"))
    facts = case_at("/1/2/3/", state="dossier_submitted")
    assert policy.can_see(below, facts)
    assert policy.acting_role(below, facts, "admit") is None
    assert policy.acting_role(above, facts, "admit") == "committee"
    # After 01/07/2025 a grassroots committee may itself be the deciding body: configuration.
    decided_below = replace(facts, deciding_body_path="/1/2/")
    assert policy.acting_role(below, decided_below, "admit") == "committee"


def test_acting_role_of_an_unknown_trigger() -> None:
    assert policy.acting_role(ACTORS["sec"], case_at(), "set_state") is None


def test_a_user_with_two_roles_acts_under_the_one_that_allows() -> None:
    both = actor(1, "mc", ("mentor", "/1/2/3/"), ("secretary", "/1/2/3/"), member_id=MENTOR2.id)
    facts = FakeCases().facts(ready_case("trained"))
    assert policy.acting_role(both, facts, "submit_dossier") == "secretary"
    assert policy.acting_role(both, facts, "reassign_mentor") == "secretary"


@pytest.mark.parametrize(
    ("username", "kind", "state", "role"),
    [
        ("mentor", "introduction", "trained", "mentor"),
        ("mentor2", "introduction", "trained", None),
        ("sec", "introduction", "dossier_submitted", None),  # too late
        ("sec", "ceremony", "admitted", "secretary"),
        ("sec", "ceremony", "trained", None),
        ("com", "ceremony", "admitted", "committee"),
        ("com", "note", "withdrawn", "committee"),
        ("com", "note", "official", None),
        ("aud", "note", "trained", None),
        ("trainer", "document", "mentored", None),
        ("sec", "nonsense", "trained", None),
    ],
)
def test_fact_role(username: str, kind: str, state: str, role: str | None) -> None:
    facts = FakeCases().facts(ready_case(state))
    assert policy.fact_role(ACTORS[username], facts, kind) == role


def test_who_may_identify_in_a_cell() -> None:
    assert policy.can_identify_in(ACTORS["sec"], "/1/2/3/")
    assert not policy.can_identify_in(ACTORS["sec"], "/1/2/4/")
    assert not policy.can_identify_in(ACTORS["com"], "/1/2/3/")


def test_visible_paths() -> None:
    many = actor(1, "x", ("auditor", "/1/2/"), ("secretary", "/1/3/"), ("admin", "/1/"))
    assert policy.visible_paths(many) == ["/1/2/", "/1/3/"]
    assert policy.visible_paths(ACTORS["adm"]) == []
