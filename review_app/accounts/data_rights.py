"""Residents' rights over their data: a copy of everything held about them, erasure, and the
retention period after which what a round collected beyond the comments is dropped.

An erased account keeps its row (the moderation log, supports and flags point to it) with its
email, name and password replaced; its comments are withdrawn or left standing without a name,
as the holder chose; its answers about themselves stay in the counts, tied to no one.
"""

import secrets
from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import delete, func, or_, select, update

from ..comments.models import Comment, CommentContact, CommentStatus, DemographicAnswer, Support
from ..extensions import db
from ..moderation.models import Action, Flag, ModerationLogEntry
from ..moderation.services import log_action, mark_withdrawn
from ..reports.models import ActionFollow, OutboxMessage, ReportVersion
from ..timeutil import utcnow
from .models import User, UserRole
from .passwords import verify_password
from .services import AccountError

ERASE_CHOICES = ("anonymise", "withdraw")


def _iso(value):
    return value.isoformat() + "Z" if value else None


def export(user: User) -> dict:
    """Everything held about the account holder, as they would ask for it (a JSON download)."""
    comments = db.session.scalars(select(Comment).where(Comment.author_id == user.id).order_by(Comment.id)).all()
    contacts = dict(db.session.execute(
        select(CommentContact.comment_id, CommentContact.email).where(CommentContact.comment_id.in_([c.id for c in comments]))
    ).all())
    supports = db.session.execute(
        select(Support.comment_id, Support.created_at).where(Support.user_id == user.id).order_by(Support.id)).all()
    flags = db.session.scalars(select(Flag).where(Flag.user_id == user.id).order_by(Flag.id)).all()
    answers = db.session.scalars(select(DemographicAnswer).where(DemographicAnswer.user_id == user.id)).all()
    log = db.session.scalars(
        select(ModerationLogEntry)
        .where(or_(ModerationLogEntry.subject_user_id == user.id, ModerationLogEntry.comment_id.in_([c.id for c in comments])))
        .order_by(ModerationLogEntry.id)
    ).all()
    return {
        "account": {"email": user.email, "display_name": user.display_name, "roles": sorted(user.roles),
                    "created_at": _iso(user.created_at), "last_login_at": _iso(user.last_login_at),
                    "blocked_at": _iso(user.blocked_at), "blocked_reason": user.blocked_reason,
                    "sign_in_suspended_at": _iso(user.suspended_at), "sign_in_suspended_reason": user.suspended_reason},
        "comments": [{
            "receipt": c.receipt, "round": c.round.slug, "section": c.section.number if c.section else None,
            "reply_to": c.parent_id, "text_as_sent": c.body, "text_the_public_sees": c.redacted_body,
            "declared_stance": c.stance, "status": c.status, "channel": c.channel,
            "sent_at": _iso(c.created_at), "published_at": _iso(c.published_at), "withdrawn_at": _iso(c.withdrawn_at),
            "email_to_hear_back": contacts.get(c.id),
        } for c in comments],
        "supports": [{"comment_id": comment_id, "at": _iso(at)} for comment_id, at in supports],
        "flags": [{"comment_id": f.comment_id, "reason": f.reason, "at": _iso(f.created_at)} for f in flags],
        "answers_about_you": [{"round_id": a.round_id, "district": a.district, "age_band": a.age_band,
                               "relationship_to_city": a.relationship_to_city} for a in answers],
        "moderation_decisions": [{"action": e.action, "comment_id": e.comment_id, "reason": e.reason,
                                  "at": _iso(e.created_at)} for e in log],
        "actions_followed": [{"action_id": f.response_id, "email": f.email, "since": _iso(f.created_at),
                              "confirmed_at": _iso(f.confirmed_at)} for f in _follows(user.email)],
    }


def _follows(email: str) -> list[ActionFollow]:
    return db.session.scalars(select(ActionFollow).where(ActionFollow.email == email.lower()).order_by(ActionFollow.id)).all()


def export_on_request(user: User, admin: User, note: str) -> dict:
    """export() for an admin answering the resident's request, which the log records."""
    log_action(Action.EXPORT_ACCOUNT, admin, None, None, note, subject_user_id=user.id)
    db.session.commit()
    return export(user)


def erase_own(user: User, password: str, comments_choice: str) -> None:
    """The holder's own request, confirmed with their password."""
    if not verify_password(user.password_hash, password):
        raise AccountError(gettext("The password is not right."))
    erase(user, comments_choice, actor=user)


def erase(user: User, comments_choice: str, actor: User, note: str = "") -> None:
    """Erase the account at its holder's request (actor: the holder, or an admin acting on a request)."""
    if comments_choice not in ERASE_CHOICES:
        raise ValueError(f"comments_choice must be one of {ERASE_CHOICES}")
    if user.erased_at is not None:
        return
    comments = db.session.scalars(select(Comment).where(Comment.author_id == user.id)).all()
    if comments_choice == "withdraw":
        for comment in comments:
            mark_withdrawn(comment, actor)
    db.session.execute(delete(CommentContact).where(CommentContact.comment_id.in_([c.id for c in comments])))
    # Left standing, the comments show no name: "Anonymous", as a comment sent without one.
    db.session.execute(update(Comment).where(Comment.author_id == user.id).values(author_id=None, display_name=None))
    db.session.execute(update(DemographicAnswer).where(DemographicAnswer.user_id == user.id).values(user_id=None))
    db.session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    # The account's own emails (verification, reset, notices) hold its address, as do its follows of actions.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.key.like(f"account:{user.id}:%")))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address == user.email.lower(),
                                                   or_(OutboxMessage.key.like("action:%"), OutboxMessage.key.like("follow:%"))))
    db.session.execute(delete(ActionFollow).where(ActionFollow.email == user.email.lower()))
    log_action(Action.ERASE_ACCOUNT, actor, None, None,
               f"comments {'withdrawn' if comments_choice == 'withdraw' else 'kept without a name'}. {note}".strip(),
               subject_user_id=user.id)
    user.email = f"erased-{user.id}@erased.invalid"
    user.display_name = "Erased account"
    user.password_hash = "!" + secrets.token_hex(16)  # no password verifies against it
    user.blocked_at, user.blocked_reason, user.blocked_by_id, user.last_login_at = None, None, None, None
    user.suspended_at, user.suspended_reason, user.email_verified_at = None, None, None
    user.erased_at = utcnow()
    user.session_version = User.session_version + 1  # signed out everywhere
    db.session.commit()


WITHDRAWN_TEXT = "[withdrawn by its author; the text was erased at the end of the retention period]"


def apply_retention(days: int) -> dict[str, int]:
    """For every round whose report was first published more than `days` ago, drop the emails left
    to hear back (and the notices sent to them) and the text of withdrawn comments. The app keeps
    no IP addresses in its database (rate limits hold them in memory or Redis for at most an hour)."""
    cutoff = utcnow() - timedelta(days=days)
    # Followers of actions keep hearing until they unsubscribe; the notices already sent to them, and
    # follows never confirmed, are dropped after the same period.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.sent_at < cutoff, or_(
        OutboxMessage.key.like("action:%"), OutboxMessage.key.like("follow:%"))))
    db.session.execute(delete(ActionFollow).where(ActionFollow.confirmed_at.is_(None), ActionFollow.created_at < cutoff))
    db.session.commit()
    first_report = select(ReportVersion.round_id).group_by(ReportVersion.round_id).having(
        func.min(ReportVersion.published_at) < cutoff)
    round_ids = list(db.session.scalars(first_report))
    if not round_ids:
        return {"rounds": 0, "emails": 0, "notices": 0, "withdrawn_texts": 0}
    in_rounds = select(Comment.id).where(Comment.round_id.in_(round_ids))
    emails = db.session.execute(delete(CommentContact).where(CommentContact.comment_id.in_(in_rounds))).rowcount
    notices = db.session.execute(delete(OutboxMessage).where(
        or_(*(OutboxMessage.key.like(f"report:{round_id}:%") for round_id in round_ids)))).rowcount
    texts = db.session.execute(
        update(Comment).where(Comment.round_id.in_(round_ids), Comment.status == CommentStatus.WITHDRAWN,
                              Comment.body != WITHDRAWN_TEXT)
        .values(body=WITHDRAWN_TEXT, redacted_body=None)).rowcount
    db.session.commit()
    return {"rounds": len(round_ids), "emails": emails, "notices": notices, "withdrawn_texts": texts}
