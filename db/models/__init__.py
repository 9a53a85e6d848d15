"""Every table of hoso; importing this package registers them all on ``Base.metadata``."""

from db.models.cases import (
    Case,
    Certificate,
    Decision,
    DocumentRecord,
    Introduction,
    MentorAssignment,
    Vote,
)
from db.models.history import ChainHead, Event
from db.models.organisations import Organisation
from db.models.people import Member, Person
from db.models.users import RoleGrant, User

__all__ = [
    "Case",
    "Certificate",
    "ChainHead",
    "Decision",
    "DocumentRecord",
    "Event",
    "Introduction",
    "Member",
    "MentorAssignment",
    "Organisation",
    "Person",
    "RoleGrant",
    "User",
    "Vote",
]
