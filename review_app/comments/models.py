"""Comments and everything a resident attaches to them."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class CommentStatus(enum.StrEnum):
    CHECKING = "checking"  # stored, waiting for the pipeline's personal-data check: never public
    HELD = "held"  # the check found personal data: public only after a moderator redacts or clears it
    PENDING = "pending"  # checked, waiting for a moderator's approval (pre-moderated rounds)
    PUBLISHED = "published"
    HIDDEN = "hidden"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # by its author; kept for the moderation log, never shown


# Statuses a comment may leave only through a moderator's decision or its author's withdrawal.
NOT_YET_PUBLIC = (CommentStatus.CHECKING, CommentStatus.HELD, CommentStatus.PENDING)


class Stance(enum.StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    MIXED = "mixed"
    UNCLEAR = "unclear"


class Channel(enum.StrEnum):
    WEB = "web"
    PAPER = "paper"
    KIOSK = "kiosk"
    SMS = "sms"


class Comment(db.Model):
    """What a resident wrote. Never deleted by any web action; moderation changes its status."""

    __tablename__ = "comments"
    __table_args__ = (
        # Pages list published and hidden comments (status IN ...): ordered by an index without
        # status, ending in id as the sorts do, so PostgreSQL needs no sort either.
        Index("ix_comments_round_created", "round_id", "created_at", "id"),
        Index("ix_comments_round_supports", "round_id", "support_count", "id"),
        Index("ix_comments_round_status_section", "round_id", "status", "section_id"),  # counts per section
        Index("ix_comments_round_parent_status", "round_id", "parent_id", "status"),  # counts of threads
        Index("ix_comments_round_section_parent_status", "round_id", "section_id", "parent_id", "status"),  # ... in a section
        Index("ix_comments_round_status_created", "round_id", "status", "created_at"),
        Index("ix_comments_section_status", "section_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    # The top-level comment of the thread, so one query loads a page of whole threads.
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    # On a thread's first comment: goes up with every change a visitor could see in the thread
    # (fragment_cache.py), so its page stays cached while the rest of the round changes.
    thread_version: Mapped[int] = mapped_column(default=0, server_default="0")
    depth: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    display_name: Mapped[str | None] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    stance: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=CommentStatus.PENDING)
    channel: Mapped[str] = mapped_column(String(10), default=Channel.WEB)
    receipt: Mapped[str] = mapped_column(String(20), unique=True)
    # A double submit carries the same key; the UNIQUE constraint keeps one comment.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    support_count: Mapped[int] = mapped_column(default=0)
    # Set by a moderator who removed personal data: what the public sees instead of `body`,
    # which is kept as typed and shown to moderators only.
    redacted_body: Mapped[str | None] = mapped_column(Text)
    moderation_reason: Mapped[str | None] = mapped_column(String(30))  # of the last decision, shown to the author
    moderated_at: Mapped[datetime | None]
    # A moderator read the personal data the pipeline found and judged it is none: the comment
    # is not held for it again (a re-tag finds the same spans).
    pii_cleared_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    round = relationship("Round")
    section = relationship("Section")
    author = relationship("User")
    parent: Mapped["Comment | None"] = relationship(
        remote_side="Comment.id", foreign_keys=[parent_id]
    )

    @property
    def is_public(self) -> bool:
        return self.status == CommentStatus.PUBLISHED

    @property
    def has_unreviewed_pii(self) -> bool:
        """The pipeline found personal data that no moderator has redacted or cleared."""
        analysis = self.analysis
        return (analysis is not None and analysis.has_pii and self.redacted_body is None
                and self.pii_cleared_at is None)

    @property
    def public_body(self) -> str:
        """The only text of a comment that may leave the moderators' pages."""
        return self.redacted_body if self.redacted_body is not None else self.body

    @property
    def lang(self) -> str | None:
        """The language the pipeline found the comment written in ("en" or "es"; None for another
        language or before it is read): pages mark its text with it (WCAG 3.1.2)."""
        lang = self.analysis.lang if self.analysis is not None else None
        return lang if lang in ("en", "es") else None

    @property
    def public_name(self) -> str:
        if self.author is not None:
            return self.author.display_name
        return self.display_name or "Anonymous"


class CommentContact(db.Model):
    """An email left to hear back about the report, kept apart from the comment and never shown."""

    __tablename__ = "comment_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    notified_at: Mapped[datetime | None]


class Support(db.Model):
    """One "this matters to me too" per resident per comment."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DemographicAnswer(db.Model):
    """Optional answers, once per resident per round; never shown next to a comment."""

    __tablename__ = "demographic_answers"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    # Null for an anonymous commenter, whose answers are tied to nothing that identifies them.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    district: Mapped[str | None] = mapped_column(String(80))
    age_band: Mapped[str | None] = mapped_column(String(20))
    relationship_to_city: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow)  # a changed answer is recounted
