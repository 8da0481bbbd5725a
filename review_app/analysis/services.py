"""Run the nlp package on stored comments and keep what it found.

Analysis happens after a comment is committed and never inside its transaction (a job, see
`review_app.jobs`): if the pipeline fails, the comment is already safe and is analysed later.
Until then it is not public: analysis settles where it goes (moderation.services.settle_after_check).
"""

import json
import re
import threading
from functools import lru_cache
from typing import NamedTuple

from flask import current_app
from sqlalchemy import case, func, select, update

from ..comments.models import Comment
from ..extensions import db
from ..moderation.services import settle_after_check
from ..timeutil import utcnow
from .models import Campaign, CampaignStatus, CommentAnalysis, ThemeCorrection

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
SPAM_WORDS = re.compile(r"\b(?:buy|discount|casino|crypto|bitcoin|viagra|loans?|free money|click here|promo code|cheap)\b", re.I)
REPEATED = re.compile(r"(.)\1{6,}|(\b\w+\b)(?:\W+\2\b){4,}", re.IGNORECASE)


@lru_cache(maxsize=2)
def _tagger(base_model: str | None):
    from nlp import load_pipeline

    return load_pipeline(base_model=base_model)


def tagger():
    return _tagger(current_app.config.get("NLP_BASE_MODEL"))


def spam_score(text: str) -> float:
    """0 to 1 from links, advertising words, repetition and shouting; a hint for the queue only."""
    score = 0.25 * min(len(LINK.findall(text)), 3) + 0.3 * min(len(SPAM_WORDS.findall(text)), 2)
    if REPEATED.search(text):
        score += 0.3
    letters = [c for c in text if c.isalpha()]
    if len(letters) > 40 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        score += 0.1
    return round(min(score, 1.0), 2)


class _RoundDuplicates:
    """A round's near-duplicate index and the newest analysis it has seen."""

    def __init__(self):
        from nlp import DuplicateIndex

        self.index = DuplicateIndex()
        self.seen_analysis_id = 0


def _duplicate_index(round_id: int):
    """One near-duplicate index per round, kept for the life of the process. Before each use it
    takes in the comments other processes (web workers, job workers) analysed meanwhile."""
    indexes = current_app.extensions.setdefault("civic_duplicate_indexes", {})
    if round_id not in indexes:
        indexes[round_id] = _RoundDuplicates()
    duplicates = indexes[round_id]
    rows = db.session.execute(
        select(CommentAnalysis.id, Comment.id, Comment.body).join(Comment, Comment.id == CommentAnalysis.comment_id)
        .where(Comment.round_id == round_id, CommentAnalysis.id > duplicates.seen_analysis_id).order_by(Comment.id)
    ).all()
    duplicates.index.add_many((comment_id, body) for _, comment_id, body in rows)
    duplicates.seen_analysis_id = max([duplicates.seen_analysis_id, *(analysis_id for analysis_id, _, _ in rows)])
    return duplicates.index


def _join_campaign(comment: Comment, first_id: int) -> None:
    first = db.session.get(Comment, first_id)
    if first.campaign_id is None:
        split = db.session.scalar(select(Campaign.id).where(
            Campaign.first_comment_id == first.id, Campaign.status == CampaignStatus.SPLIT))
        if split is not None:
            return  # a moderator found these are not copies; re-tagging must not undo that
        campaign = Campaign(round_id=comment.round_id, first_comment_id=first.id, status=CampaignStatus.SUGGESTED)
        db.session.add(campaign)
        db.session.flush()
        first.campaign_id = campaign.id
    comment.campaign_id = first.campaign_id


# The spaCy pipeline and the duplicate indexes are not made for concurrent use; web threads
# (gunicorn's gthread workers) take turns here.
_analysis_lock = threading.Lock()


def analyse(comments: list[Comment]) -> int:
    """Tag the comments and store the results; returns how many were analysed."""
    with _analysis_lock:
        return _analyse(comments)


def _analyse(comments: list[Comment]) -> int:
    run = tagger()
    by_round: dict[int, list[Comment]] = {}
    for comment in sorted(comments, key=lambda c: c.id):
        by_round.setdefault(comment.round_id, []).append(comment)
    for round_id, batch in by_round.items():
        index = _duplicate_index(round_id)  # copies are found across the whole round, oldest first
        results = run.tag_many([{"id": c.id, "text": c.body} for c in batch], duplicates=index)
        for comment, result in zip(batch, results):
            _store(comment, result, run.model_version)
    db.session.commit()
    return len(comments)


def _store(comment: Comment, result: dict, model_version: str) -> None:
    analysis = comment.analysis or CommentAnalysis(comment_id=comment.id)
    analysis.themes = result["themes"]
    analysis.theme_scores = result["theme_scores"]
    analysis.stance = result["stance"]
    analysis.pii = result["pii"]
    analysis.has_pii = bool(result["pii"])
    analysis.lang = result["lang"]
    analysis.needs_human_review = result["needs_human_review"]
    analysis.uncertain = result["uncertain"]
    analysis.tags_uncertain = bool(result["uncertain"])
    analysis.duplicate_of_id = result["duplicate_of"]
    analysis.spam_score = spam_score(comment.body)
    analysis.model_version = model_version
    analysis.analysed_at = utcnow()
    analysis.stale = False
    db.session.add(analysis)
    if result["duplicate_of"] is not None:
        _join_campaign(comment, result["duplicate_of"])
    settle_after_check(comment, found_pii=bool(result["pii"]))


def _pending(round_id: int | None = None, ids: list[int] | None = None):
    """Comments with no analysis yet or marked for re-tagging, oldest first."""
    statement = (
        select(Comment).outerjoin(CommentAnalysis, CommentAnalysis.comment_id == Comment.id)
        .where(CommentAnalysis.id.is_(None) | CommentAnalysis.stale).order_by(Comment.id)
    )
    if round_id is not None:
        statement = statement.where(Comment.round_id == round_id)
    if ids is not None:
        statement = statement.where(Comment.id.in_(ids))
    return statement


def pending(round_id: int | None = None, ids: list[int] | None = None, limit: int | None = None) -> list[Comment]:
    statement = _pending(round_id, ids)
    return db.session.scalars(statement.limit(limit) if limit else statement).all()


def pending_ids(round_id: int | None = None) -> list[int]:
    return db.session.scalars(_pending(round_id).with_only_columns(Comment.id)).all()


def pending_count(round_id: int | None = None) -> int:
    return db.session.scalar(select(func.count()).select_from(_pending(round_id).order_by(None).subquery()))


def mark_for_retagging(round_id: int | None = None) -> int:
    """Mark a round's (or every) analysis stale; `flask analyse` or the workers redo them and
    clear the mark one by one, so an interrupted re-tag resumes where it stopped."""
    statement = update(CommentAnalysis).values(stale=True)
    if round_id is not None:
        statement = statement.where(CommentAnalysis.comment_id.in_(select(Comment.id).where(Comment.round_id == round_id)))
    count = db.session.execute(statement).rowcount
    db.session.commit()
    return count


def _newest_corrections():
    """A subquery of the newest correction id per comment: later corrections replace earlier ones."""
    return (
        select(ThemeCorrection.comment_id, func.max(ThemeCorrection.id).label("id"))
        .group_by(ThemeCorrection.comment_id).subquery()
    )


class Labels(NamedTuple):
    comment: Comment
    themes: list[str]
    stance: str
    scores: dict  # theme -> probability
    uncertain: list[str]  # tags the pipeline is unsure of and no moderator has corrected ("stance" among them)


def labels_for(comments: list[Comment]) -> list[Labels]:
    """Each comment's labels as summaries use them: a moderator's correction wins over the
    pipeline, and a stance the resident declared wins over both."""
    newest = _newest_corrections()
    corrections = {row.comment_id: row for row in db.session.scalars(
        select(ThemeCorrection).join(newest, newest.c.id == ThemeCorrection.id)
        .join(Comment, Comment.id == ThemeCorrection.comment_id)
        # by round, not by a list of ids: a summary asks for 100,000 comments, more than a query may name
        .where(Comment.round_id.in_({c.round_id for c in comments}))
    )}
    result = []
    for comment in comments:
        analysis = comment.analysis
        correction = corrections.get(comment.id)
        themes = correction.themes if correction else (analysis.themes if analysis else [])
        stance = comment.stance or (correction.stance if correction else (analysis.stance if analysis else None)) or "unclear"
        scores = {key: 1.0 for key in themes} if correction else (analysis.theme_scores if analysis else {})
        uncertain = [] if correction or analysis is None else [
            tag for tag in analysis.uncertain or [] if tag != "stance" or not comment.stance]  # a declared stance is sure
        result.append(Labels(comment, themes, stance, scores, uncertain))
    return result


def with_stance(stance: str):
    """A query of the ids of comments whose stance (as labels_for reads it) is this one: for a
    filter that should not load every comment of a large round to keep a few."""
    newest = _newest_corrections()
    corrected = select(ThemeCorrection.stance).join(newest, newest.c.id == ThemeCorrection.id) \
        .where(ThemeCorrection.comment_id == Comment.id).scalar_subquery()
    has_correction = select(newest.c.id).where(newest.c.comment_id == Comment.id).exists()
    read = case((has_correction, func.nullif(corrected, "")), else_=func.nullif(CommentAnalysis.stance, ""))
    return select(Comment.id).outerjoin(CommentAnalysis, CommentAnalysis.comment_id == Comment.id) \
        .where(func.coalesce(func.nullif(Comment.stance, ""), read, "unclear") == stance)


def effective_themes(comment: Comment) -> tuple[list[str], str]:
    labels = labels_for([comment])[0]
    return labels.themes, labels.stance


def write_corrections(path) -> int:
    """Each corrected comment once, with its newest correction, in the nlp corpus format.

    The public (redacted) text is written: training data must not become a copy of personal data.
    """
    newest = _newest_corrections()
    rows = db.session.execute(
        select(Comment, ThemeCorrection, CommentAnalysis.lang)
        .join(newest, newest.c.comment_id == Comment.id)
        .join(ThemeCorrection, ThemeCorrection.id == newest.c.id)
        .outerjoin(CommentAnalysis, CommentAnalysis.comment_id == Comment.id)
        .order_by(Comment.id)
    ).all()
    with open(path, "w", encoding="utf-8") as out:
        for comment, correction, lang in rows:
            line = {"id": f"correction-{comment.id}", "text": comment.public_body, "themes": correction.themes,
                    "stance": correction.stance, "lang": lang or "en", "duplicate_of": None}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(rows)
