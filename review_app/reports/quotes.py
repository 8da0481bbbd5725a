"""Quotes in summaries and published reports are comment ids, never copies of text: what a quote
shows is always its comment's current public text, or a notice that it was removed.

A published version quoting a comment whose public text changed (hidden, redacted, withdrawn,
restored) is marked amended, with the date and why, so readers are told and its stored PDF files
are drawn again.
"""

import copy

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..comments.models import Comment, CommentStatus
from ..extensions import db
from ..moderation.models import REASON_LABELS
from ..timeutil import utcnow
from .models import ReportVersion


def quoted_ids(content: dict) -> set[int]:
    """The comments a summary's or version's content quotes."""
    return {quote["id"] for theme in content.get("themes", []) for quote in theme.get("quotes", [])}


def amend_versions_quoting(comment: Comment, note: str) -> int:
    """Mark every version of the comment's round that quotes it; returns how many. The caller commits."""
    versions = db.session.scalars(select(ReportVersion).where(ReportVersion.round_id == comment.round_id)).all()
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
    return value.date().isoformat() if value else None


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
                              "removed": removed,
                              "notice": removal_notice(removed) if removed else None}
    return quotes


def with_current_quotes(content: dict) -> dict:
    """A copy of a summary's or version's content with each quote's current text or removal notice."""
    content = copy.deepcopy(content)
    current = current_quotes(quoted_ids(content))
    for theme in content.get("themes", []):
        theme["quotes"] = [{**quote, **current[quote["id"]]} for quote in theme.get("quotes", [])]
    return content
