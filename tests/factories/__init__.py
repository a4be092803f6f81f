"""Test data factories (factory-boy), one module per model module of agreements/models.

`SomeFactory()` saves a row, `SomeFactory.build()` makes an unsaved instance (no queries: use it where a test
only needs the object, e.g. for the access predicates). Content models (themes, example agreements, ...) have
no factories: every test database holds the content library loaded from fixtures/, and tests use those rows.
"""

from .document import RemovedDocumentFactory, RenderedDocumentFactory, SignatureFactory
from .meeting import BallotFactory, ItemFactory, MeetingFactory, ParticipantFactory
from .policy import (
    ActionFactory,
    CommentFactory,
    DecisionFactory,
    PolicyFactory,
    PolicyVersionFactory,
    ThemeStateFactory,
)
from .review import ReviewCheckFactory, ReviewReminderFactory
from .school import PASSWORD, InvitationFactory, MembershipFactory, SchoolFactory, UserFactory
from .system import WorkerHeartbeatFactory
from .tools import (
    AnswerFactory,
    AssessmentFactory,
    ReassessmentReminderFactory,
    ToolCommentFactory,
    ToolFactory,
)

__all__ = [
    "PASSWORD",
    "ActionFactory",
    "AnswerFactory",
    "AssessmentFactory",
    "BallotFactory",
    "CommentFactory",
    "DecisionFactory",
    "InvitationFactory",
    "ItemFactory",
    "MeetingFactory",
    "MembershipFactory",
    "ParticipantFactory",
    "PolicyFactory",
    "PolicyVersionFactory",
    "RemovedDocumentFactory",
    "RenderedDocumentFactory",
    "ReviewCheckFactory",
    "ReviewReminderFactory",
    "SchoolFactory",
    "SignatureFactory",
    "ReassessmentReminderFactory",
    "ThemeStateFactory",
    "ToolCommentFactory",
    "ToolFactory",
    "UserFactory",
    "WorkerHeartbeatFactory",
]
