"""What moderators do: the queue, decisions with reasons, redaction, theme corrections, campaigns,
flags and blocks. Every action writes one entry to the append-only log in the same transaction."""

import re
from dataclasses import dataclass
from types import SimpleNamespace

from flask_babel import gettext

from nlp import THEMES
from sqlalchemy import String, and_, cast, delete, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..accounts import services as accounts
from ..accounts.models import Role, User
from ..analysis.models import Campaign, CampaignStatus, CommentAnalysis, ThemeCorrection
from ..comments.models import NOT_YET_PUBLIC, Comment, CommentContact, CommentStatus
from ..extensions import db
from ..i18n import N_
from ..labels import status_label
from ..reports.quotes import amend_versions_quoting
from ..rounds.models import ModerationMode
from ..timeutil import utcnow
from .models import FLAG_REASONS, KEEP_REASONS, REASON_LABELS, REMOVAL_REASONS, Action, Flag, ModerationLogEntry

SPAM_THRESHOLD = 0.5
FLAGS_TO_ESCALATE = 3  # this many open flags put a published comment at the top of the queue
PII_PLACEHOLDERS = {
    "email": "[email removed]", "phone": "[phone number removed]", "street_address": "[address removed]",
    "person_name": "[name removed]", "badge_or_case_number": "[number removed]",
    "license_plate": "[plate removed]", "government_id": "[ID number removed]",
}

# From which statuses each decision may be taken, and the status it leads to. Approve publishes a
# comment for the first time; restore makes a removed one public again.
DECISIONS = {
    Action.APPROVE: (set(NOT_YET_PUBLIC), CommentStatus.PUBLISHED),
    Action.HIDE: ({CommentStatus.PUBLISHED}, CommentStatus.HIDDEN),
    Action.REJECT: (set(NOT_YET_PUBLIC), CommentStatus.REJECTED),
    Action.RESTORE: ({CommentStatus.HIDDEN, CommentStatus.REJECTED}, CommentStatus.PUBLISHED),
}
# Translated where they are shown.
QUEUE_REASONS = {
    "held": N_("Held: personal data found"),
    "checking": N_("Not checked for personal data yet"),
    "pending": N_("Awaiting approval"),
    "flagged": N_("Flagged by residents"),
    "personal_data": N_("Personal data found"),
    "spam": N_("Likely spam"),
    "language": N_("Not in English or Spanish: needs a person to tag themes"),
    "uncertain": N_("Tags need review: the pipeline is unsure"),
}


class ModerationProblem(ValueError):
    """An action that is not allowed; the message says why."""


def log_action(action: Action, moderator, comment: Comment | None = None, reason=None, note="", subject_user_id=None,
               round_id=None):
    """Add an entry to the append-only log; the caller commits it with the change it records."""
    db.session.add(ModerationLogEntry(
        action=action, moderator_id=moderator.id if moderator else None, comment_id=comment.id if comment else None,
        round_id=comment.round_id if comment else round_id, subject_user_id=subject_user_id,
        reason=reason, note=(note or "").strip(),
    ))


def _not_own(comment: Comment, moderator) -> None:
    if comment.author_id is not None and comment.author_id == moderator.id:
        raise ModerationProblem(gettext("You cannot moderate your own comment; another moderator will."))


# ---- the queue ---------------------------------------------------------------------------------

def _open_flags():
    return select(func.count(Flag.id)).where(Flag.comment_id == Comment.id, Flag.resolved_at.is_(None)).scalar_subquery()


def _needs_review(reason: str | None):
    unreviewed = Comment.moderated_at.is_(None)
    published = Comment.status == CommentStatus.PUBLISHED
    uncorrected = ~exists().where(ThemeCorrection.comment_id == Comment.id)  # a moderator's themes are sure
    conditions = {
        "held": Comment.status == CommentStatus.HELD,
        "checking": Comment.status == CommentStatus.CHECKING,
        "pending": Comment.status == CommentStatus.PENDING,
        "flagged": and_(published, _open_flags() > 0),
        "personal_data": and_(Comment.status.in_([CommentStatus.PUBLISHED, CommentStatus.HIDDEN]),
                              CommentAnalysis.has_pii.is_(True), Comment.redacted_body.is_(None),
                              Comment.pii_cleared_at.is_(None)),
        "spam": and_(unreviewed, published, CommentAnalysis.spam_score >= SPAM_THRESHOLD),
        "language": and_(unreviewed, CommentAnalysis.needs_human_review.is_(True), uncorrected),
        "uncertain": and_(CommentAnalysis.tags_uncertain.is_(True), uncorrected,
                          Comment.status.in_([CommentStatus.PUBLISHED, *NOT_YET_PUBLIC])),
    }
    return conditions[reason] if reason in conditions else or_(*conditions.values())


def waiting_total() -> int:
    """Comments waiting for any moderator decision, in every round: the header's count."""
    return db.session.scalar(select(func.count(Comment.id))
                             .outerjoin(CommentAnalysis, CommentAnalysis.comment_id == Comment.id)
                             .where(_needs_review(None)))


def queue_counts(reasons) -> dict[int, dict[str, int]]:
    """{round id: {reason: comments waiting for it}}: one grouped count per reason."""
    counts: dict[int, dict[str, int]] = {}
    for reason in reasons:
        rows = db.session.execute(
            select(Comment.round_id, func.count(Comment.id))
            .outerjoin(CommentAnalysis, CommentAnalysis.comment_id == Comment.id)
            .where(_needs_review(reason)).group_by(Comment.round_id))
        for round_id, count in rows:
            counts.setdefault(round_id, {})[reason] = count
    return counts


@dataclass
class QueueItem:
    comment: Comment
    open_flags: int
    reasons: list[str]


def queue(round_id: int | None, reason: str | None, page: int, per_page: int = 25,
          section_id: int | None = None, theme: str | None = None):
    """Comments needing a decision, oldest first; heavily flagged ones first of all."""
    flags = _open_flags()
    corrected = exists().where(ThemeCorrection.comment_id == Comment.id)
    statement = (
        select(Comment, flags.label("open_flags"), corrected.label("corrected"))
        .outerjoin(CommentAnalysis, CommentAnalysis.comment_id == Comment.id)
        .where(_needs_review(reason))
        .options(joinedload(Comment.round), joinedload(Comment.section), joinedload(Comment.author), joinedload(Comment.analysis))
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
    items = [QueueItem(comment, open_flags, _reasons_for(comment, open_flags, corrected))
             for comment, open_flags, corrected in rows]
    return items, total


def _reasons_for(comment: Comment, open_flags: int, corrected: bool) -> list[str]:
    analysis = comment.analysis
    reasons = [comment.status] if comment.status in NOT_YET_PUBLIC else []
    if open_flags:
        reasons.append("flagged")
    if comment.has_unreviewed_pii and comment.status != CommentStatus.HELD:
        reasons.append("personal_data")
    if analysis is not None and comment.moderated_at is None:
        if analysis.spam_score >= SPAM_THRESHOLD:
            reasons.append("spam")
        if analysis.needs_human_review:
            reasons.append("language")
    if analysis is not None and analysis.tags_uncertain and not corrected:
        reasons.append("uncertain")
    return reasons


# ---- the personal-data hold -----------------------------------------------------------------------

def settle_after_check(comment: Comment, found_pii: bool) -> None:
    """Where a comment goes once the pipeline has read it (THEMES.md: personal data is found before
    a comment is published). Personal data no moderator has redacted or cleared holds it, in every
    moderation mode, even if it was public (a re-tag with a better model found more); otherwise
    a new comment is published or waits for approval, as its round is moderated."""
    unreviewed = found_pii and comment.redacted_body is None and comment.pii_cleared_at is None
    if unreviewed and comment.status in (*NOT_YET_PUBLIC, CommentStatus.PUBLISHED):
        if comment.status != CommentStatus.HELD:
            was_public = comment.status == CommentStatus.PUBLISHED
            comment.status = CommentStatus.HELD
            log_action(Action.HOLD, None, comment, "personal_data", "held automatically: the pipeline found personal data")
            if was_public:
                amend_versions_quoting(comment, "A quoted comment was held for a moderator to check it for personal data.")
    elif comment.status == CommentStatus.CHECKING:
        if comment.round.moderation_mode == ModerationMode.POST:
            comment.status, comment.published_at = CommentStatus.PUBLISHED, utcnow()
        else:
            comment.status = CommentStatus.PENDING


def needs_pii_confirmation(comment: Comment) -> bool:
    """Publishing it would show personal data the pipeline found and no moderator redacted or
    cleared, or text the pipeline has not checked yet."""
    return comment.status in (CommentStatus.HELD, CommentStatus.CHECKING) or comment.has_unreviewed_pii


# ---- decisions ---------------------------------------------------------------------------------

def _checked_decision(action: str, reason: str, note: str) -> tuple[Action, set, str, str]:
    """The decision's rules that do not depend on the comment: a known decision, a reason from its
    list, a note for "other". Returns (action, statuses it applies to, new status, note)."""
    try:
        action = Action(action)
        allowed_from, new_status = DECISIONS[action]
    except (ValueError, KeyError):
        raise ModerationProblem(gettext("Unknown decision.")) from None
    reasons = REMOVAL_REASONS if new_status != CommentStatus.PUBLISHED else KEEP_REASONS
    if reason not in reasons:
        raise ModerationProblem(gettext("Choose a reason from the list."))
    note = (note or "").strip()
    if reason == "other" and not note:
        raise ModerationProblem(gettext('Add a note when the reason is "other".'))
    return action, allowed_from, new_status, note


def decide(comment: Comment, moderator, action: str, reason: str, note: str = "", pii_confirmed: bool = False) -> None:
    action, allowed_from, new_status, note = _checked_decision(action, reason, note)
    _not_own(comment, moderator)
    if comment.status not in allowed_from:
        raise ModerationProblem(gettext("This decision does not apply to a comment that is %(status)s.", status=status_label(comment.status)))
    going_public = new_status == CommentStatus.PUBLISHED
    now = utcnow()
    if going_public and needs_pii_confirmation(comment):
        if not (pii_confirmed and note):
            raise ModerationProblem(gettext(
                "This comment may hold personal data that is not redacted. Redact it, or confirm that the "
                "highlighted text is not personal data and say why in the note."))
        comment.pii_cleared_at = now
    was_public = comment.is_public
    comment.status = new_status
    comment.moderation_reason = reason
    comment.moderated_at = now
    if going_public and comment.published_at is None:
        comment.published_at = now
    db.session.execute(update(Flag).where(Flag.comment_id == comment.id, Flag.resolved_at.is_(None)).values(resolved_at=now))
    log_action(action, moderator, comment, reason, note)
    if was_public != going_public and comment.published_at is not None:
        what = "restored by moderators" if going_public else f"removed by moderators ({REASON_LABELS[reason]})"
        amend_versions_quoting(comment, f"A quoted comment was {what} on {now:%Y-%m-%d}.")
    db.session.commit()



def decide_many(comments: list[Comment], moderator, action: str, reason: str, note: str = "") -> tuple[list[Comment], list[tuple[Comment, str]]]:
    """One decision for a selection: each comment is decided as if alone (decide()), without the
    personal-data confirmation, which is given one comment at a time. Returns (decided, [(skipped,
    why)]); a decision or reason that fits none of them is refused for all."""
    _checked_decision(action, reason, note)
    decided, skipped = [], []
    for comment in comments:
        try:
            decide(comment, moderator, action, reason, note)
        except ModerationProblem as problem:
            db.session.rollback()
            skipped.append((comment, str(problem)))
        else:
            decided.append(comment)
    return decided, skipped

def withdraw(comment: Comment, author) -> None:
    """The author takes their comment back: the public sees that it was withdrawn; moderators keep
    its text for the log until the retention period ends (`flask apply-retention`). The email left
    to hear back goes at once."""
    if comment.author_id is None or comment.author_id != author.id:
        raise ModerationProblem(gettext("Only its author can withdraw a comment."))
    mark_withdrawn(comment, author)
    db.session.commit()


def mark_withdrawn(comment: Comment, actor) -> None:
    """withdraw() without the checks and the commit (erasing an account withdraws many at once)."""
    if comment.status == CommentStatus.WITHDRAWN:
        return
    now = utcnow()
    comment.status, comment.withdrawn_at = CommentStatus.WITHDRAWN, now
    db.session.execute(delete(CommentContact).where(CommentContact.comment_id == comment.id))
    log_action(Action.WITHDRAW, actor, comment, None, "withdrawn by its author")
    if comment.published_at is not None:
        amend_versions_quoting(comment, f"A quoted comment was withdrawn by its author on {now:%Y-%m-%d}.")


def suggested_redaction(comment: Comment) -> str:
    """The public text with every span the pipeline flagged that is still in it replaced by a
    placeholder naming its kind."""
    return "".join(_placeholder(span["kind"]) if span else piece for piece, span in pii_segments(comment))


def redact(comment: Comment, moderator, redacted_text: str, note: str = "", partial: bool = False) -> None:
    """Set the text the public sees. A comment held or waiting for the check is then published:
    a moderator has read it and removed what the pipeline found. `partial` (one highlight removed
    at a time) lets a held comment keep the rest for now: it stays held until none is left."""
    _not_own(comment, moderator)
    redacted_text = (redacted_text or "").strip()
    if not redacted_text:
        raise ModerationProblem(gettext("The redacted text cannot be empty; reject the comment instead."))
    if redacted_text == comment.body.strip():
        raise ModerationProblem(gettext("The redacted text is the same as the original."))
    left = [comment.body[s["start"]:s["end"]] for s in (comment.analysis.pii if comment.analysis else [])]
    left = [value for value in left if value and value in redacted_text]
    held = comment.status in (CommentStatus.HELD, CommentStatus.CHECKING)
    # Once a comment that is not held has a redacted text, the queue counts its personal data as
    # dealt with: so all of it goes at once.
    if left and partial and not held:
        raise ModerationProblem(gettext(
            "This comment holds other personal data too: remove all of it at once with the redaction form."))
    if left and not partial:
        raise ModerationProblem(gettext(
            "The redacted text still holds “%(text)s”, which the pipeline found as personal data. Remove it, "
            "or publish the original with a note that it is not personal data.", text=left[0]))
    comment.redacted_body = redacted_text
    log_action(Action.REDACT, moderator, comment, "personal_data", note)
    now = utcnow()
    if held and not left:  # what is left of a partial redaction keeps it held
        comment.status, comment.moderation_reason, comment.moderated_at = CommentStatus.PUBLISHED, "redacted", now
        comment.published_at = comment.published_at or now
        log_action(Action.APPROVE, moderator, comment, "redacted", "published with personal data removed")
    elif not held and comment.published_at is not None:
        amend_versions_quoting(comment, f"Personal data was removed from a quoted comment on {now:%Y-%m-%d}.")
    db.session.commit()


def _placeholder(kind: str) -> str:
    return PII_PLACEHOLDERS.get(kind, "[removed]")


def _locate(comment: Comment, span: dict, in_original: bool = False) -> tuple[int, int] | None:
    """Where a span the pipeline found in the original is in the public text now; None once it is
    no longer there. Offsets hold in the original; in a redacted text the same value is found
    again, the nth time it occurs as in the original."""
    value = comment.body[span["start"]:span["end"]]
    if not value:
        return None
    if in_original or comment.redacted_body is None:
        return span["start"], span["end"]
    found = [match.start() for match in re.finditer(re.escape(value), comment.redacted_body)]
    if not found:
        return None
    at = found[min(comment.body.count(value, 0, span["start"]), len(found) - 1)]
    return at, at + len(value)


def pii_segments(comment: Comment, original: bool = False) -> list[tuple[str, dict | None]]:
    """The public text (or the original) in pieces for moderators: (text, None), or (text, span)
    for each personal-data span still in it, so that each highlight can carry its own button."""
    text, position, segments = (comment.body if original else comment.public_body), 0, []
    located = [(_locate(comment, span, original), span) for span in (comment.analysis.pii if comment.analysis else [])]
    located = sorted(((where, span) for where, span in located if where), key=lambda pair: pair[0])
    last = len({where for where, _span in located}) == 1  # removing it leaves none
    for (start, end), span in located:
        if start < position:
            continue  # overlaps the one before
        segments += [(text[position:start], None), (text[start:end], {**span, "last": last})]
        position = end
    segments.append((text[position:], None))
    return [(piece, span) for piece, span in segments if piece]


def redact_span(comment: Comment, moderator, start: int, end: int, value: str) -> None:
    """Replace one highlighted span of the public text with the placeholder for its kind, as the
    suggested redaction does, through redact(). A page that no longer matches the comment (the
    span was removed meanwhile, or the pipeline read it again) is refused."""
    spans = comment.analysis.pii if comment.analysis else []
    span = next((s for s in spans if (s["start"], s["end"]) == (start, end) and comment.body[start:end] == value), None)
    where = _locate(comment, span) if span else None
    if where is None:
        raise ModerationProblem(gettext("That text is no longer in the comment: the page was out of date. "
                                        "Look at the comment again below."))
    text = comment.public_body
    redact(comment, moderator, text[:where[0]] + _placeholder(span["kind"]) + text[where[1]:],
           f"removed one {span['kind'].replace('_', ' ')}", partial=True)

def correct_themes(comment: Comment, moderator, themes: list[str], stance: str) -> None:
    db.session.add(ThemeCorrection(comment_id=comment.id, themes=sorted(themes), stance=stance, corrected_by_id=moderator.id))
    log_action(Action.CORRECT_THEMES, moderator, comment, None, f"themes: {', '.join(sorted(themes)) or 'none'}; stance: {stance}")
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


CAMPAIGN_WORDINGS_PER_PAGE = 20  # pairs side by side a page: a big campaign has thousands of copies
CAMPAIGN_SAME_LISTED = 50  # links to copies with the first copy's very words; the rest are counted


def campaign_review(campaign: Campaign, page: int = 1) -> dict:
    """The copies of a campaign for a side-by-side look: the first copy, then each other wording
    once (a page of them), with the comments that use it and its differences from the first word by word."""
    from ..reports.services import _word_diff  # reports imports this module

    copies = db.session.scalars(select(Comment).where(Comment.campaign_id == campaign.id).order_by(Comment.id)).all()
    first = next((c for c in copies if c.id == campaign.first_comment_id), copies[0] if copies else None)
    wordings: dict[str, list[Comment]] = {}
    for copy in copies:
        if copy is not first:
            wordings.setdefault(copy.public_body, []).append(copy)
    same = wordings.pop(first.public_body, []) if first else []
    pages = max(1, -(-len(wordings) // CAMPAIGN_WORDINGS_PER_PAGE))
    page = min(max(page, 1), pages)
    shown = list(wordings.items())[(page - 1) * CAMPAIGN_WORDINGS_PER_PAGE:page * CAMPAIGN_WORDINGS_PER_PAGE]
    variants = [{"comments": group, "chunks": _word_diff(first.public_body, text)} for text, group in shown]
    pagination = SimpleNamespace(page=page, pages=pages, has_prev=page > 1, prev_num=page - 1,
                                 has_next=page < pages, next_num=page + 1)
    return {"first": first, "copies": len(copies), "same": same[:CAMPAIGN_SAME_LISTED],
            "same_unlisted": max(0, len(same) - CAMPAIGN_SAME_LISTED), "wordings": len(wordings),
            "variants": variants, "pagination": pagination}


def confirm_campaign(campaign: Campaign, moderator) -> None:
    campaign.status = CampaignStatus.CONFIRMED
    campaign.confirmed_by_id, campaign.confirmed_at = moderator.id, utcnow()
    log_action(Action.CONFIRM_CAMPAIGN, moderator, db.session.get(Comment, campaign.first_comment_id), "duplicate_campaign",
         f"campaign {campaign.id}")
    db.session.commit()


def split_campaign(campaign: Campaign, moderator, note: str = "") -> None:
    """Not copies after all: each comment counts on its own again. Nothing is removed."""
    db.session.execute(update(Comment).where(Comment.campaign_id == campaign.id).values(campaign_id=None))
    campaign.status = CampaignStatus.SPLIT
    log_action(Action.SPLIT_CAMPAIGN, moderator, db.session.get(Comment, campaign.first_comment_id), None,
         f"campaign {campaign.id}. {note}".strip())
    db.session.commit()


# ---- residents ---------------------------------------------------------------------------------

def flag(comment: Comment, user, reason: str) -> bool:
    """Record a resident's flag; False if they had flagged this comment before."""
    if reason not in FLAG_REASONS:
        raise ModerationProblem(gettext("Choose why you are flagging this comment."))
    if comment.author_id == user.id:
        raise ModerationProblem(gettext("You cannot flag your own comment."))
    db.session.add(Flag(comment_id=comment.id, user_id=user.id, reason=reason))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _may_act_on(actor, user) -> None:
    """Staff act only on accounts ranked below their own: a moderator on residents, an admin on
    everyone but other admins and themselves."""
    if user.id == actor.id:
        raise ModerationProblem(gettext("You cannot do this to your own account."))
    if actor.rank <= user.rank:
        raise ModerationProblem(gettext("Only an admin can do this to a staff account, and no one to another admin's."))


def block_user(user, moderator, reason: str) -> None:
    """Block the account from commenting and supporting; it can still sign in and read its data."""
    _may_act_on(moderator, user)
    if not reason.strip():
        raise ModerationProblem(gettext("Give a reason for blocking the account."))
    user.blocked_at, user.blocked_reason, user.blocked_by_id = utcnow(), reason.strip(), moderator.id
    log_action(Action.BLOCK_USER, moderator, None, "other", reason, subject_user_id=user.id)
    db.session.commit()


def unblock_user(user, moderator, note: str = "") -> None:
    _may_act_on(moderator, user)
    setter = db.session.get(User, user.blocked_by_id) if user.blocked_by_id else None
    if setter is not None and setter.rank > moderator.rank:
        raise ModerationProblem(gettext("An admin set this block; only an admin can lift it."))
    user.blocked_at, user.blocked_reason, user.blocked_by_id = None, None, None
    log_action(Action.UNBLOCK_USER, moderator, None, None, note, subject_user_id=user.id)
    db.session.commit()


def suspend_user(user, admin, reason: str) -> None:
    """End every session of the account and refuse its sign-in: an admin's measure."""
    if not admin.has_role(Role.ADMIN):
        raise ModerationProblem(gettext("Only an admin can suspend sign-in."))
    _may_act_on(admin, user)
    if not reason.strip():
        raise ModerationProblem(gettext("Give a reason for suspending sign-in."))
    user.suspended_at, user.suspended_reason = utcnow(), reason.strip()
    accounts.end_all_sessions(user)
    log_action(Action.SUSPEND_USER, admin, None, "other", reason, subject_user_id=user.id)
    db.session.commit()


def unsuspend_user(user, admin, note: str = "") -> None:
    if not admin.has_role(Role.ADMIN):
        raise ModerationProblem(gettext("Only an admin can restore sign-in."))
    _may_act_on(admin, user)
    user.suspended_at, user.suspended_reason = None, None
    log_action(Action.UNSUSPEND_USER, admin, None, None, note, subject_user_id=user.id)
    db.session.commit()


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
               ModerationLogEntry.action.in_([a.value for a in DECISIONS] + [Action.REDACT, Action.HOLD, Action.WITHDRAW]))
        .group_by(ModerationLogEntry.action, ModerationLogEntry.reason)
        .order_by(ModerationLogEntry.action, ModerationLogEntry.reason)
    ).all()
    removed = db.session.execute(
        select(Comment.created_at, Comment.moderated_at, Comment.status, Comment.moderation_reason)
        .where(Comment.round_id == round_id, Comment.status.in_([CommentStatus.HIDDEN, CommentStatus.REJECTED]))
        .order_by(Comment.moderated_at.desc())
    ).all()
    return {"counts": counts, "removed": removed}
