"""Jinja filters and globals shared by every template."""

from flask import Flask

from .text import linkify_plain_text, render_rich_text


def format_date(value, fmt: str = "%d %B %Y") -> str:
    return value.strftime(fmt).lstrip("0") if value else ""


def format_datetime(value) -> str:
    return value.strftime("%d %B %Y, %H:%M UTC").lstrip("0") if value else ""


def init_app(app: Flask) -> None:
    from .moderation.models import REASON_LABELS

    # Residents see moderators' reasons beside their comments and in threads.
    app.jinja_env.globals["reason_labels"] = REASON_LABELS
    app.jinja_env.filters["linkify"] = linkify_plain_text
    app.jinja_env.filters["rich_text"] = render_rich_text
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
