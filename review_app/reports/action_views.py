"""The response review (officials open it), the public action tracker, progress updates and follows."""

import csv
import io
import json
import secrets

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..accounts.models import Role
from ..extensions import db, limiter
from ..rounds.models import Round
from ..rounds.services import get_public_round_or_404, get_round_or_404
from . import actions, privacy, services, share
from .forms import ActionUpdateForm, FollowForm, ReviewForm, STATUS_LABELS, TokenForm
from .models import ThemeResponse
from .views import HEAVY_DOWNLOADS, STORED_FILES, bp, officials_only


@bp.route("/reports/<slug>/review", methods=["GET", "POST"])
@officials_only
def open_review(slug: str):
    """Put the draft plan to residents for comment, with a deadline."""
    round_ = get_round_or_404(slug)
    form = ReviewForm()
    review = actions.review_round(round_)
    if form.validate_on_submit():
        try:
            review = actions.open_review(round_, current_user, form.closes_on.data, details_confirmed=form.public_details.data)
        except privacy.PersonalDataProblem:  # listed above the form, beside the box to tick
            form.public_details.errors = [_("Take the personal data out of the plan, or tick this box.")]
        except (actions.ActionProblem, services.ReportProblem) as problem:
            form.closes_on.errors = [*form.closes_on.errors, str(problem)]
        else:
            flash(_("The draft response plan is public; residents can comment on each action until %(date)s.",
                    date=form.closes_on.data.isoformat()), "success")
            return redirect(url_for(".public_report", slug=slug))
    proposed = actions.draft_actions(round_)
    return render_template("reports/review.html", round=round_, form=form, review=review, actions=proposed,
                           found=privacy.plan_findings({a.theme: a for a in proposed}))


# ---- the public tracker ------------------------------------------------------------------------------

@bp.get("/rounds/<slug>/actions")
def actions_page(slug: str):
    round_ = get_public_round_or_404(slug)
    return render_template("reports/actions.html", round=round_, rows=actions.tracked(round_),
                           version=actions.final_version(round_), labels=STATUS_LABELS)


def _action_or_404(round_, action_id: int) -> dict:
    return actions.tracked_action(round_, action_id) or abort(404)


@bp.get("/rounds/<slug>/actions/<int:action_id>")
def action_page(slug: str, action_id: int):
    round_ = get_public_round_or_404(slug)
    row = _action_or_404(round_, action_id)
    return render_template("reports/action.html", round=round_, row=row, share=share.action_meta(round_, row),
                           form=FollowForm(), labels=STATUS_LABELS,
                           review=actions.review_round(round_), is_official=current_user.is_authenticated
                           and current_user.has_role(Role.OFFICIAL, Role.ADMIN))


@bp.get("/rounds/<slug>/actions/<int:action_id>/tile.png")
@limiter.limit(STORED_FILES)
def action_tile(slug: str, action_id: int):
    """The picture a link to the action shows on social media: its status and indicator."""
    round_ = get_public_round_or_404(slug)
    row = _action_or_404(round_, action_id)
    try:
        png = share.action_tile(round_, actions.final_version(round_), row)
    except OSError:  # WeasyPrint's system libraries (Pango) are not installed on this server
        abort(503, description=_("Pictures cannot be made on this server."))
    return Response(png, mimetype="image/png")


@bp.post("/rounds/<slug>/actions/<int:action_id>/follow")
@limiter.limit("10 per minute;50 per hour")
def follow(slug: str, action_id: int):
    round_ = get_public_round_or_404(slug)
    row = _action_or_404(round_, action_id)
    form = FollowForm()
    signed_in = current_user.is_authenticated and current_user.email_verified_at is not None
    if form.validate_on_submit() and (signed_in or form.email.data):
        if signed_in and not form.email.data:
            actions.follow(round_, action_id, current_user.email, confirmed=True)
            flash(_("You follow this action: we email %(email)s when it changes.", email=current_user.email), "success")
        else:
            confirmed = signed_in and form.email.data.strip().lower() == current_user.email.lower()
            actions.follow(round_, action_id, form.email.data, confirmed=confirmed)
            # The same answer whether or not the address already followed: it tells nothing about anyone.
            flash(_("You follow this action: we email you when it changes.") if confirmed else
                  _("Check your email: open the link we sent to start following this action."), "success")
        return redirect(url_for(".action_page", slug=slug, action_id=action_id))
    if not form.errors and not form.email.data:
        form.email.errors = [_("Enter your email, or sign in, to follow this action.")]
    return render_template("reports/action.html", round=round_, row=row, form=form, labels=STATUS_LABELS,
                           review=actions.review_round(round_), is_official=False), 400


@bp.route("/follows/confirm", methods=["GET", "POST"])
def confirm_follow():
    row = actions.follow_for_token(request.args.get("token", ""))
    form = TokenForm()
    if row is None:
        return render_template("reports/follow_token.html", row=None, form=None, unfollow=False), 404
    if form.validate_on_submit():
        actions.confirm_follow(row)
        flash(_("You follow this action: we email you when it changes."), "success")
        return redirect(url_for(".action_by_id", action_id=row.response_id))
    return render_template("reports/follow_token.html", row=row, form=form, unfollow=False)


@bp.route("/follows/unfollow", methods=["GET", "POST"])
def unfollow():
    row = actions.follow_for_token(request.args.get("token", ""))
    form = TokenForm()
    if row is None:
        return render_template("reports/follow_token.html", row=None, form=None, unfollow=True), 404
    if form.validate_on_submit():
        actions.unfollow(row)
        flash(_("You no longer follow this action. We will not email you about it again."), "success")
        return redirect(url_for("rounds.home"))
    return render_template("reports/follow_token.html", row=row, form=form, unfollow=True)


@bp.get("/actions/<int:action_id>")
def action_by_id(action_id: int):
    """An action's page from its id alone (the follow links carry only the id)."""
    response = db.session.get(ThemeResponse, action_id) or abort(404)
    round_ = db.session.get(Round, response.round_id)
    return redirect(url_for(".action_page", slug=round_.slug, action_id=action_id))


# ---- officials post progress ---------------------------------------------------------------------------

@bp.route("/reports/<slug>/actions/<int:action_id>/update", methods=["GET", "POST"])
@officials_only
def post_update(slug: str, action_id: int):
    round_ = get_round_or_404(slug)
    if actions.final_version(round_) is None:
        abort(400, description=_("The plan is not published yet: progress can be posted once the final plan is public."))
    row = _action_or_404(round_, action_id)
    form = ActionUpdateForm() if request.method == "POST" else ActionUpdateForm(status=row["status"] or "planned",
                                                                             key=secrets.token_urlsafe(24))
    form.milestone.choices = [SelectChoice("", _("None"))] + [SelectChoice(m["title"], f'{m["on"]}: {m["title"]}') for m in row["milestones"]]
    found = []
    if form.validate_on_submit():
        try:
            actions.post_update(round_, action_id, current_user, {
                "body": form.body.data, "status": form.status.data, "indicator_value": form.indicator_value.data,
                "measured_on": form.measured_on.data, "milestone": form.milestone.data}, form.key.data,
                details_confirmed=form.public_details.data)
        except privacy.PersonalDataProblem as problem:
            found = problem.found
            form.public_details.errors = [_("Take the personal data out of the update, or tick this box.")]
        except actions.ActionProblem as problem:
            form.milestone.errors = [str(problem)]
        else:
            flash(_("The update is public, and followers will get it by email."), "success")
            return redirect(url_for(".action_page", slug=slug, action_id=action_id))
    return render_template("reports/action_update.html", round=round_, row=row, form=form, found=found)


# ---- open data ------------------------------------------------------------------------------------------

CSV_FIELDS = ["id", "theme", "title", "status", "owner", "due_date", "policy_section", "indicator", "baseline", "target", "current_value",
              "measured_on", "data_source", "updates", "what_we_will_do"]


@bp.get("/rounds/<slug>/actions.csv")
@limiter.limit(HEAVY_DOWNLOADS)
def actions_csv(slug: str):
    round_ = get_public_round_or_404(slug)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for row in actions.tracker_data(round_):
        row["updates"] = len(row["updates"])
        writer.writerow([services._safe_cell(row[name]) for name in CSV_FIELDS])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{round_.slug}-actions.csv"'})


@bp.get("/rounds/<slug>/actions.json")
@limiter.limit(HEAVY_DOWNLOADS)
def actions_json(slug: str):
    round_ = get_public_round_or_404(slug)
    return Response(json.dumps({"round": round_.slug, "actions": actions.tracker_data(round_)}, ensure_ascii=False, indent=1),
                    mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{round_.slug}-actions.json"'})
