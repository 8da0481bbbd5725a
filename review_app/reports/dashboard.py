"""The officials' dashboard over a round's summary: filters kept in the URL, the summary of the
filtered comments, heatmap tables, and the numbers behind every chart as CSV."""

import csv
import io
import json
from dataclasses import asdict, dataclass, fields
from datetime import date

from nlp import STANCES, THEMES

from ..analysis.services import labels_for
from ..comments.models import Channel
from ..i18n import N_
from ..rounds.models import Round
from .charts import heat_level, stacked_bar_layout
from .services import _safe_cell
from .summary import Summary, _compute_summary, _from_json, published

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

    def apply(self, round_: Round, comments: list) -> list:
        """The comments that pass every filter; stance is the one summaries use (labels_for)."""
        kept = [c for c in comments
                if (self.section is None or (c.section is not None and c.section.number == self.section))
                and (self.channel is None or c.channel == self.channel)
                and (self.date_from is None or c.created_at.date() >= self.date_from)
                and (self.date_to is None or c.created_at.date() <= self.date_to)]
        if self.stance:
            kept = [row.comment for row in labels_for(kept) if row.stance == self.stance]
        return kept


def filtered_summary(round_: Round, filters: Filters) -> Summary:
    """Counted on each request, not stored: a filtered view is asked for rarely, and each is different."""
    summary = _compute_summary(round_, filters.apply(round_, published(round_.id)))
    return _from_json(json.loads(json.dumps(asdict(summary))))  # the shape a stored one has


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
    lines += [("sections", f"{number}. {heading}", "comments", count) for number, heading, count, _ in summary.sections]
    lines += [("residents by district", district, "residents", count) for district, count, _, _ in summary.districts]
    lines += [(f"residents by {question.lower()}", answer, "residents", count)
              for question, rows in summary.other_answers.items() for answer, count in rows]
    for line in lines:
        writer.writerow([_safe_cell(value) for value in line])
    return out.getvalue()
