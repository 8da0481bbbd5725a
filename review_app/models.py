"""Imports every area's models so that Alembic and create_all see the whole schema."""

from .accounts.models import Role, User, UserRole  # noqa: F401
from .comments.models import Comment, CommentContact, DemographicAnswer, Support  # noqa: F401
from .rounds.models import PolicyRevision, Round, Section  # noqa: F401
from .analysis.models import Campaign, CommentAnalysis, ThemeCorrection  # noqa: F401
from .moderation.models import Flag, ModerationLogEntry  # noqa: F401
from .reports.models import ActionFollow, ActionUpdate, OutboxMessage, ReportVersion, SummarySnapshot, ThemeResponse  # noqa: F401
from .api.models import ApiToken  # noqa: F401
