"""Admins issue and revoke integration tokens for the API."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..accounts.models import Role
from ..extensions import db
from ..i18n import Form
from ..rounds.forms import lines_of
from ..rounds.models import Round
from ..security import roles_required
from ..timeutil import utcnow
from .models import ApiToken

bp = Blueprint("api_admin", __name__, url_prefix="/admin/api-tokens")


class TokenForm(Form):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=100)])
    rounds = TextAreaField(_l("Round slugs it may write to, one per line (empty: every round)"))
    submit = SubmitField(_l("Create token"))


class RevokeForm(Form):
    submit = SubmitField(_l("Revoke"))


@bp.before_request
@roles_required(Role.ADMIN)
def _admins_only():
    """Every page here is for admins."""


def _page(form, secret=None):
    tokens = db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc())).all()
    return render_template("admin/api_tokens.html", form=form, tokens=tokens, secret=secret, revoke=RevokeForm())


@bp.route("/", methods=["GET", "POST"])
def tokens():
    form = TokenForm()
    if form.validate_on_submit():
        slugs = lines_of(form.rounds.data)
        known = set(db.session.scalars(select(Round.slug).where(Round.slug.in_(slugs))))
        if set(slugs) - known:
            form.rounds.errors.append(f"No round has the slug {sorted(set(slugs) - known)[0]}.")
        else:
            token, secret = ApiToken.issue(form.name.data.strip(), slugs, current_user.id)
            db.session.add(token)
            db.session.commit()
            return _page(TokenForm(formdata=None), secret)  # shown once, never stored
    return _page(form), 422 if form.errors else 200


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    if not RevokeForm().validate_on_submit():
        abort(400)
    token = db.session.get(ApiToken, token_id) or abort(404)
    token.revoked_at = token.revoked_at or utcnow()
    db.session.commit()
    flash(_("The token for %(name)s is revoked.", name=token.name), "success")
    return redirect(url_for(".tokens"))
