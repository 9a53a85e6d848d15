"""Every table of hoso; importing this package registers them all on ``Base.metadata``."""

from db.models import classes  # noqa: F401  (awareness classes: db.models.classes)
from db.models.cases import (
    Case,
    Certificate,
    Decision,
    DocumentRecord,
    Introduction,
    MentorAssignment,
    Vote,
)
from db.models.corrections import DocumentSupersession as DocumentSupersession
from db.models.corrections import PersonCorrection as PersonCorrection
from db.models.documents import DocumentScan, GeneratedDocument, StoredFile
from db.models.enterprises import Enterprise as Enterprise
from db.models.history import ChainCheck, ChainHead, Event
from db.models.legal_bases import LegalBasis as LegalBasis
from db.models.moves import CaseHandOver as CaseHandOver
from db.models.moves import MemberTransfer as MemberTransfer
from db.models.organisations import Organisation
from db.models.organisations import OrganisationVersion as OrganisationVersion
from db.models.outside import OutsideAdmissions as OutsideAdmissions
from db.models.people import Member, Person
from db.models.proposals import Proposal as Proposal
from db.models.security import LoginAttempt as LoginAttempt
from db.models.targets import Target
from db.models.tasks import TaskFailure as TaskFailure
from db.models.throttle import ThrottleMiss as ThrottleMiss
from db.models.tokens import ApiToken as ApiToken
from db.models.users import RoleGrant, User
from db.models.verification import VerificationConclusion, VerificationRequest

__all__ = [
    "Case",
    "Certificate",
    "ChainCheck",
    "ChainHead",
    "Decision",
    "DocumentRecord",
    "DocumentScan",
    "Event",
    "GeneratedDocument",
    "Introduction",
    "Member",
    "MentorAssignment",
    "Organisation",
    "Person",
    "RoleGrant",
    "StoredFile",
    "Target",
    "User",
    "VerificationConclusion",
    "VerificationRequest",
    "Vote",
]
