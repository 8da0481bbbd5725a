"""Round and thread pages, comment submission, supports, receipts and a resident's own comments."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("comments", __name__)


@bp.get("/me/comments")
@login_required
def my_comments():
    return "mine"
