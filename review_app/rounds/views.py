"""Public pages of rounds: the home page and a round's change history."""

from flask import Blueprint, render_template

bp = Blueprint("rounds", __name__)


@bp.get("/")
def home():
    return render_template("rounds/home.html")
