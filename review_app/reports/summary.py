"""The themed summary of a round: what residents said, counted honestly.

A form-letter campaign is one voice with its number of signatures, never N voices. Counts of
answers about residents (district, age, connection to the city) under SMALL_COUNT are shown as
"fewer than 5", with as many others as keep them from being worked out from the total, and the
rest rounded to the nearest 5, so no answer can be traced back to a resident, not even by someone
who added answers of their own; the same rule holds for live and published numbers. Quotes are
comment ids (reports.quotes).
"""

import gc
import json
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, timedelta

from flask import current_app
from nlp import STANCES, THEMES, distinctive_phrases, ngram_counts_by_group, representative_comments
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..analysis.models import CommentAnalysis, ThemeCorrection
from ..analysis.services import labels_for
from ..comments.models import Comment, CommentStatus, DemographicAnswer
from ..extensions import db
from ..i18n import N_
from ..jobs import enqueue, job, queue
from ..rounds.models import AGE_BANDS, RELATIONSHIPS, Round
from ..timeutil import local, utcnow
from .models import SummarySnapshot

SMALL_COUNT = 5
ROUND_TO = 5  # answers about residents are published rounded to this
QUOTES = 5
# A round's next recount waits at least this many times as long as its last count took, so
# recounting a large round while comments pour in takes at most a fifth of a job worker's time.
RECOUNT_SPACING = 4
RECOUNT_CLAIM_SECONDS = 60  # a recount claimed longer ago than this (or 4 counts' time) has died
SHAPE = 3  # of a stored Summary: raised when fields are added, so older snapshots are recounted
CAMPAIGNS_LISTED = 20  # the largest form letters named on the summary page; the others in one line


@dataclass
class ThemeSummary:
    key: str
    label: str
    voices: int = 0  # comments, with each campaign counted once
    comments: int = 0  # every published comment, copies included
    campaigns: list = field(default_factory=list)  # [(campaign id, signatures)]
    commenters: int = 0
    supports: int = 0
    stance: dict = field(default_factory=dict)
    phrases: list = field(default_factory=list)
    quotes: list = field(default_factory=list)  # [{"id", "section"}]: text from reports.quotes when shown
    uncertain: int = 0  # comments whose tag for this theme the pipeline is unsure of, uncorrected: "needs review"


@dataclass
class Summary:
    round_id: int
    comments: int
    voices: int
    commenters: int
    supports: int
    themes: list
    sections: list  # [(number, heading, comments, top themes)]
    trend: list  # [(day iso, comments)]
    districts: list  # [(district, count or "fewer than 5", share of residents, share of population)]
    campaigns: list  # [(campaign id, signatures, first comment text)]
    other_answers: dict = field(default_factory=dict)  # {"Age": [(answer, count or "fewer than 5")], ...}
    channels: list = field(default_factory=list)  # [(channel, comments)]
    # Voices per theme and section / district: {"columns": [(filter value, label)], "rows": [(theme, label, cells)]}
    section_matrix: dict = field(default_factory=dict)
    district_matrix: dict = field(default_factory=dict)
    # [(language: "en", "es" or "other", comments, of which no theme is known)]: comments in a language
    # the classifiers do not read have no theme until a moderator gives them one.
    languages: list = field(default_factory=list)


def published(round_id: int, *conditions) -> list[Comment]:
    """The round's published comments, oldest first; `conditions` narrow them (a filtered view)."""
    return db.session.scalars(
        select(Comment)
        .where(Comment.round_id == round_id, Comment.status == CommentStatus.PUBLISHED, *conditions)
        .options(joinedload(Comment.analysis), joinedload(Comment.section))
        .order_by(Comment.id)
    ).unique().all()


def _commenter(comment: Comment):
    return ("account", comment.author_id) if comment.author_id else ("comment", comment.id)


def suppressed(counts: list[int]) -> list[bool]:
    """Which cells of one table of counts to withhold: each under SMALL_COUNT, and then the smallest
    of the others until at least two are withheld and they add up to SMALL_COUNT or more
    (complementary suppression), so that the table's total minus the cells shown cannot reveal one."""
    hidden = [count < SMALL_COUNT for count in counts]
    if any(hidden):
        for index in sorted(range(len(counts)), key=lambda i: counts[i]):
            withheld = [count for count, h in zip(counts, hidden) if h]
            if len(withheld) >= 2 and sum(withheld) >= SMALL_COUNT:
                break
            hidden[index] = True
    return hidden


def rounded(count: int) -> int:
    """To the nearest multiple of ROUND_TO: whoever adds answers of their own cannot subtract them
    from a published count to learn how many others gave that answer."""
    return (count + ROUND_TO // 2) // ROUND_TO * ROUND_TO


def shown(counts: list[int]) -> list:
    """The counts as published, live and in reports alike: rounded, withheld ones as "fewer than 5"
    (translated where shown)."""
    return [N_("fewer than 5") if hide else rounded(count) for count, hide in zip(counts, suppressed(counts))]


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector walks every live object each time enough new ones are
    made: loading and counting a large round made it run again and again (at 20,000 comments, 0.7
    of 1.1 s of loading). It runs once, afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _state_stamp(round_id: int) -> tuple:
    """Changes whenever anything a summary counts changes: comments, analyses, corrections, answers."""
    comments = db.session.execute(
        select(func.count(Comment.id), func.max(Comment.updated_at), func.sum(Comment.support_count))
        .where(Comment.round_id == round_id)
    ).one()
    analysed = db.session.scalar(
        select(func.max(CommentAnalysis.analysed_at)).join(Comment, Comment.id == CommentAnalysis.comment_id)
        .where(Comment.round_id == round_id)
    )
    corrected = db.session.scalar(select(func.max(ThemeCorrection.id)))
    answers = db.session.execute(
        select(func.count(DemographicAnswer.id),
               func.max(func.coalesce(DemographicAnswer.updated_at, DemographicAnswer.created_at)))
        .where(DemographicAnswer.round_id == round_id)
    ).one()  # a changed answer moves the latest change, a removed one the count
    return (SHAPE, *comments, analysed, corrected, *answers)


def build_summary(round_: Round, fresh: bool = False) -> Summary:
    """The round's summary, from its stored snapshot when that still counts the same data.

    Without a job queue (the embedded default) every view checks the snapshot against the data
    and rebuilds it at once if something changed. With a queue, a view never waits for the count:
    it gets the stored summary, and a snapshot not checked for SUMMARY_MAX_AGE seconds (or
    RECOUNT_SPACING times as long as its last count took, if longer) is checked and rebuilt by a
    job. `fresh` (publishing a report) always checks and rebuilds at once.
    """
    snapshot = db.session.get(SummarySnapshot, round_.id)
    if snapshot is not None and not fresh and queue() is not None:
        _recount_when_due(round_.id, snapshot.checked_at, snapshot.count_seconds)
        return _from_json(snapshot.data)
    return _refreshed(round_, snapshot, fresh)


def stored_summary_version(round_: Round) -> float | None:
    """With a job queue, when the summary build_summary gives was built (a version for caching
    what is rendered from it), queuing its recount when due, without loading it; None when
    build_summary would count at once (no queue, or nothing stored yet)."""
    if queue() is None:
        return None
    row = db.session.execute(
        select(SummarySnapshot.built_at, SummarySnapshot.checked_at, SummarySnapshot.count_seconds)
        .where(SummarySnapshot.round_id == round_.id)
    ).one_or_none()
    if row is None:
        return None
    _recount_when_due(round_.id, row.checked_at, row.count_seconds)
    return row.built_at.replace(tzinfo=UTC).timestamp()


def recount_wait(count_seconds: float) -> timedelta:
    """How long after its last check a summary whose count took `count_seconds` is recounted."""
    return timedelta(seconds=max(current_app.config["SUMMARY_MAX_AGE"], RECOUNT_SPACING * count_seconds))


def _recount_when_due(round_id: int, checked_at, count_seconds: float) -> None:
    if utcnow() - checked_at > recount_wait(count_seconds):
        enqueue(refresh_summary, round_id, once_key=f"summary-{round_id}")


def _claim_recount(snapshot: SummarySnapshot) -> bool:
    """True for the one caller that may recount the round now: a conditional update that one
    transaction wins, in every process. A claim older than a few counts' time has died."""
    now = utcnow()
    expired = now - timedelta(seconds=max(RECOUNT_CLAIM_SECONDS, RECOUNT_SPACING * snapshot.count_seconds))
    claimed = db.session.execute(
        update(SummarySnapshot)
        .where(SummarySnapshot.round_id == snapshot.round_id,
               or_(SummarySnapshot.recount_started_at.is_(None), SummarySnapshot.recount_started_at < expired))
        .values(recount_started_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    db.session.commit()
    return claimed


def _refreshed(round_: Round, snapshot, fresh: bool = False) -> Summary:
    stamp = repr(_state_stamp(round_.id))
    if snapshot is not None and snapshot.stamp == stamp:
        return _from_json(snapshot.data)
    if snapshot is not None and not fresh and not _claim_recount(snapshot):
        return _from_json(snapshot.data)  # someone else is counting; theirs lands in a moment
    started = time.perf_counter()
    with collector_paused():
        data = json.loads(json.dumps(asdict(_compute_summary(round_))))  # the shape a stored one has: lists, not tuples
    now = utcnow()
    values = {"stamp": stamp, "data": data, "built_at": now, "checked_at": now,
              "count_seconds": time.perf_counter() - started, "recount_started_at": None}
    try:
        if snapshot is None:
            db.session.add(SummarySnapshot(round_id=round_.id, **values))
        else:
            for name, value in values.items():
                setattr(snapshot, name, value)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another process stored the same count a moment earlier
    return _from_json(data)


@job
def refresh_summary(round_id: int) -> None:
    """A job: recount the round's summary if its data changed, and then (a job each) the filtered
    views officials open first, so that their first request finds them counted."""
    from .dashboard import precount_filter

    round_, snapshot = db.session.get(Round, round_id), db.session.get(SummarySnapshot, round_id)
    counted = snapshot.built_at if snapshot is not None else None
    _refreshed(round_, snapshot)
    snapshot = db.session.get(SummarySnapshot, round_id)
    snapshot.checked_at = utcnow()  # checked, even if nothing changed
    db.session.commit()
    if snapshot.built_at != counted:
        enqueue(precount_filter, round_id, 0, stored_summary_version(round_))


def _from_json(data: dict) -> Summary:
    return Summary(**{**data, "themes": [ThemeSummary(**theme) for theme in data["themes"]]})


def _compute_summary(round_: Round, comments: list[Comment] | None = None) -> Summary:
    """The summary of the round's published comments, or of those given (a filtered view)."""
    comments = published(round_.id) if comments is None else comments
    rows = labels_for(comments)
    # Each comment's phrases are found once, for the round and for each of its themes.
    round_phrases, theme_phrases = ngram_counts_by_group((row.comment.public_body, row.themes, row.comment.lang) for row in rows)
    campaign_sizes = Counter(c.campaign_id for c in comments if c.campaign_id)
    first_copy = {}
    for comment in comments:  # oldest first
        first_copy.setdefault(comment.campaign_id, comment.id)

    themes = []
    for key, label in THEMES.items():
        members = [(row.comment, row.stance, row.scores) for row in rows if key in row.themes]
        summary = ThemeSummary(key, label, uncertain=sum(key in row.uncertain for row in rows))
        seen_campaigns = set()
        for comment, stance, _ in members:
            summary.comments += 1
            if comment.campaign_id:
                if comment.campaign_id in seen_campaigns:
                    continue  # a copy: a signature, not another voice
                seen_campaigns.add(comment.campaign_id)
            summary.voices += 1
            summary.stance[stance] = summary.stance.get(stance, 0) + 1
        summary.campaigns = [(cid, campaign_sizes[cid]) for cid in sorted(seen_campaigns)]
        summary.commenters = len({_commenter(c) for c, _, _ in members})
        summary.supports = sum(c.support_count for c, _, _ in members)
        summary.stance = {s: summary.stance.get(s, 0) for s in STANCES}
        if members:
            summary.phrases = [p for p, _, _ in distinctive_phrases(
                n=8, background=round_phrases, theme_counts=theme_phrases[key])]
            candidates = [{"id": c.id, "text": c.public_body, "score": scores.get(key, 0.5), "lang": c.lang,
                           "duplicate_of": bool(c.campaign_id) and c.id != first_copy[c.campaign_id], "section": c.section.number if c.section else None}
                          for c, _, scores in members]
            summary.quotes = [{"id": q["id"], "section": q["section"]}
                              for q in representative_comments(candidates, n=QUOTES)]
        themes.append(summary)
    themes.sort(key=lambda t: (-t.voices, t.label))

    sections = []
    for section in round_.sections:
        in_section = [(row.comment, row.themes) for row in rows if row.comment.section_id == section.id]
        top = Counter(k for _, keys in in_section for k in keys).most_common(3)
        sections.append((section.number, section.heading, len(in_section), [THEMES.get(k, k) for k, _ in top]))

    trend = sorted(Counter(local(c.created_at).date().isoformat() for c in comments).items())  # the city's days
    voices = len({c.campaign_id or f"c{c.id}" for c in comments})
    districts = commenter_districts(round_.id)
    return Summary(
        round_id=round_.id, comments=len(comments), voices=voices, commenters=len({_commenter(c) for c in comments}),
        supports=sum(c.support_count for c in comments), themes=themes, sections=sections, trend=trend,
        districts=_districts(round_), campaigns=_campaigns(comments, campaign_sizes),
        other_answers={
            N_("Age"): _answers(round_, DemographicAnswer.age_band, AGE_BANDS) if round_.ask_age_band else [],
            N_("Connection to the city"): _answers(round_, DemographicAnswer.relationship_to_city, RELATIONSHIPS)
            if round_.ask_relationship else [],
        },
        channels=sorted(Counter(c.channel for c in comments).items()),
        languages=_languages(rows),
        section_matrix=_matrix(rows, themes, [(s.number, f"{s.number}. {s.heading}") for s in round_.sections],
                               lambda c: c.section.number if c.section else None, rounding=False),
        district_matrix=_matrix(rows, themes, [(d, d) for d in round_.districts or []],
                                lambda c: districts.get(c.author_id), rounding=True),
    )


def commenter_districts(round_id: int) -> dict[int, str]:
    """account id -> the district its holder gave for the round (anonymous comments have none)."""
    return dict(db.session.execute(
        select(DemographicAnswer.user_id, DemographicAnswer.district)
        .where(DemographicAnswer.round_id == round_id, DemographicAnswer.user_id.is_not(None),
               DemographicAnswer.district.is_not(None))
    ).all())


def _languages(rows) -> list:
    counts, untagged = Counter(), Counter()
    for row in rows:
        lang = row.comment.lang or "other"
        counts[lang] += 1
        untagged[lang] += not row.themes and lang == "other"
    return [(lang, counts[lang], untagged[lang]) for lang in ("en", "es", "other") if counts[lang]]


def _matrix(rows, themes, columns, column_of, rounding: bool) -> dict:
    """Voices (a form letter once) per theme and column. Each theme's cells are suppressed like
    the district table (its total is shown in the overview), and, for answers about residents,
    rounded too."""
    voices = {}  # (theme, column) -> set of voices
    for row in rows:
        column = column_of(row.comment)
        if column is None:
            continue
        voice = ("campaign", row.comment.campaign_id) if row.comment.campaign_id else ("comment", row.comment.id)
        for key in row.themes:
            voices.setdefault((key, column), set()).add(voice)
    table = []
    for key, label in ((t.key, t.label) for t in themes):  # in the overview's order, most voices first
        counts = [len(voices.get((key, value), ())) for value, _ in columns]
        if not any(counts):
            continue
        cells = shown(counts) if rounding else [
            N_("fewer than 5") if hide else count for count, hide in zip(counts, suppressed(counts))]
        table.append((key, label, cells))
    return {"columns": columns, "rows": table}


def _answers(round_: Round, column, choices) -> list:
    counts = dict(db.session.execute(
        select(column, func.count()).where(DemographicAnswer.round_id == round_.id, column.is_not(None)).group_by(column)
    ).all())
    return list(zip(choices, shown([counts.get(choice, 0) for choice in choices])))


def _campaigns(comments, sizes) -> list:
    firsts = {}
    for comment in comments:
        if comment.campaign_id:
            firsts.setdefault(comment.campaign_id, comment.public_body)
    return [(cid, sizes[cid], firsts[cid]) for cid in sorted(sizes, key=lambda c: -sizes[c])]


def _districts(round_: Round) -> list:
    """Who answered, by district, against the round's population figures; small groups suppressed."""
    counts = dict(db.session.execute(
        select(DemographicAnswer.district, func.count())
        .where(DemographicAnswer.round_id == round_.id, DemographicAnswer.district.is_not(None))
        .group_by(DemographicAnswer.district)
    ).all())
    answered = rounded(sum(counts.values()))
    population = round_.district_population or {}
    total_population = sum(population.values())
    districts = round_.districts or []
    published_counts = shown([counts.get(district, 0) for district in districts])
    rows = []
    for district, count in zip(districts, published_counts):
        share = round(100 * count / answered) if answered and isinstance(count, int) else None
        pop_share = round(100 * population[district] / total_population) if district in population and total_population else None
        rows.append((district, count, share, pop_share))
    return rows


