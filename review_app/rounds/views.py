"""Public pages of rounds: the home page and a round's change history."""

from flask import Blueprint, render_template

from . import services

bp = Blueprint("rounds", __name__)


@bp.get("/")
def home():
    from ..reports.actions import loop_stage

    groups = services.list_rounds_for_home()
    stages = {round_.id: loop_stage(round_) for rounds in groups.values() for round_, _ in rounds}
    return render_template("rounds/home.html", groups=groups, stages=stages)


@bp.get("/rounds/<slug>/changes")
def changes(slug: str):
    round_ = services.get_public_round_or_404(slug)
    return render_template("rounds/changes.html", round=round_, revisions=services.round_changes(round_))
