"""The four pages every page's footer links to. Their text is in the templates, translated; the
facts they state (reasons, retention, contact) come from the code and settings they describe."""

from flask import Blueprint, current_app, render_template

from ..moderation.models import FLAG_REASONS, KEEP_REASONS, REMOVAL_REASONS

bp = Blueprint("pages", __name__)


@bp.get("/guidelines")
def guidelines():
    return render_template("pages/guidelines.html", removal_reasons=REMOVAL_REASONS, keep_reasons=KEEP_REASONS,
                           flag_reasons=FLAG_REASONS)


@bp.get("/privacy")
def privacy():
    config = current_app.config
    return render_template("pages/privacy.html", retention_days=config["RETENTION_DAYS"],
                           idle_minutes=int(config["PERMANENT_SESSION_LIFETIME"].total_seconds() // 60),
                           absolute_hours=int(config["SESSION_ABSOLUTE_LIFETIME"].total_seconds() // 3600))


@bp.get("/accessibility")
def accessibility():
    return render_template("pages/accessibility.html")


@bp.get("/contact")
def contact():
    return render_template("pages/contact.html")
