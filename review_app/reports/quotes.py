"""Quotes in summaries and published reports are comment ids, never copies of text: what a quote
shows is always its comment's current public text, or a notice that it was removed.

A published version quoting a comment whose public text changed (hidden, redacted, withdrawn,
restored) is marked amended, with the date and why, so readers are told and its stored PDF files
are drawn again.
"""

import copy

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..comments.models import Comment, CommentStatus
from ..extensions import db
from ..moderation.models import REASON_LABELS
from ..rounds.models import Round, Section
from ..timeutil import local, utcnow
from .models import QuoteChoice, ReportVersion


def quoted_ids(content: dict) -> set[int]:
    """The comments a summary's or version's content quotes."""
    return {quote["id"] for theme in content.get("themes", [])
            for quote in [*theme.get("quotes", []), *(theme.get("draft_feedback") or {}).get("quotes", [])]}


def amend_versions_quoting(comment: Comment, note: str) -> int:
    """Mark every version of the comment's round that quotes it; returns how many. The caller commits."""
    # A comment on a draft action (a response review round) is quoted by its policy round's final plan.
    rounds = [comment.round_id, *db.session.scalars(select(Round.responds_to_id).where(
        Round.id == comment.round_id, Round.responds_to_id.is_not(None)))]
    versions = db.session.scalars(select(ReportVersion).where(ReportVersion.round_id.in_(rounds))).all()
    amended = [version for version in versions if comment.id in quoted_ids(version.content)]
    for version in amended:
        version.amended_at = utcnow()
        version.amendment_note = note[:1000]
    return len(amended)


def removal(comment: Comment | None) -> dict | None:
    """Why a quoted comment is not shown (None if it is public): by whom, when and why."""
    if comment is not None and comment.status == CommentStatus.PUBLISHED:
        return None
    if comment is None:
        return {"by": "moderators", "on": None, "reason": None}
    if comment.status == CommentStatus.WITHDRAWN:
        return {"by": "author", "on": _day(comment.withdrawn_at), "reason": None}
    return {"by": "moderators", "on": _day(comment.moderated_at), "reason": REASON_LABELS.get(comment.moderation_reason)}


def removal_notice(removed: dict) -> str:
    """The notice in English, for open data (templates word it in the reader's language)."""
    if removed["by"] == "author":
        return f"Withdrawn by its author on {removed['on']}." if removed["on"] else "Withdrawn by its author."
    when = f" on {removed['on']}" if removed["on"] else ""
    why = f" ({removed['reason']})" if removed["reason"] else ""
    return f"Removed by moderators{when}{why}."


def _day(value) -> str | None:
    return local(value).date().isoformat() if value else None


def current_quotes(ids) -> dict[int, dict]:
    """id -> {"text": public text or None, "lang": its language ("en", "es" or None), "removed": None or
    removal(), "notice": None or the notice}."""
    comments = {c.id: c for c in db.session.scalars(
        select(Comment).where(Comment.id.in_(set(ids))).options(joinedload(Comment.analysis)))} if ids else {}
    quotes = {}
    for comment_id in ids:
        comment = comments.get(comment_id)
        removed = removal(comment)
        quotes[comment_id] = {"text": None if removed else comment.public_body, "lang": None if removed else comment.lang,
                              "removed": removed, "notice": removal_notice(removed) if removed else None,
                              # context for officials: when, and how many residents supported it
                              "date": None if removed else _day(comment.created_at), "supports": None if removed else comment.support_count}
    return quotes


def with_current_quotes(content: dict) -> dict:
    """A copy of a summary's or version's content with each quote's current text or removal notice."""
    content = copy.deepcopy(content)
    current = current_quotes(quoted_ids(content))
    for theme in content.get("themes", []):
        theme["quotes"] = [{**quote, **current[quote["id"]]} for quote in theme.get("quotes", [])]
        if feedback := theme.get("draft_feedback"):  # residents' comments on the draft action (its review round's)
            feedback["quotes"] = [{**quote, **current[quote["id"]]} for quote in feedback.get("quotes", [])]
    return content


# ---- officials' choices ---------------------------------------------------------------------------

def choices(round_id: int) -> dict[str, dict[int, bool]]:
    """theme -> {comment id: pinned (True) or dropped (False)}, pinned in the order chosen."""
    found: dict[str, dict[int, bool]] = {}
    for row in db.session.scalars(select(QuoteChoice).where(QuoteChoice.round_id == round_id).order_by(QuoteChoice.id)):
        found.setdefault(row.theme, {})[row.comment_id] = row.pinned
    return found


def with_choices(theme: str, quotes: list[dict], chosen: dict[str, dict[int, bool]], limit: int) -> list[dict]:
    """A theme's quotes as the report uses them: the pinned ones first, then the automatic ones
    not dropped, up to `limit` in all (pinned ones are never cut). Each is {"id", "section", "pinned"}."""
    mine = chosen.get(theme, {})
    pinned_ids = [cid for cid, pinned in mine.items() if pinned]
    sections = dict(db.session.execute(
        select(Comment.id, Section.number).outerjoin(Section, Section.id == Comment.section_id)
        .where(Comment.id.in_(pinned_ids))).all()) if pinned_ids else {}
    result = [{"id": cid, "section": sections.get(cid), "pinned": True} for cid in pinned_ids]
    for quote in quotes:
        if len(result) >= max(limit, len(pinned_ids)):
            break
        if quote["id"] not in mine:
            result.append({"id": quote["id"], "section": quote.get("section"), "pinned": False})
    return result


def set_choice(round_id: int, theme: str, comment_id: int, action: str, official) -> bool:
    """Pin, drop or clear (forget the choice about) a published comment of the round as a quote
    for the theme; False if there is no such comment. Commits."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.round_id != round_id or comment.status != CommentStatus.PUBLISHED:
        return False
    row = db.session.scalar(select(QuoteChoice).where(
        QuoteChoice.round_id == round_id, QuoteChoice.theme == theme, QuoteChoice.comment_id == comment_id))
    if row is not None:
        db.session.delete(row)
        db.session.flush()  # a pin chosen again goes to the end of the pinned order
    if action in ("pin", "drop"):
        db.session.add(QuoteChoice(round_id=round_id, theme=theme, comment_id=comment_id, pinned=action == "pin",
                                   chosen_by_id=official.id if official else None, chosen_at=utcnow()))
    db.session.commit()
    return True


def choices_version(round_id: int) -> tuple:
    """Changes with every choice made or cleared: part of the cache key of a rendered summary."""
    return tuple(db.session.execute(
        select(func.count(QuoteChoice.id), func.max(QuoteChoice.id)).where(QuoteChoice.round_id == round_id)).one())
