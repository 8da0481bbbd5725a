"""Residents' pages: a round with its threads, a section, a thread, submitting, receipts, supports."""

import secrets

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from ..extensions import limiter
from ..fragment_cache import cached_fragment, render_fragment, round_fragment, visitor_page
from ..inputs import page_arg, whole_number
from ..moderation import services as moderation
from ..reports import actions
from ..reports.share import round_meta
from ..rounds.services import get_public_round_or_404, latest_revision
from ..timeutil import city_today, local, utcnow
from . import services
from .forms import ButtonForm, CommentForm, DemographicsForm

bp = Blueprint("comments", __name__)

DRAFTS_KEY = "comment_drafts"  # text kept in the session while a resident signs in
RECEIPTS_KEY = "receipts"  # receipts this browser submitted, so only it can open them
CACHED_PAGES = 20  # pages of threads kept in the fragment cache, per sort and section
USUAL_QUERIES = {"sort": set(services.SORTS), "page": {str(n) for n in range(1, CACHED_PAGES + 1)}}


def _viewer_id():
    return current_user.id if current_user.is_authenticated else None


def _sort() -> str:
    sort = request.args.get("sort", "newest")
    return sort if sort in services.SORTS else "newest"


def _form_for(round_, **defaults) -> CommentForm:
    draft = session.get(DRAFTS_KEY, {}).get(round_.slug)
    form = CommentForm(round_=round_, formdata=None, **defaults)
    if draft:
        form.body.data = draft
    return form


def _for_visitors(round_, version: int, parts: tuple, render) -> str:
    """Signed-in viewers see their own pending comments and buttons: render for them. Everyone
    else sees the same, so they share a cached fragment of that version."""
    return render() if current_user.is_authenticated else cached_fragment(round_.id, version, parts, render)


def _threads_html(round_, section) -> str:
    """The page of threads the viewer asked for."""
    sort, page_number, section_id = _sort(), page_arg(), section.id if section else None

    def render() -> str:
        per_page = None if section else current_app.config["ROUND_PAGE_THREADS"]
        page = services.thread_page(round_, _viewer_id(), sort, page_number, section_id, per_page)
        ids = [c.id for c in page.threads.items] + [r.id for replies in page.replies.values() for r in replies]
        return render_fragment(
            "comments/_threads.html", round=round_, section=section, page=page, sort=sort, sorts=services.SORT_LABELS,
            supported=services.supported_ids(current_user, ids), button_form=ButtonForm(),
        )

    if page_number > CACHED_PAGES:  # any number can be asked for: keep the cache for the pages people read
        return render()
    parts = ("threads", section_id, sort, page_number, round_.accepting_comments)
    return _for_visitors(round_, round_.content_version, parts, render)


def _fields_html(round_, form, show_sections: bool) -> str | None:
    """The comment form's fields, the same for every visitor given a blank form: cached for them."""
    if current_user.is_authenticated or form.body.data or form.errors:
        return None  # the comment_form macro renders them
    parts = ("form", show_sections, bool(form.parent_id.data), form.section_id.data, form.origin.data)
    return cached_fragment(round_.id, round_.settings_version, parts, lambda: render_fragment(
        "comments/_form_fields.html", form=form, round=round_, show_sections=show_sections
    ))


def _phase(round_) -> str:
    """Where the round stands for a resident: draft, upcoming, open, closed or reported."""
    if round_.accepting_comments:
        return "open"
    if round_.status == "open" and round_.opens_at and utcnow() < round_.opens_at:
        return "upcoming"
    return round_.status if round_.status in ("draft", "reported") else "closed"


def _days_left(round_) -> int | None:
    """Calendar days in the city until an open round closes: 0 on its last day. The page says "closes
    in N days", so its cached copies are kept per day."""
    if not (round_.accepting_comments and round_.closes_at):
        return None
    return (local(round_.closes_at).date() - city_today()).days


def _overview_html(round_) -> str:
    """The round's facts and policy text with the number of comments on each section: cached."""
    phase, days_left = _phase(round_), _days_left(round_)
    return round_fragment(round_, ("overview", phase, days_left), lambda: render_fragment(
        "comments/_round_overview.html", round=round_, counts=services.section_comment_counts(round_),
        has_changes=len(round_.revisions) > 1, latest_revision=latest_revision(round_), phase=phase,
        days_left=days_left, stage=actions.loop_stage(round_), policy=actions.policy_round(round_),
    ))


def _render_round(round_, form, section=None) -> str:
    template = "comments/section.html" if section else "comments/round.html"
    return render_template(
        template,
        round=round_,
        section=section,
        form=form,
        overview=None if section else _overview_html(round_),
        fields=_fields_html(round_, form, show_sections=section is None),
        threads=_threads_html(round_, section),
        share=None if section else round_meta(round_),
    )


def _round_view(slug: str, render, part: tuple[str, int | str] | None = None) -> str:
    """render(round, idempotency key) -> the page. Visitors who would all see the same page share
    it whole from the cache: no form, layout or query runs for them."""
    holes = {"key": secrets.token_urlsafe(24)}
    if current_app.config["WTF_CSRF_ENABLED"]:
        holes["csrf"] = generate_csrf()
    own_draft = bool(session.get(DRAFTS_KEY, {}).get(slug))  # their own text is in the form
    return visitor_page(slug, holes, lambda round_: render(round_, holes["key"]), USUAL_QUERIES, personal=own_draft,
                        part=part)


@bp.get("/rounds/<slug>")
def round_page(slug: str):
    return _round_view(slug, lambda round_, key: _render_round(round_, _form_for(round_, idempotency_key=key)))


def _section_or_404(round_, number: str):
    return next((s for s in round_.sections if s.number == number), None) or abort(404)


@bp.get("/rounds/<slug>/sections/<number>")
def section_page(slug: str, number: str):
    def render(round_, key) -> str:
        section = _section_or_404(round_, number)
        form = _form_for(round_, section_id=str(section.id), origin="section", idempotency_key=key)
        return _render_round(round_, form, section=section)

    return _round_view(slug, render, part=("section", number))


def _conversation_html(round_, root) -> str:
    """The thread with its replies."""

    def render() -> str:
        page = services.ThreadPage(threads=None, replies=services.replies_of([root.id], _viewer_id()))
        ids = [root.id] + [r.id for replies in page.replies.values() for r in replies]
        return render_fragment(
            "comments/_conversation.html", round=round_, root=root, page=page,
            supported=services.supported_ids(current_user, ids), button_form=ButtonForm(),
        )

    version = round_.settings_version + root.thread_version  # this thread and the round's settings
    return _for_visitors(round_, version, ("thread", root.id, round_.accepting_comments), render)


def _replied_to(round_, root, form):
    """The comment the reply form answers, if it is in this thread and shows its author's name."""
    parent_id = whole_number(form.parent_id.data)
    parent = root if parent_id == root.id else parent_id and services.visible_comment(round_, parent_id, _viewer_id())
    if parent and (parent.thread_id or parent.id) == root.id and parent.status not in ("hidden", "withdrawn"):
        return parent
    return None


def _render_thread(round_, root, form) -> str:
    return render_template(
        "comments/thread.html", round=round_, root=root, form=form, conversation=_conversation_html(round_, root),
        fields=_fields_html(round_, form, show_sections=True), parent=_replied_to(round_, root, form),
    )


@bp.get("/rounds/<slug>/comments/<int:comment_id>")
def thread(slug: str, comment_id: int):
    def render(round_, key) -> str:
        root = services.get_thread(round_, comment_id, _viewer_id()) or abort(404)
        form = _form_for(round_, parent_id=str(request.args.get("reply_to", root.id)), origin="thread", idempotency_key=key)
        return _render_thread(round_, root, form)

    return _round_view(slug, render, part=("thread", comment_id))


def _too_many_comments(_limit):
    """Over the limit: show the form again with the text, so nothing typed is lost."""
    round_ = get_public_round_or_404(request.view_args["slug"])
    form = CommentForm(round_=round_)
    form.body.errors = [_("You have sent many comments in a short time. Please wait a few minutes and send this one again.")]
    response = _rerender_with_errors(round_, form)
    return make_response(response[0], 429)


@bp.post("/rounds/<slug>/comments")
@limiter.limit("5 per minute;60 per day", on_breach=_too_many_comments)
def submit(slug: str):
    round_ = get_public_round_or_404(slug)
    form = CommentForm(round_=round_)
    if form.website.data:
        # A bot filled the hidden field: answer as if all went well and store nothing.
        flash(_("Thank you, your comment was received."), "success")
        return redirect(url_for(".round_page", slug=slug))
    if form.validate_on_submit():
        if not current_user.is_authenticated and not round_.allow_anonymous:
            session.setdefault(DRAFTS_KEY, {})[slug] = form.body.data
            session.modified = True
            flash(_("Sign in to comment on this review. Your text is kept and will be in the form."), "info")
            return redirect(url_for("accounts.login", next=url_for(".round_page", slug=slug)))
        submission = services.Submission(
            body=form.body.data,
            section_id=whole_number(form.section_id.data),
            parent_id=whole_number(form.parent_id.data),
            stance=form.stance.data or None,
            display_name=form.display_name.data,
            email=form.email.data,
            idempotency_key="web:" + form.idempotency_key.data,  # apart from API clients' keys ("api:<token>:")
            known_receipts=tuple(session.get(RECEIPTS_KEY, [])),
        )
        try:
            comment = services.submit_comment(round_, current_user, submission)
        except services.CommentProblem as problem:
            getattr(form, problem.field).errors.append(str(problem))
        else:
            session.get(DRAFTS_KEY, {}).pop(slug, None)
            receipts = session.setdefault(RECEIPTS_KEY, [])
            if comment.receipt not in receipts:
                session[RECEIPTS_KEY] = (receipts + [comment.receipt])[-20:]
            return redirect(url_for(".receipt", receipt=comment.receipt))
    return _rerender_with_errors(round_, form)


def _rerender_with_errors(round_, form):
    """Show the page the form came from, with the errors and everything the resident typed."""
    parent_id = whole_number(form.parent_id.data)
    if parent_id is not None:
        root = services.get_thread(round_, parent_id, _viewer_id())
        if root is not None:
            return _render_thread(round_, root, form), 422
    section = None
    if form.origin.data == "section":
        section_id = whole_number(form.section_id.data)
        section = next((s for s in round_.sections if s.id == section_id), None)
    return _render_round(round_, form, section=section), 422


@bp.get("/comments/receipt/<receipt>")
def receipt(receipt: str):
    comment = services.get_by_receipt(receipt)
    mine = comment is not None and (
        receipt in session.get(RECEIPTS_KEY, []) or (comment.author_id is not None and comment.author_id == _viewer_id())
    )
    if not mine:
        abort(404)
    return render_template("comments/receipt.html", comment=comment, round=comment.round)


def _supportable_or_404(comment_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    return services.supportable_comment(comment_id) or abort(404)


def _back_to(comment):
    return redirect(
        url_for(".thread", slug=comment.round.slug, comment_id=comment.thread_id or comment.id, _anchor=f"c{comment.id}")
    )


def _supporter() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else "ip:" + (request.remote_addr or "")


# Supports are counted in summaries: an account clicking through a thread is welcome, a script is not.
SUPPORT_LIMITS = "20 per minute;300 per day"


@bp.post("/comments/<int:comment_id>/support")
@limiter.limit(SUPPORT_LIMITS, key_func=_supporter, scope="support")
@limiter.limit("60 per minute")
@login_required
def support(comment_id: int):
    comment = _supportable_or_404(comment_id)
    try:
        added = services.support(comment, current_user)
    except services.CommentProblem as problem:
        flash(str(problem), "error")
    else:
        flash(_("Thank you, your support is counted.") if added else _("You already support this comment."), "success")
    return _back_to(comment)


@bp.post("/comments/<int:comment_id>/unsupport")
@limiter.limit(SUPPORT_LIMITS, key_func=_supporter, scope="support")
@limiter.limit("60 per minute")
@login_required
def unsupport(comment_id: int):
    comment = _supportable_or_404(comment_id)
    if services.withdraw_support(comment, current_user):
        flash(_("Your support is withdrawn."), "success")
    return _back_to(comment)


@bp.get("/my/comments")
@login_required
def my_comments():
    return render_template("comments/mine.html", comments=services.comments_by(current_user.id))


@bp.route("/my/comments/<int:comment_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(comment_id: int):
    comment = services.own_comment(comment_id, current_user) or abort(404)
    form = ButtonForm()
    if form.validate_on_submit():
        moderation.withdraw(comment, current_user)
        flash(_("Your comment is withdrawn."), "success")
        return redirect(url_for(".my_comments"))
    return render_template("comments/withdraw.html", comment=comment, form=form)


@bp.route("/rounds/<slug>/about-you", methods=["GET", "POST"])
@login_required
def demographics(slug: str):
    round_ = get_public_round_or_404(slug)
    if not round_.asks_demographics:
        abort(404)
    if not round_.accepting_comments:
        # Answers are counted and published when the round closes; one added or changed later
        # would let its author read others' answers from the difference.
        flash(_("This review is closed: its answers are counted and can no longer be changed."), "info")
        return redirect(url_for(".round_page", slug=slug))
    answer = services.demographic_answer(round_, current_user.id)
    form = DemographicsForm(round_=round_, obj=answer)
    if form.validate_on_submit():
        services.save_demographics(
            round_, current_user.id, form.district.data, form.age_band.data, form.relationship_to_city.data
        )
        flash(_("Thank you. Your answers are saved and are never shown next to your comments."), "success")
        return redirect(url_for(".round_page", slug=slug))
    return render_template("comments/demographics.html", round=round_, form=form), 422 if form.errors else 200
