"""The moderators' workspace, the resident's flag button and the public moderation summary."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.models import Role, User
from ..analysis.models import Campaign
from ..analysis.services import effective_themes
from ..comments.models import Comment
from ..extensions import db, limiter
from ..inputs import int_arg, page_arg
from ..labels import THEME_LABELS, status_label
from ..rounds.services import all_rounds, get_public_round_or_404
from ..security import roles_required
from . import services
from .forms import BulkForm, ButtonForm, DecisionForm, FlagForm, RedactForm, SpanForm, ThemeForm
from .models import KEEP_REASONS, REMOVAL_REASONS

bp = Blueprint("moderation", __name__)
moderators_only = roles_required(Role.MODERATOR)


def _comment_or_404(comment_id: int) -> Comment:
    return db.session.get(Comment, comment_id) or abort(404)


@bp.get("/moderation/")
@moderators_only
def queue():
    round_id = int_arg("round")
    reason = request.args.get("reason")
    reason = reason if reason in services.QUEUE_REASONS else None
    section_id = int_arg("section")
    theme = request.args.get("theme")
    page = page_arg()
    items, total = services.queue(round_id, reason, page, section_id=section_id, theme=theme)
    return render_template(
        "moderation/queue.html", items=items, total=total, page=page, per_page=25, round_id=round_id,
        reason=reason, reasons=services.QUEUE_REASONS, rounds=all_rounds(), theme=theme, themes=THEME_LABELS,
        section_id=section_id,
        campaigns=services.campaigns(round_id),
        decision_form=DecisionForm(), decisions=services.DECISIONS, keep_reasons=KEEP_REASONS,
        removal_reasons=REMOVAL_REASONS,
        confirm_ids={item.comment.id for item in items if services.needs_pii_confirmation(item.comment)},
        segments={item.comment.id: services.pii_segments(item.comment) for item in items},
    )


@bp.get("/moderation/comments/<int:comment_id>")
@moderators_only
def comment(comment_id: int):
    item = _comment_or_404(comment_id)
    themes, stance = effective_themes(item)
    return render_template(
        "moderation/comment.html", comment=item, decision=DecisionForm(),
        redact_form=RedactForm(text=services.suggested_redaction(item)), segments=services.pii_segments(item),
        original_segments=services.pii_segments(item, original=True),
        theme_form=ThemeForm(themes=themes, stance=stance or "unclear"),
        keep_reasons=KEEP_REASONS, removal_reasons=REMOVAL_REASONS,
        own=item.author_id == current_user.id, decisions=services.DECISIONS,
        confirm_pii=services.needs_pii_confirmation(item),
    )


def _back(comment_id: int):
    return redirect(request.form.get("next") if request.form.get("next", "").startswith("/moderation/") else url_for(".comment", comment_id=comment_id))


@bp.post("/moderation/comments/<int:comment_id>/decide")
@moderators_only
def decide(comment_id: int):
    item = _comment_or_404(comment_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose a decision and a reason."), "error")
        return _back(comment_id)
    try:
        services.decide(item, current_user, form.action.data, form.reason.data, form.note.data, form.pii_confirmed.data)
    except services.ModerationProblem as problem:
        flash(str(problem), "error")
    else:
        flash(_("Comment %(id)d is now %(status)s.", id=item.id, status=status_label(item.status)), "success")
    return _back(comment_id)


@bp.post("/moderation/comments/<int:comment_id>/redact")
@moderators_only
def redact(comment_id: int):
    item = _comment_or_404(comment_id)
    form = RedactForm()
    try:
        if not form.validate_on_submit():
            raise services.ModerationProblem(_("The redacted text cannot be empty."))
        services.redact(item, current_user, form.text.data, form.note.data)
    except services.ModerationProblem as problem:
        flash(str(problem), "error")
    else:
        flash(_("The redacted text is what the public will see."), "success")
    return redirect(url_for(".comment", comment_id=comment_id))


@bp.post("/moderation/comments/<int:comment_id>/redact-span")
@moderators_only
def redact_span(comment_id: int):
    """One click on a highlight: that span gives way to its placeholder."""
    item = _comment_or_404(comment_id)
    form = SpanForm()
    try:
        if not form.validate_on_submit():
            raise services.ModerationProblem(_("That text is no longer in the comment: the page was out of date. "
                                               "Look at the comment again below."))
        services.redact_span(item, current_user, form.start.data, form.end.data, form.text.data)
    except services.ModerationProblem as problem:
        flash(str(problem), "error")
    else:
        flash(_("Removed from comment %(id)d; the public sees the placeholder instead.", id=item.id) if item.status != "held"
              else _("Removed from comment %(id)d; it stays held until the rest is removed or decided on.", id=item.id),
              "success")
    return _back(comment_id)


@bp.post("/moderation/bulk")
@moderators_only
def bulk():
    """One decision for the comments ticked in the queue, each checked as if decided alone."""
    form = BulkForm()
    back = redirect(request.form.get("next") if request.form.get("next", "").startswith("/moderation/") else url_for(".queue"))
    if not form.validate_on_submit():
        flash(_("Tick the comments to act on, and choose a reason.") if not form.ids.data else _("Choose a reason."), "error")
        return back
    comments = db.session.scalars(select(Comment).where(Comment.id.in_(form.ids.data)).order_by(Comment.id)).all()
    try:
        decided, skipped = services.decide_many(comments, current_user, form.action.data, form.reason.data, form.note.data)
    except services.ModerationProblem as problem:
        flash(str(problem), "error")
        return back
    if decided:
        flash(ngettext("%(num)d comment decided: %(ids)s.", "%(num)d comments decided: %(ids)s.", len(decided),
                       ids=", ".join(str(c.id) for c in decided)), "success")
    for comment, why in skipped:
        flash(_("Comment %(id)d was skipped: %(why)s", id=comment.id, why=why), "error")
    return back


@bp.get("/moderation/campaigns/<int:campaign_id>")
@moderators_only
def campaign_review(campaign_id: int):
    item = db.session.get(Campaign, campaign_id) or abort(404)
    return render_template("moderation/campaign.html", campaign=item, review=services.campaign_review(item, page_arg()))


@bp.post("/moderation/comments/<int:comment_id>/themes")
@moderators_only
def correct_themes(comment_id: int):
    item = _comment_or_404(comment_id)
    form = ThemeForm()
    if form.validate_on_submit():
        services.correct_themes(item, current_user, form.themes.data, form.stance.data)
        flash(_("Themes saved; summaries use them at once."), "success")
    else:
        flash(_("Choose known themes and a stance."), "error")
    return redirect(url_for(".comment", comment_id=comment_id))


@bp.post("/moderation/campaigns/<int:campaign_id>/<any(confirm, split):verdict>")
@moderators_only
def campaign(campaign_id: int, verdict: str):
    item = db.session.get(Campaign, campaign_id) or abort(404)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    if verdict == "confirm":
        services.confirm_campaign(item, current_user)
        flash(_("Campaign confirmed: counted as one voice with its signatures."), "success")
    else:
        services.split_campaign(item, current_user, form.note.data)
        flash(_("Campaign split: each comment counts on its own."), "success")
    return redirect(url_for(".queue"))


@bp.post("/moderation/users/<int:user_id>/<any(block, unblock):verdict>")
@moderators_only
def block(user_id: int, verdict: str):
    user = db.session.get(User, user_id) or abort(404)
    form = ButtonForm()
    if not form.validate_on_submit() or (verdict == "block" and not (form.note.data or "").strip()):
        flash(_("Give a reason for blocking the account."), "error")
        return redirect(request.referrer or url_for(".queue"))
    try:
        if verdict == "block":
            services.block_user(user, current_user, form.note.data)
        else:
            services.unblock_user(user, current_user, form.note.data)
    except services.ModerationProblem as problem:
        flash(str(problem), "error")
    else:
        flash(_("The account is blocked from commenting.") if verdict == "block" else _("The account is unblocked."), "success")
    return redirect(url_for(".log"))


@bp.get("/moderation/log")
@moderators_only
def log():
    round_id = int_arg("round")
    page = page_arg()
    return render_template("moderation/log.html", entries=services.log_entries(round_id, page), round_id=round_id,
                           rounds=all_rounds())


@bp.route("/comments/<int:comment_id>/flag", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per hour", methods=["POST"])
def flag(comment_id: int):
    item = _comment_or_404(comment_id)
    if not item.is_public:
        abort(404)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            added = services.flag(item, current_user, form.reason.data)
        except services.ModerationProblem as problem:
            flash(str(problem), "error")
        else:
            flash(_("Thank you. Moderators will look at it.") if added else _("You have already flagged this comment."), "success")
        return redirect(url_for("comments.thread", slug=item.round.slug, comment_id=item.thread_id or item.id))
    return render_template("moderation/flag.html", comment=item, form=form), 422 if form.errors else 200


@bp.get("/rounds/<slug>/moderation")
def summary(slug: str):
    round_ = get_public_round_or_404(slug)
    return render_template("moderation/summary.html", round=round_, summary=services.public_summary(round_.id))


