"""What moderators do: the queue, decisions with reasons, redaction, theme corrections, campaigns,
flags and blocks. Every action writes one entry to the append-only log in the same transaction."""

from dataclasses import dataclass

from nlp import THEMES
from sqlalchemy import String, and_, cast, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..accounts import services as accounts
from ..analysis.models import Campaign, CampaignStatus, CommentAnalysis, ThemeCorrection
from ..comments.models import Comment, CommentStatus
from ..extensions import db
from ..timeutil import utcnow
from .models import FLAG_REASONS, KEEP_REASONS, REMOVAL_REASONS, Action, Flag, ModerationLogEntry

SPAM_THRESHOLD = 0.5
FLAGS_TO_ESCALATE = 3  # this many open flags put a published comment at the top of the queue
PII_PLACEHOLDERS = {
    "email": "[email removed]", "phone": "[phone number removed]", "street_address": "[address removed]",
    "person_name": "[name removed]", "badge_or_case_number": "[number removed]",
    "license_plate": "[plate removed]", "government_id": "[ID number removed]",
}

# From which statuses each decision may be taken, and the status it leads to.
DECISIONS = {
    Action.APPROVE: ({CommentStatus.PENDING}, CommentStatus.PUBLISHED),
    Action.HIDE: ({CommentStatus.PUBLISHED}, CommentStatus.HIDDEN),
    Action.REJECT: ({CommentStatus.PENDING}, CommentStatus.REJECTED),
    Action.RESTORE: ({CommentStatus.HIDDEN, CommentStatus.REJECTED}, CommentStatus.PUBLISHED),
}
QUEUE_REASONS = {
    "pending": "Awaiting approval",
    "flagged": "Flagged by residents",
    "personal_data": "Personal data found",
    "spam": "Likely spam",
    "language": "Not in English: needs a person to tag themes",
}


class ModerationProblem(ValueError):
    """An action that is not allowed; the message says why."""


def _log(action: Action, moderator, comment: Comment | None = None, reason=None, note="", subject_user_id=None):
    db.session.add(ModerationLogEntry(
        action=action, moderator_id=moderator.id, comment_id=comment.id if comment else None,
        round_id=comment.round_id if comment else None, subject_user_id=subject_user_id,
        reason=reason, note=(note or "").strip(),
    ))


def _not_own(comment: Comment, moderator) -> None:
    if comment.author_id is not None and comment.author_id == moderator.id:
        raise ModerationProblem("You cannot moderate your own comment; another moderator will.")


# ---- the queue ---------------------------------------------------------------------------------

def _open_flags():
    return select(func.count(Flag.id)).where(Flag.comment_id == Comment.id, Flag.resolved_at.is_(None)).scalar_subquery()


def _needs_review(reason: str | None):
    unreviewed = Comment.moderated_at.is_(None)
    published = Comment.status == CommentStatus.PUBLISHED
    conditions = {
        "pending": Comment.status == CommentStatus.PENDING,
        "flagged": and_(published, _open_flags() > 0),
        "personal_data": and_(unreviewed, Comment.status != CommentStatus.REJECTED, CommentAnalysis.has_pii.is_(True),
                              Comment.redacted_body.is_(None)),
        "spam": and_(unreviewed, published, CommentAnalysis.spam_score >= SPAM_THRESHOLD),
        "language": and_(unreviewed, CommentAnalysis.needs_human_review.is_(True),
                         ~exists().where(ThemeCorrection.comment_id == Comment.id)),
    }
    return conditions[reason] if reason in conditions else or_(*conditions.values())


@dataclass
class QueueItem:
    comment: Comment
    open_flags: int
    reasons: list[str]


def queue(round_id: int | None, reason: str | None, page: int, per_page: int = 25,
          section_id: int | None = None, theme: str | None = None):
    """Comments needing a decision, oldest first; heavily flagged ones first of all."""
    flags = _open_flags()
    statement = (
        select(Comment, flags.label("open_flags"))
        .outerjoin(CommentAnalysis, CommentAnalysis.comment_id == Comment.id)
        .where(_needs_review(reason))
        .options(joinedload(Comment.round), joinedload(Comment.section), joinedload(Comment.author))
        .order_by((flags >= FLAGS_TO_ESCALATE).desc(), Comment.created_at, Comment.id)
    )
    if round_id:
        statement = statement.where(Comment.round_id == round_id)
    if section_id:
        statement = statement.where(Comment.section_id == section_id)
    if theme in THEMES:  # allowlisted, so the key is safe inside the text match
        statement = statement.where(cast(CommentAnalysis.themes, String).contains(f'"{theme}"'))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).all()
    items = [QueueItem(comment, open_flags, _reasons_for(comment, open_flags)) for comment, open_flags in rows]
    return items, total


def _reasons_for(comment: Comment, open_flags: int) -> list[str]:
    analysis = comment.analysis
    reasons = []
    if comment.status == CommentStatus.PENDING:
        reasons.append("pending")
    if open_flags:
        reasons.append("flagged")
    if analysis is not None and comment.moderated_at is None:
        if analysis.pii and comment.redacted_body is None:
            reasons.append("personal_data")
        if analysis.spam_score >= SPAM_THRESHOLD:
            reasons.append("spam")
        if analysis.needs_human_review:
            reasons.append("language")
    return reasons


# ---- decisions ---------------------------------------------------------------------------------

def decide(comment: Comment, moderator, action: str, reason: str, note: str = "") -> None:
    try:
        action = Action(action)
        allowed_from, new_status = DECISIONS[action]
    except (ValueError, KeyError):
        raise ModerationProblem("Unknown decision.") from None
    _not_own(comment, moderator)
    if comment.status not in allowed_from:
        raise ModerationProblem(f"A {comment.status} comment cannot be {action}d.")
    reasons = REMOVAL_REASONS if new_status != CommentStatus.PUBLISHED else KEEP_REASONS
    if reason not in reasons:
        raise ModerationProblem("Choose a reason from the list.")
    if reason == "other" and not (note or "").strip():
        raise ModerationProblem('Add a note when the reason is "other".')
    now = utcnow()
    comment.status = new_status
    comment.moderation_reason = reason
    comment.moderated_at = now
    if new_status == CommentStatus.PUBLISHED and comment.published_at is None:
        comment.published_at = now
    db.session.execute(update(Flag).where(Flag.comment_id == comment.id, Flag.resolved_at.is_(None)).values(resolved_at=now))
    _log(action, moderator, comment, reason, note)
    db.session.commit()


def suggested_redaction(comment: Comment) -> str:
    """The body with every span the pipeline flagged replaced by a placeholder naming its kind."""
    text = comment.body
    spans = sorted(comment.analysis.pii if comment.analysis else [], key=lambda s: s["start"], reverse=True)
    for span in spans:
        text = text[:span["start"]] + PII_PLACEHOLDERS.get(span["kind"], "[removed]") + text[span["end"]:]
    return text


def redact(comment: Comment, moderator, redacted_text: str, note: str = "") -> None:
    _not_own(comment, moderator)
    redacted_text = (redacted_text or "").strip()
    if not redacted_text:
        raise ModerationProblem("The redacted text cannot be empty; reject the comment instead.")
    if redacted_text == comment.body.strip():
        raise ModerationProblem("The redacted text is the same as the original.")
    comment.redacted_body = redacted_text
    _log(Action.REDACT, moderator, comment, "personal_data", note)
    db.session.commit()


def correct_themes(comment: Comment, moderator, themes: list[str], stance: str) -> None:
    db.session.add(ThemeCorrection(comment_id=comment.id, themes=sorted(themes), stance=stance, corrected_by_id=moderator.id))
    _log(Action.CORRECT_THEMES, moderator, comment, None, f"themes: {', '.join(sorted(themes)) or 'none'}; stance: {stance}")
    db.session.commit()


# ---- campaigns ---------------------------------------------------------------------------------

def campaigns(round_id: int | None = None, status: str | None = CampaignStatus.SUGGESTED):
    """(campaign, number of copies, first comment) for each campaign, largest first."""
    copies = func.count(Comment.id)
    statement = (
        select(Campaign, copies).join(Comment, Comment.campaign_id == Campaign.id)
        .group_by(Campaign.id).order_by(copies.desc(), Campaign.id)
    )
    if status:
        statement = statement.where(Campaign.status == status)
    if round_id:
        statement = statement.where(Campaign.round_id == round_id)
    rows = db.session.execute(statement).all()
    firsts = {c.id: c for c in db.session.scalars(select(Comment).where(Comment.id.in_([r[0].first_comment_id for r in rows])))}
    return [(campaign, count, firsts.get(campaign.first_comment_id)) for campaign, count in rows]


def confirm_campaign(campaign: Campaign, moderator) -> None:
    campaign.status = CampaignStatus.CONFIRMED
    campaign.confirmed_by_id, campaign.confirmed_at = moderator.id, utcnow()
    _log(Action.CONFIRM_CAMPAIGN, moderator, db.session.get(Comment, campaign.first_comment_id), "duplicate_campaign",
         f"campaign {campaign.id}")
    db.session.commit()


def split_campaign(campaign: Campaign, moderator, note: str = "") -> None:
    """Not copies after all: each comment counts on its own again. Nothing is removed."""
    db.session.execute(update(Comment).where(Comment.campaign_id == campaign.id).values(campaign_id=None))
    campaign.status = CampaignStatus.SPLIT
    _log(Action.SPLIT_CAMPAIGN, moderator, db.session.get(Comment, campaign.first_comment_id), None,
         f"campaign {campaign.id}. {note}".strip())
    db.session.commit()


# ---- residents ---------------------------------------------------------------------------------

def flag(comment: Comment, user, reason: str) -> bool:
    """Record a resident's flag; False if they had flagged this comment before."""
    if reason not in FLAG_REASONS:
        raise ModerationProblem("Choose why you are flagging this comment.")
    if comment.author_id == user.id:
        raise ModerationProblem("You cannot flag your own comment.")
    db.session.add(Flag(comment_id=comment.id, user_id=user.id, reason=reason))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def block_user(user, moderator, reason: str) -> None:
    if user.id == moderator.id:
        raise ModerationProblem("You cannot block your own account.")
    _log(Action.BLOCK_USER, moderator, None, "other", reason, subject_user_id=user.id)
    accounts.block(user, reason)  # commits the block and the log entry together


def unblock_user(user, moderator, note: str = "") -> None:
    _log(Action.UNBLOCK_USER, moderator, None, None, note, subject_user_id=user.id)
    accounts.unblock(user)


# ---- accountability ----------------------------------------------------------------------------

def log_entries(round_id: int | None, page: int, per_page: int = 50):
    statement = select(ModerationLogEntry).options(joinedload(ModerationLogEntry.moderator)).order_by(
        ModerationLogEntry.created_at.desc(), ModerationLogEntry.id.desc()
    )
    if round_id:
        statement = statement.where(ModerationLogEntry.round_id == round_id)
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def public_summary(round_id: int) -> dict:
    """Counts by decision and reason, and the removed comments by date and reason, without text."""
    counts = db.session.execute(
        select(ModerationLogEntry.action, ModerationLogEntry.reason, func.count())
        .where(ModerationLogEntry.round_id == round_id,
               ModerationLogEntry.action.in_([a.value for a in DECISIONS] + [Action.REDACT.value]))
        .group_by(ModerationLogEntry.action, ModerationLogEntry.reason)
        .order_by(ModerationLogEntry.action, ModerationLogEntry.reason)
    ).all()
    removed = db.session.execute(
        select(Comment.created_at, Comment.moderated_at, Comment.status, Comment.moderation_reason)
        .where(Comment.round_id == round_id, Comment.status.in_([CommentStatus.HIDDEN, CommentStatus.REJECTED]))
        .order_by(Comment.moderated_at.desc())
    ).all()
    return {"counts": counts, "removed": removed}
