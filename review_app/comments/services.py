"""What comments do: list threads, take a submission safely, supports, answers about residents."""

import secrets
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..jobs import analyse_comments, enqueue
from ..rounds.models import Round, Section
from ..timeutil import utcnow
from .models import NOT_YET_PUBLIC, Channel, Comment, CommentContact, CommentStatus, DemographicAnswer, Support

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over the phone
MAX_DEPTH = 2  # a reply to a reply-of-a-reply joins its parent's conversation

SORTS = {
    "newest": (Comment.created_at.desc(), Comment.id.desc()),
    "supported": (Comment.support_count.desc(), Comment.id.desc()),
    "section": (Section.position.asc().nulls_first(), Comment.created_at.desc(), Comment.id.desc()),
}
SORT_LABELS = {"newest": _l("Newest"), "supported": _l("Most supported"), "section": _l("By section")}


class CommentProblem(ValueError):
    """A submission that cannot be taken; `field` names the form field to show it beside."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass
class Submission:
    body: str
    section_id: int | None = None
    parent_id: int | None = None
    stance: str | None = None
    display_name: str | None = None
    email: str | None = None
    idempotency_key: str | None = None
    channel: str = Channel.WEB  # paper, kiosk and sms comments are typed in by staff or a gateway
    known_receipts: tuple = ()  # receipts the sending browser already holds


@dataclass
class ThreadPage:
    threads: object  # a Flask-SQLAlchemy pagination of top-level comments
    replies: dict[int, list[Comment]] = field(default_factory=dict)  # parent id -> replies, oldest first


def _visible(viewer_id: int | None):
    """Published comments, and hidden and withdrawn ones as a placeholder, plus the viewer's own
    that are not public yet."""
    shown = Comment.status.in_([CommentStatus.PUBLISHED, CommentStatus.HIDDEN, CommentStatus.WITHDRAWN])
    if viewer_id is None:
        return shown
    return or_(shown, and_(Comment.status.in_(NOT_YET_PUBLIC), Comment.author_id == viewer_id))


def section_comment_counts(round_: Round) -> dict[int | None, int]:
    rows = db.session.execute(
        select(Comment.section_id, func.count())
        .where(Comment.round_id == round_.id, Comment.status == CommentStatus.PUBLISHED)
        .group_by(Comment.section_id)
    )
    return dict(rows.all())


def thread_page(round_: Round, viewer_id, sort: str, page: int, section_id: int | None = None,
                per_page: int | None = None) -> ThreadPage:
    """One page of whole threads in a bounded number of queries, however many replies they hold."""
    conditions = [Comment.round_id == round_.id, Comment.parent_id.is_(None), _visible(viewer_id)]
    if section_id is not None:
        conditions.append(Comment.section_id == section_id)
    statement = (
        select(Comment).outerjoin(Section, Comment.section_id == Section.id).where(*conditions)
        .options(joinedload(Comment.author), joinedload(Comment.section), joinedload(Comment.analysis))
        .order_by(*SORTS.get(sort, SORTS["newest"]))
    )
    per_page = per_page or current_app.config["COMMENTS_PER_PAGE"]
    threads = db.paginate(statement, page=page, per_page=per_page, error_out=False, count=False)
    # Counted on the comments table alone: the joins of the page query make a count of a large round slow.
    threads.total = db.session.scalar(select(func.count(Comment.id)).where(*conditions))
    return ThreadPage(threads, replies_of([c.id for c in threads.items], viewer_id))


def replies_of(thread_ids: list[int], viewer_id) -> dict[int, list[Comment]]:
    if not thread_ids:
        return {}
    replies = db.session.scalars(
        select(Comment)
        .where(Comment.thread_id.in_(thread_ids), Comment.parent_id.is_not(None), _visible(viewer_id))
        .options(joinedload(Comment.author), joinedload(Comment.analysis))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    by_parent: dict[int, list[Comment]] = {}
    for reply in replies:
        by_parent.setdefault(reply.parent_id, []).append(reply)
    return by_parent


def visible_comment(round_: Round, comment_id: int, viewer_id) -> Comment | None:
    """A comment of the round that this viewer may see (or its placeholder, if hidden)."""
    return db.session.scalar(
        select(Comment)
        .where(Comment.id == comment_id, Comment.round_id == round_.id, _visible(viewer_id))
        .options(joinedload(Comment.author), joinedload(Comment.section), joinedload(Comment.analysis))
    )


def get_thread(round_: Round, comment_id: int, viewer_id) -> Comment | None:
    comment = visible_comment(round_, comment_id, viewer_id)
    if comment is None:
        return None
    return comment if comment.parent_id is None else get_thread(round_, comment.thread_id, viewer_id)


# ---- submission --------------------------------------------------------------------------------


def new_receipt() -> str:
    return "CR-" + "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))


def _comment_for_key(key: str | None) -> Comment | None:
    return db.session.scalar(select(Comment).where(Comment.idempotency_key == key)) if key else None


def _parent_for(round_: Round, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = db.session.get(Comment, parent_id)
    if parent is None or parent.round_id != round_.id or parent.status != CommentStatus.PUBLISHED:
        raise CommentProblem("body", gettext("The comment you are replying to is not available any more."))
    while parent.depth >= MAX_DEPTH:
        parent = parent.parent
    return parent


def _section_for(round_: Round, section_id: int | None) -> int | None:
    if section_id is None:
        return None
    if not any(s.id == section_id for s in round_.sections):
        raise CommentProblem("section_id", gettext("Choose a section of this policy."))
    return section_id


def _resent(existing: Comment, user, submission: Submission) -> Comment:
    """The comment a key already stored, if the same author sends it again: the same text (a double
    click), or from the browser that holds its receipt (sent, edited, sent again). A key is no way
    to reach someone else's comment or receipt."""
    same_author = existing.author_id == (user.id if user is not None else None)
    if same_author and (existing.body == submission.body or existing.receipt in submission.known_receipts):
        return existing
    raise CommentProblem("body", gettext("The form expired. Copy your text, reload the page and send it again."))


def submit_comment(round_: Round, user, submission: Submission) -> Comment:
    """Store a comment and return it; a resubmission with the same key returns the first one.

    The comment is committed before this returns, so a receipt shown afterwards is never false.
    """
    signed_in = user is not None and user.is_authenticated
    existing = _comment_for_key(submission.idempotency_key)
    if existing is not None:
        return _resent(existing, user if signed_in else None, submission)
    if not round_.accepting_comments:
        raise CommentProblem("body", gettext("This review is closed and takes no more comments. Your text is below so you can keep it."))
    if signed_in and user.is_blocked:
        raise CommentProblem("body", gettext("Your account cannot comment: %(reason)s", reason=user.blocked_reason))
    if not signed_in and not round_.allow_anonymous and submission.channel == Channel.WEB:
        raise CommentProblem("body", gettext("Sign in to comment on this review."))

    parent = _parent_for(round_, submission.parent_id)
    comment = Comment(
        round_id=round_.id,
        section_id=parent.section_id if parent else _section_for(round_, submission.section_id),
        parent_id=parent.id if parent else None,
        thread_id=(parent.thread_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author_id=user.id if signed_in else None,
        display_name=None if signed_in else ((submission.display_name or "").strip() or None),
        body=submission.body,
        stance=submission.stance or None,
        # Public only after the pipeline's personal-data check (analysis settles it) and, in a
        # pre-moderated round, a moderator's approval.
        status=CommentStatus.CHECKING,
        receipt=new_receipt(),
        idempotency_key=submission.idempotency_key,
        channel=submission.channel,
    )
    db.session.add(comment)
    try:
        db.session.flush()
        if comment.thread_id is None:
            comment.thread_id = comment.id
        if submission.email:
            db.session.add(CommentContact(comment_id=comment.id, email=submission.email.strip().lower()))
        db.session.commit()
    except IntegrityError:
        # The same form arrived twice at once: the other request stored it first.
        db.session.rollback()
        existing = _comment_for_key(submission.idempotency_key)
        if existing is None:
            raise
        return _resent(existing, user if signed_in else None, submission)
    # The comment is safe already; if analysis fails or waits, so does publication.
    enqueue(analyse_comments, [comment.id])  # without a job queue, at once: the comment is then settled
    return comment


def get_by_receipt(receipt: str) -> Comment | None:
    return db.session.scalar(select(Comment).where(Comment.receipt == receipt))


def own_comment(comment_id: int, user) -> Comment | None:
    comment = db.session.get(Comment, comment_id)
    return comment if comment is not None and comment.author_id == user.id else None


def comments_by(user_id: int) -> list[Comment]:
    return db.session.scalars(
        select(Comment)
        .where(Comment.author_id == user_id)
        .options(joinedload(Comment.round), joinedload(Comment.section), joinedload(Comment.analysis))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    ).all()


# ---- supports ----------------------------------------------------------------------------------


def supportable_comment(comment_id: int) -> Comment | None:
    comment = db.session.get(Comment, comment_id)
    return comment if comment is not None and comment.is_public else None


def support(comment: Comment, user) -> bool:
    """Add the user's support; False if they had already given it. The UNIQUE constraint decides."""
    if comment.author_id == user.id:
        raise CommentProblem("support", gettext("You cannot support your own comment."))
    if user.is_blocked:
        raise CommentProblem("support", gettext("Your account cannot support comments: %(reason)s", reason=user.blocked_reason))
    try:
        db.session.execute(insert(Support).values(comment_id=comment.id, user_id=user.id, created_at=utcnow()))
        db.session.execute(
            update(Comment).where(Comment.id == comment.id).values(support_count=Comment.support_count + 1)
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def withdraw_support(comment: Comment, user) -> bool:
    removed = db.session.execute(
        delete(Support).where(Support.comment_id == comment.id, Support.user_id == user.id)
    ).rowcount
    if removed:
        db.session.execute(
            update(Comment).where(Comment.id == comment.id).values(support_count=Comment.support_count - removed)
        )
    db.session.commit()
    return bool(removed)


def supported_ids(user, comment_ids) -> set[int]:
    if user is None or not user.is_authenticated or not comment_ids:
        return set()
    rows = db.session.scalars(
        select(Support.comment_id).where(Support.user_id == user.id, Support.comment_id.in_(comment_ids))
    )
    return set(rows)


# ---- demographics ------------------------------------------------------------------------------


def demographic_answer(round_: Round, user_id: int) -> DemographicAnswer | None:
    return db.session.scalar(
        select(DemographicAnswer).where(DemographicAnswer.round_id == round_.id, DemographicAnswer.user_id == user_id)
    )


def save_demographics(round_: Round, user_id: int, district: str, age_band: str, relationship: str) -> None:
    answer = demographic_answer(round_, user_id) or DemographicAnswer(round_id=round_.id, user_id=user_id)
    answer.district = district if district in (round_.districts or []) else None
    answer.age_band = (age_band or None) if round_.ask_age_band else None
    answer.relationship_to_city = (relationship or None) if round_.ask_relationship else None
    db.session.add(answer)
    try:
        db.session.commit()
    except IntegrityError:  # answered twice at once in two tabs: keep the first answer
        db.session.rollback()
