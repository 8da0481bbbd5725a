"""The officials' dashboard over a round's summary: filters kept in the URL, the summary of the
filtered comments, heatmap tables, and the numbers behind every chart as CSV."""

import csv
import io
import json
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta

from flask import has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from nlp import STANCES, THEMES
from sqlalchemy import func, select

from ..analysis.services import with_stance
from ..comments.models import Channel, Comment, CommentStatus
from ..extensions import db, limiter
from ..fragment_cache import cached_fragment
from ..i18n import N_
from ..jobs import enqueue, job
from ..rounds.models import Round
from ..timeutil import from_local
from .charts import heat_level, stacked_bar_layout
from .services import _safe_cell
from .summary import (Summary, _compute_summary, _from_json, _state_stamp, build_summary, collector_paused, published,
                      stored_summary_version)

STANCE_LABELS = {"support": N_("support"), "oppose": N_("oppose"), "mixed": N_("mixed"), "unclear": N_("unclear")}


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Filters:
    """What an official narrowed the summary to; every field optional. Values the round does not
    have are ignored rather than giving an empty page. There is no district filter: residents are
    told their district answer is never shown next to their comments, and a summary or list
    narrowed to a district would show its quotes and comments as that district's; districts are
    only counted (the theme x district matrix, suppressed and rounded)."""

    section: str | None = None  # a section's number
    stance: str | None = None
    channel: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args, round_: Round) -> "Filters":
        def pick(name, allowed):
            value = args.get(name) or None
            return value if value in allowed else None

        return cls(section=pick("section", {s.number for s in round_.sections}),
                   stance=pick("stance", set(STANCES)), channel=pick("channel", {c.value for c in Channel}),
                   date_from=_day(args.get("date_from")), date_to=_day(args.get("date_to")))

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))

    def args(self, **changes) -> dict:
        """The filters as URL query values (for links that keep them), with some changed."""
        values = {f.name: getattr(self, f.name) for f in fields(self)} | changes
        return {name: value.isoformat() if isinstance(value, date) else value
                for name, value in values.items() if value is not None}

    def key(self) -> tuple:
        """The filters as a cache key: the same filters give the same key, however the URL spelt them."""
        return tuple(sorted(self.args().items()))

    def conditions(self, round_: Round) -> list:
        """What the filters ask of the round's published comments, as query conditions: stance too,
        as summaries read it (analysis.services.with_stance)."""
        conditions = []
        if self.section is not None:
            conditions.append(Comment.section_id.in_([s.id for s in round_.sections if s.number == self.section]))
        if self.channel is not None:
            conditions.append(Comment.channel == self.channel)
        if self.date_from is not None:  # the city's days, as the trend counts them; created_at is naive UTC
            conditions.append(Comment.created_at >= from_local(datetime.combine(self.date_from, time.min)))
        if self.date_to is not None:
            conditions.append(Comment.created_at < from_local(datetime.combine(self.date_to + timedelta(days=1), time.min)))
        if self.stance:
            conditions.append(Comment.id.in_(with_stance(self.stance).where(Comment.round_id == round_.id)))
        return conditions

    def comments(self, round_: Round) -> list[Comment]:
        """The round's published comments that pass every filter, oldest first."""
        return published(round_.id, *self.conditions(round_))

    def keep_all(self, round_: Round) -> bool:
        """Whether the filters keep every published comment ("this month" of a round held this month)."""
        count = select(func.count()).select_from(Comment).where(Comment.round_id == round_.id, Comment.status == CommentStatus.PUBLISHED)
        return db.session.scalar(count) == db.session.scalar(count.where(*self.conditions(round_)))


# A filtered recount reads every comment it keeps (seconds on a large round): each official may
# start a few new ones a minute, so a script cannot tie up the server. Repeats come from the cache
# and are not counted.
FILTERED_RECOUNTS = "6 per minute"


def summary_stamp(round_: Round) -> str:
    """What filtered summaries are cached by. With a job queue, the stored summary's version: a
    filtered view is recounted when the unfiltered one is, and lags changes as long. Without one,
    the data's own stamp, so any change (a comment published, a tag corrected) is counted at once."""
    stored = stored_summary_version(round_)
    return repr(stored if stored is not None else _state_stamp(round_.id))


def filtered_summary(round_: Round, filters: Filters, stamp: str | None = None) -> Summary:
    """The summary of the filtered comments, counted once per data stamp and filters and then
    kept in the fragment cache (every process shares it with Redis)."""

    def recount() -> dict:
        if has_request_context() and current_user.is_authenticated:
            with limiter.limit(FILTERED_RECOUNTS, key_func=lambda: f"user:{current_user.id}", scope="filtered-summary",
                               error_message=_("You have asked for many different filtered summaries in a short "
                                               "time. Wait a minute, or use a filter you have used already.")):
                pass
        if filters.keep_all(round_):  # the same comments as the round's own summary: no need to count them again
            return json.loads(json.dumps(asdict(build_summary(round_))))
        with collector_paused():
            return json.loads(json.dumps(asdict(_compute_summary(round_, filters.comments(round_)))))  # a stored one's shape

    parts = ("filtered-summary", stamp or summary_stamp(round_), *filters.key())
    # The stamp is in the key: version 0 always fits. The numbers are the same in every language.
    return _from_json(cached_fragment(round_.id, 0, parts, recount, per_language=False))


def first_filters(round_: Round) -> list[Filters]:
    """The filtered views officials open first: one stance, or one section."""
    return [Filters(stance=stance) for stance in STANCES] + [Filters(section=s.number) for s in round_.sections]


@job
def precount_filter(round_id: int, index: int, version: float) -> None:
    """A job: count first_filters(round)[index] into the cache under the stored summary's version
    (the summary job starts this after each recount), then queue the next one. On a large round a
    first count takes seconds, a counted one milliseconds; one filter a job, so a comment's
    tagging waits for one count, not all of them."""
    round_ = db.session.get(Round, round_id)
    if round_ is None or stored_summary_version(round_) != version:
        return  # the summary was counted again meanwhile, and that count started its own chain
    todo = first_filters(round_)
    if index < len(todo):
        filtered_summary(round_, todo[index])
    if index + 1 < len(todo):
        enqueue(precount_filter, round_id, index + 1, version)


def stance_bars(summary: Summary) -> dict:
    """theme key -> the segments of its stance bar (templates/reports/_dashboard.html draws them)."""
    return {t.key: stacked_bar_layout([(s, STANCE_LABELS[s], t.stance.get(s, 0)) for s in STANCES])
            for t in summary.themes}


def heatmap(matrix: dict) -> dict:
    """A matrix with each cell as (shown count or "fewer than 5", shade level, column value, column label)."""
    if not matrix or not matrix.get("rows"):
        return {"columns": [], "rows": []}
    top = max((cell for _, _, cells in matrix["rows"] for cell in cells if isinstance(cell, int)), default=0)
    return {"columns": matrix["columns"],
            "rows": [(key, label, [(cell, heat_level(cell, top), value, heading)
                                   for cell, (value, heading) in zip(cells, matrix["columns"])])
                     for key, label, cells in matrix["rows"]]}


# The summary's languages as its page (translated) and the numbers CSV (in English) name them.
LANGUAGE_NAMES = {"en": N_("English"), "es": N_("Spanish"), "other": N_("other languages")}


def numbers_csv(summary: Summary, filters: Filters) -> str:
    """Every number the summary's charts and tables show, one per line: chart, row, column, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["chart", "row", "column", "value"])
    lines = [("filters", name, "", value) for name, value in filters.args().items()]
    lines += [("totals", "all", name, getattr(summary, name)) for name in ("comments", "voices", "commenters", "supports")]
    for t in summary.themes:
        lines += [("themes", t.label, name, getattr(t, name)) for name in ("voices", "comments", "commenters", "supports")]
        lines += [("themes", t.label, f"stance: {s}", t.stance.get(s, 0)) for s in STANCES]
        lines += [("themes", t.label, "signatures on form letters", sum(size for _, size in t.campaigns))]
    for name, matrix in (("theme by section", summary.section_matrix), ("theme by district", summary.district_matrix)):
        labels = [label for _, label in (matrix or {}).get("columns", [])]
        lines += [(name, THEMES.get(key, label), column, cell)
                  for key, label, cells in (matrix or {}).get("rows", []) for column, cell in zip(labels, cells)]
    lines += [("comments per day", day, "comments", count) for day, count in summary.trend]
    lines += [("comments by channel", channel, "comments", count) for channel, count in summary.channels]
    for lang, count, untagged in summary.languages:
        lines += [("comments by language", LANGUAGE_NAMES[lang], "comments", count),
                  ("comments by language", LANGUAGE_NAMES[lang], "without a theme, waiting for a person", untagged)]
    lines += [("sections", f"{number}. {heading}", "comments", count) for number, heading, count, _ in summary.sections]
    lines += [("residents by district", district, "residents", count) for district, count, _, _ in summary.districts]
    lines += [(f"residents by {question.lower()}", answer, "residents", count)
              for question, rows in summary.other_answers.items() for answer, count in rows]
    for line in lines:
        writer.writerow([_safe_cell(value) for value in line])
    return out.getvalue()
