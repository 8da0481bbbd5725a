"""Registration, sign-in, sign-out and the account page."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("accounts", __name__, url_prefix="/account")


@bp.get("/")
@login_required
def account():
    return "account"


@bp.route("/login", methods=["GET", "POST"])
def login():
    return "login"


@bp.route("/register", methods=["GET", "POST"])
def register():
    return "register"


@bp.post("/logout")
def logout():
    return "logout"
