"""Residents' flags and the append-only log of every moderation decision."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import N_
from ..timeutil import utcnow


class Action(enum.StrEnum):
    APPROVE = "approve"
    HIDE = "hide"
    REJECT = "reject"
    RESTORE = "restore"
    REDACT = "redact"
    CORRECT_THEMES = "correct_themes"
    CONFIRM_CAMPAIGN = "confirm_campaign"
    SPLIT_CAMPAIGN = "split_campaign"
    BLOCK_USER = "block_user"
    UNBLOCK_USER = "unblock_user"
    SUSPEND_USER = "suspend_user"  # sign-in refused; only admins
    UNSUSPEND_USER = "unsuspend_user"
    HOLD = "hold"  # the pipeline found personal data; logged without a moderator
    WITHDRAW = "withdraw"  # by the comment's author
    EXPORT_ACCOUNT = "export_account"  # an admin downloaded a resident's data on their request
    ERASE_ACCOUNT = "erase_account"  # the account holder or an admin on their request
    REDACT_PUBLISHED = "redact_published"  # an official took personal data out of a round's published text


# Decisions as the public summary and the report name them.
ACTION_LABELS = {
    "approve": N_("published"), "hide": N_("hidden"), "reject": N_("rejected"), "restore": N_("restored"),
    "redact": N_("personal data removed"), "hold": N_("held for personal data"), "withdraw": N_("withdrawn by its author"),
}

# The published list of reasons (translated where they are shown). Removal reasons are shown to the author and in the public summary.
REMOVAL_REASONS = {
    "personal_data": N_("Personal data"),
    "threats_harassment": N_("Threats or harassment"),
    "hate_speech": N_("Hate speech"),
    "spam": N_("Spam or advertising"),
    "off_topic": N_("Off-topic"),
    "duplicate_campaign": N_("Duplicate campaign"),
    "other": N_("Other (see the note)"),
}
KEEP_REASONS = {
    "within_guidelines": N_("Within the discussion guidelines"),
    "redacted": N_("Personal data removed"),
    "not_personal_data": N_("Checked: not personal data"),
    "reviewed_again": N_("Reviewed again after a complaint"),
    "other": N_("Other (see the note)"),
}
REASON_LABELS = {**KEEP_REASONS, **REMOVAL_REASONS}

# What residents are told the pipeline found in their comment (a receipt of a held comment).
PII_KIND_LABELS = {
    "email": N_("an email address"), "phone": N_("a phone number"), "street_address": N_("a street address"),
    "person_name": N_("a person's name"), "badge_or_case_number": N_("a badge or case number"),
    "license_plate": N_("a licence plate"), "government_id": N_("an ID number"),
}

FLAG_REASONS = {
    "personal_data": N_("It shares someone's personal details"),
    "threats_harassment": N_("It threatens or harasses someone"),
    "hate_speech": N_("It is hateful towards a group"),
    "spam": N_("It is spam or advertising"),
    "off_topic": N_("It is off-topic"),
    "other": N_("Something else"),
}


class ModerationLogEntry(db.Model):
    """Who did what to which comment (or account), when and why. Rows are never changed or removed.
    The actor (moderator_id) is a moderator, a comment's author withdrawing it, an account holder
    erasing their account, or nobody for the pipeline's automatic holds."""

    __tablename__ = "moderation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(20))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    moderator = relationship("User", foreign_keys=[moderator_id])


@event.listens_for(ModerationLogEntry, "before_update")
@event.listens_for(ModerationLogEntry, "before_delete")
def _log_is_append_only(mapper, connection, entry):
    raise RuntimeError("The moderation log is append-only.")


class Flag(db.Model):
    """A resident's report of a comment; one per resident per comment."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]  # set when a moderator decides on the comment
