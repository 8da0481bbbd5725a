"""What the nlp pipeline found in each comment, moderators' corrections, and form-letter campaigns."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class CommentAnalysis(db.Model):
    """The pipeline's reading of one comment; written after the comment is stored, never before."""

    __tablename__ = "comment_analyses"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), unique=True)
    themes: Mapped[list] = mapped_column(JSON, default=list)
    theme_scores: Mapped[dict] = mapped_column(JSON, default=dict)
    stance: Mapped[str | None] = mapped_column(String(10))  # the estimate; a declared stance is on the comment
    pii: Mapped[list] = mapped_column(JSON, default=list)  # [{"kind", "start", "end"}] in the original body
    has_pii: Mapped[bool] = mapped_column(default=False)  # for queries: JSON is not comparable on every database
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    lang: Mapped[str] = mapped_column(String(8), default="en")
    needs_human_review: Mapped[bool] = mapped_column(default=False)  # a language the classifiers do not read
    # Tags the classifiers are unsure of (theme keys, and "stance"): "needs review" for moderators and officials.
    uncertain: Mapped[list | None] = mapped_column(JSON, default=list)
    tags_uncertain: Mapped[bool] = mapped_column(default=False, server_default=false())  # for queries, as has_pii
    spam_score: Mapped[float] = mapped_column(default=0.0)
    model_version: Mapped[str] = mapped_column(String(40))
    stale: Mapped[bool] = mapped_column(default=False, index=True)  # marked for re-tagging
    analysed_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment = relationship("Comment", foreign_keys=[comment_id], backref=db.backref("analysis", uselist=False))


class ThemeCorrection(db.Model):
    """A moderator's fix of a comment's themes or stance; the newest one wins and trains the model."""

    __tablename__ = "theme_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    themes: Mapped[list] = mapped_column(JSON)
    stance: Mapped[str] = mapped_column(String(10))
    corrected_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CampaignStatus(enum.StrEnum):
    SUGGESTED = "suggested"  # grouped by the pipeline, not yet looked at
    CONFIRMED = "confirmed"  # a moderator agreed these are copies of one letter
    SPLIT = "split"  # a moderator found they are not: the comments count on their own again


class Campaign(db.Model):
    """Copies of one form letter: counted as one voice with its number of signatures."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    # No foreign key here: comments point to their campaign, and a cycle of keys between the
    # two tables would make every insert and delete order ambiguous.
    first_comment_id: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default=CampaignStatus.SUGGESTED)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
