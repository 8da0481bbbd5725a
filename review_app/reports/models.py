"""Officials' response plan per theme, the published versions of a round's report, and the outbox."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Float, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..i18n import N_
from ..timeutil import utcnow


class ResponseStatus(enum.StrEnum):
    PLANNED = N_("planned")
    IN_PROGRESS = N_("in progress")
    DONE = N_("done")
    NOT_ADOPTED = N_("not adopted")  # needs a reason, which residents see


# Statuses before the one-form plan editor, as its migration moved them: report versions published
# before it still show the old words, and a new version is compared with them as moved.
OLD_STATUSES = {N_("under review"): "", N_("adopted"): ResponseStatus.PLANNED, N_("partly adopted"): ResponseStatus.PLANNED}


class ThemeResponse(db.Model):
    """The city's answer to one theme of a round: drafted privately, public only through a ReportVersion."""

    __tablename__ = "theme_responses"
    __table_args__ = (UniqueConstraint("round_id", "theme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    theme: Mapped[str] = mapped_column(String(60))
    what_we_heard: Mapped[str] = mapped_column(Text, default="")
    what_we_will_do: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="")  # a ResponseStatus, or "" while not decided
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # why not adopted
    department: Mapped[str] = mapped_column(String(200), default="")  # the owner: a person or a department
    target_date: Mapped[date | None]  # the due date
    policy_link: Mapped[str] = mapped_column(String(500), default="")
    # How success is measured, and the steps on the way: a proposed action residents review as a
    # draft, then follow on the public tracker (reports/actions.py).
    indicator: Mapped[str] = mapped_column(String(300), default="", server_default="")
    baseline: Mapped[str] = mapped_column(String(100), default="", server_default="")
    target: Mapped[str] = mapped_column(String(100), default="", server_default="")
    data_source: Mapped[str] = mapped_column(String(500), default="", server_default="")  # a link to the data
    milestones: Mapped[str] = mapped_column(Text, default="", server_default="")  # "YYYY-MM-DD what", one a line
    section_number: Mapped[str] = mapped_column(String(20), default="", server_default="")  # the policy section it changes; "" the whole policy
    change_reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # what changed since the draft, and why
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReportVersion(db.Model):
    """A published report: its numbers and the city's answers frozen; later changes publish a new
    version beside it. Quotes are comment ids, rendered with the comment's current public text, so
    a comment hidden, redacted or withdrawn after publication changes every version quoting it
    (the version is then marked amended)."""

    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("round_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    number: Mapped[int]
    change_note: Mapped[str] = mapped_column(String(1000), default="")
    content: Mapped[dict] = mapped_column(JSON)  # everything the public page and the export show
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    amended_at: Mapped[datetime | None]
    amendment_note: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    # "draft": the response plan put to residents for comment (its review round takes them); "final": the plan.
    stage: Mapped[str] = mapped_column(String(10), default="final", server_default="final")

    @property
    def is_draft(self) -> bool:
        return self.stage == "draft"

    @property
    def edition(self) -> str:
        """Changes whenever what the version shows changes: the key of its stored PDF files."""
        return (self.amended_at or self.published_at).isoformat()


class ReportFile(db.Model):
    """A report version drawn as a file (the report PDF, its social-media tile, its one-page summary)
    in one language, kept so each is drawn once per edition."""

    __tablename__ = "report_files"
    __table_args__ = (UniqueConstraint("version_id", "kind", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="report", server_default="report")  # see reports.share.FILES
    locale: Mapped[str] = mapped_column(String(10))
    edition: Mapped[str] = mapped_column(String(80))  # the version's edition and the code's release
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxMessage(db.Model):
    """An email waiting to be sent. The key makes a second notice for the same reason impossible."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]  # a sender took it; set before sending, so a crash never sends twice
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))


class SummarySnapshot(db.Model):
    """A round's computed summary, shared by every web process: counting 100,000 comments takes
    seconds, so views read this and a job rebuilds it (see reports.summary.build_summary)."""

    __tablename__ = "summary_snapshots"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(300))  # the state of the data it counted
    data: Mapped[dict] = mapped_column(JSON)
    built_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    count_seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")  # how long the last count took
    # Set by the one request or job counting afresh; the others serve the stored count meanwhile.
    recount_started_at: Mapped[datetime | None]


class QuoteChoice(db.Model):
    """An official's choice about one comment as a quote for a theme: pinned, it goes into the
    summary and the published report ahead of the automatic quotes; dropped, it is never quoted."""

    __tablename__ = "quote_choices"
    __table_args__ = (UniqueConstraint("round_id", "theme", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    theme: Mapped[str] = mapped_column(String(60))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"))
    pinned: Mapped[bool]  # False: dropped
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActionUpdate(db.Model):
    """An official's progress report on one action of a published plan: public on the tracker, and
    sent once to each of the action's followers (the outbox key holds the update's and the follow's ids)."""

    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("theme_responses.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # the action's ResponseStatus after this update
    indicator_value: Mapped[str] = mapped_column(String(100), default="")
    measured_on: Mapped[date | None]
    milestone: Mapped[str] = mapped_column(String(300), default="")  # the milestone this update reached, if any
    # A double submit carries the same key; the UNIQUE constraint keeps one update (and one notice).
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActionFollow(db.Model):
    """An address that asked to hear when an action changes: never shown. Its token confirms it
    (a follow by email counts only once its owner opens the link) and unsubscribes."""

    __tablename__ = "action_follows"
    __table_args__ = (UniqueConstraint("response_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("theme_responses.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
