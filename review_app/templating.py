"""Jinja filters and globals shared by every template."""

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date as babel_date
from flask_babel import get_locale

from .timeutil import local
from .text import in_language, linkify_plain_text, marked_body, render_rich_text

# Day, month in words and year in every language ("5 March 2026", "5 de marzo de 2026").
DATE_PATTERNS = {"en": "d MMMM y", "es": "d 'de' MMMM 'de' y"}


def format_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, datetime):  # a stored moment: the day it was in the city
        value = local(value).date()
    return babel_date(value, DATE_PATTERNS.get(str(get_locale() or "en"), DATE_PATTERNS["en"]))


def _milestones(text) -> list[dict]:
    from .reports.actions import milestone_list

    try:
        return milestone_list(text or "")
    except ValueError:  # a version published before milestones were checked: shown as typed
        return [{"on": "", "title": line} for line in (text or "").splitlines() if line.strip()]


def format_datetime(value) -> str:
    """A stored moment on the city's clock, naming its zone: "5 March 2026, 18:00 CST"."""
    if not value:
        return ""
    shown = local(value)
    return f"{format_date(shown.date())}, {shown:%H:%M} {shown.tzname()}"


def init_app(app: Flask) -> None:
    from flask_babel import gettext

    from .i18n import N_
    from .labels import answer_label, round_status_label, stance_label, status_label, theme_label
    from .moderation.models import ACTION_LABELS, PII_KIND_LABELS, REASON_LABELS
    from .moderation.services import waiting_total
    from .reports.charts import bar_chart_layout

    # Residents see moderators' reasons beside their comments and in threads.
    app.jinja_env.globals["reason_labels"] = REASON_LABELS
    app.jinja_env.globals["action_labels"] = ACTION_LABELS
    app.jinja_env.globals["moderation_waiting"] = waiting_total  # the header's count, for moderators
    app.jinja_env.globals["bar_chart_layout"] = bar_chart_layout  # templates/reports/_charts.html draws it
    app.jinja_env.filters["linkify"] = linkify_plain_text
    app.jinja_env.filters["rich_text"] = render_rich_text
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["iso_date"] = lambda value: format_date(date.fromisoformat(value[:10])) if value else ""
    app.jinja_env.filters["milestones"] = lambda text: _milestones(text)
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["in_language"] = in_language
    app.jinja_env.filters["marked_body"] = marked_body
    app.jinja_env.filters["theme_label"] = theme_label
    app.jinja_env.filters["answer_label"] = answer_label
    app.jinja_env.filters["stance_label"] = stance_label
    app.jinja_env.filters["status_label"] = status_label
    app.jinja_env.filters["round_status_label"] = round_status_label
    app.jinja_env.filters["pii_kind_label"] = lambda kind: gettext(PII_KIND_LABELS.get(kind, N_("personal data")))
