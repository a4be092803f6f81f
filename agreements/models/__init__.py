from .content import (
    ChecklistItem,
    ConversationPrompt,
    ExampleAgreement,
    GlossaryTerm,
    Guideline,
    GuidelineCategory,
    GuidingQuestion,
    KeyRequirement,
    Section,
    Source,
    Theme,
)
from .document import RemovedDocument, RenderedDocument, RenderFailure, Signature
from .meeting import Ballot, Item, Meeting, Participant
from .policy import Action, Comment, Decision, Policy, PolicyVersion, ThemeState
from .review import ReviewCheck, ReviewReminder
from .school import Invitation, Membership, Role, School, User
from .system import WorkerHeartbeat
from .tools import Answer, Assessment, ReassessmentReminder, Tool, ToolComment

__all__ = [
    "Action",
    "Answer",
    "Assessment",
    "ReassessmentReminder",
    "Tool",
    "ToolComment",
    "Comment",
    "Decision",
    "Policy",
    "PolicyVersion",
    "ThemeState",
    "ChecklistItem",
    "ConversationPrompt",
    "ExampleAgreement",
    "GlossaryTerm",
    "Guideline",
    "GuidelineCategory",
    "GuidingQuestion",
    "Invitation",
    "KeyRequirement",
    "Membership",
    "Role",
    "School",
    "Section",
    "Source",
    "Theme",
    "User",
    "WorkerHeartbeat",
    "RemovedDocument",
    "RenderedDocument",
    "RenderFailure",
    "ReviewCheck",
    "ReviewReminder",
    "Signature",
    "Ballot",
    "Item",
    "Meeting",
    "Participant",
]
