"""A review round, its policy sections and the versions of its text."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class RoundStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    REPORTED = "reported"


class ModerationMode(enum.StrEnum):
    PRE = "pre"  # nothing is public before a moderator approves it
    POST = "post"  # public at once, can be hidden later


# The only forward moves of a round; "closed -> open" lets an admin extend a round.
STATUS_TRANSITIONS = {
    RoundStatus.DRAFT: {RoundStatus.OPEN},
    RoundStatus.OPEN: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: {RoundStatus.OPEN, RoundStatus.REPORTED},
    RoundStatus.REPORTED: set(),
}

AGE_BANDS = ["under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65 or older"]
RELATIONSHIPS = ["live", "work", "study", "business owner", "officer or officer's family"]


def accepts_comments(status: str, opens_at: datetime | None, closes_at: datetime | None) -> bool:
    """Open, and now between its opening and closing times: it changes with the clock alone."""
    now = utcnow()
    return status == RoundStatus.OPEN and not (opens_at and now < opens_at) and not (closes_at and now >= closes_at)


class Round(db.Model):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12), default=RoundStatus.DRAFT, index=True)
    moderation_mode: Mapped[str] = mapped_column(String(4), default=ModerationMode.POST)
    allow_anonymous: Mapped[bool] = mapped_column(default=False)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    report_expected_at: Mapped[datetime | None]
    # Demographic questions: the district list (empty means the question is not asked),
    # whether age band and relationship to the city are asked, and district populations
    # used to judge how representative the participants were.
    districts: Mapped[list] = mapped_column(JSON, default=list)
    ask_age_band: Mapped[bool] = mapped_column(default=True)
    ask_relationship: Mapped[bool] = mapped_column(default=True)
    district_population: Mapped[dict] = mapped_column(JSON, default=dict)
    # Go up with every change visitors could see on the round's pages (fragment_cache.py):
    # content_version with any, settings_version with those to the round itself, its sections,
    # revisions and reports (what every page of the round shows, a thread page among them);
    # Section.threads_version and Comment.thread_version with what a section's or a thread's page shows.
    content_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set on a response review: the round whose draft response plan this one puts to residents.
    responds_to_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    settings_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    sections: Mapped[list["Section"]] = relationship(
        back_populates="round", order_by="Section.position", cascade="all, delete-orphan"
    )
    revisions: Mapped[list["PolicyRevision"]] = relationship(
        back_populates="round", order_by="PolicyRevision.number", cascade="all, delete-orphan"
    )

    # The language of the policy text (title, summary, sections): English until a round can say otherwise.
    lang = "en"

    @property
    def accepting_comments(self) -> bool:
        return accepts_comments(self.status, self.opens_at, self.closes_at)

    @property
    def is_public(self) -> bool:
        return self.status != RoundStatus.DRAFT

    @property
    def asks_demographics(self) -> bool:
        return bool(self.districts) or self.ask_age_band or self.ask_relationship


class Section(db.Model):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("round_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    position: Mapped[int]
    number: Mapped[str] = mapped_column(String(20))
    heading: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # Goes up with every change visitors could see in the threads on this section (fragment_cache.py).
    threads_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # In a response review: the draft action (a theme's response) this section sets out.
    action_id: Mapped[int | None] = mapped_column(ForeignKey("theme_responses.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    round: Mapped[Round] = relationship(back_populates="sections")


class PolicyRevision(db.Model):
    """A snapshot of a round's whole policy text, taken whenever an open round's text changes."""

    __tablename__ = "policy_revisions"
    __table_args__ = (UniqueConstraint("round_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    number: Mapped[int]
    # [{"number", "heading", "body"}, ...] in document order, as they were after this revision.
    sections: Mapped[list] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    round: Mapped[Round] = relationship(back_populates="revisions")
