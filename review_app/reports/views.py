"""Officials' summary and plan pages; the public report and its open data."""

from types import SimpleNamespace

from wtforms import SelectChoice
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from nlp import THEMES

from ..accounts.models import Role
from ..analysis.services import labels_for
from ..comments.models import Channel
from ..extensions import limiter
from ..fragment_cache import CSRF_SLOT, cached_fragment, render_fragment, round_fragment, visitor_page, with_csrf_token
from ..i18n import N_
from ..inputs import page_arg, whole_number
from ..jobs import enqueue, queue, send_report_notices
from ..labels import theme_label
from ..rounds.models import RoundStatus
from ..rounds.services import get_public_round_or_404, get_round_or_404
from ..security import roles_required
from ..timeutil import utcnow
from . import privacy, services, share
from .dashboard import LANGUAGE_NAMES, STANCE_LABELS, Filters, filtered_summary, heatmap, numbers_csv, stance_bars, summary_stamp
from .forms import PlanForm, PublishForm, QuoteChoiceForm, RemovePublishedForm, ThemeResponseForm
from .quotes import choices, choices_version, current_quotes, set_choice, with_choices, with_current_quotes
from .summary import CAMPAIGNS_LISTED, QUOTES, build_summary, stored_summary_version

bp = Blueprint("reports", __name__)
staff_only = roles_required(Role.OFFICIAL, Role.MODERATOR)
# Files drawn or assembled per request: each costs far more than a page, so a few a minute per address.
HEAVY_DOWNLOADS = "10 per minute;100 per hour"
# Files drawn once per version, edition and language and then served as stored (services.stored_file,
# one drawing at a time per process): a social site's crawler may fetch many from one address.
STORED_FILES = "60 per minute;1000 per hour"
officials_only = roles_required(Role.OFFICIAL)


# The rendered summary is cached and shared by every official: each page puts its own CSRF
# token where the quote forms have this mark.


@bp.get("/reports/<slug>/summary")
@staff_only
def summary(slug: str):
    round_ = get_round_or_404(slug)
    filters = Filters.from_args(request.args, round_)
    can_choose = current_user.has_role(Role.OFFICIAL, Role.ADMIN)
    stamp = summary_stamp(round_) if filters else None

    def render():
        return _summary_body(round_, filters, stamp, can_choose)

    # The same for every official until the stored summary is rebuilt (unfiltered) or the data
    # change (filtered: the stamp is in the key), or a quote is chosen: rendered once for each.
    parts = ("summary", can_choose, *choices_version(round_.id))
    if filters:
        body = cached_fragment(round_.id, 0, (*parts, stamp, *filters.key()), render)
    else:
        version = stored_summary_version(round_)
        body = render() if version is None else cached_fragment(round_.id, version, parts, render)
    body = with_csrf_token(body)
    return render_template("reports/summary.html", round=round_, body=body, filters=filters,
                           stances=STANCE_LABELS, channels=[c.value for c in Channel])


def _summary_body(round_, filters, stamp, can_choose: bool) -> str:
    """The dashboard under the filters: overview, stance bars, heatmaps, trend and quotes."""
    summary = filtered_summary(round_, filters, stamp) if filters else build_summary(round_)
    chosen = choices(round_.id)
    themes_quotes = {t.key: with_choices(t.key, t.quotes, chosen, QUOTES) for t in summary.themes}
    dropped = {theme: [cid for cid, pinned in mine.items() if not pinned] for theme, mine in chosen.items()}
    ids = [q["id"] for quotes in themes_quotes.values() for q in quotes] + [i for d in dropped.values() for i in d]
    return render_fragment(
        "reports/_summary_body.html", summary=summary, round=round_, filters=filters, quotes=current_quotes(ids),
        themes_quotes=themes_quotes, dropped=dropped, can_choose=can_choose, csrf_slot=CSRF_SLOT,
        bars=stance_bars(summary), stance_labels=STANCE_LABELS, section_heat=heatmap(summary.section_matrix),
        district_heat=heatmap(summary.district_matrix), campaigns_listed=CAMPAIGNS_LISTED, language_names=LANGUAGE_NAMES)


@bp.get("/reports/<slug>/briefing.pdf")
@staff_only
@limiter.limit(HEAVY_DOWNLOADS)
def briefing_pdf(slug: str):
    """The summary under the same filters as a PDF to take into a meeting: the numbers, charts and
    quotes as they are now, with the filters and the time it was made on its first page."""
    round_ = get_round_or_404(slug)
    filters = Filters.from_args(request.args, round_)
    body = _summary_body(round_, filters, summary_stamp(round_) if filters else None, can_choose=False)
    html = render_template("reports/briefing.html", round=round_, body=body, filters=filters, made_at=utcnow())
    try:
        pdf = services.pdf_of(html)
    except OSError:  # WeasyPrint's system libraries (Pango) are not installed on this server
        abort(503, description=_("PDF files cannot be made on this server; print the summary page instead."))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{round_.slug}-briefing.pdf"'})


@bp.get("/reports/<slug>/summary.csv")
@staff_only
def summary_csv(slug: str):
    """The numbers behind every chart and table of the summary, with the same filters."""
    round_ = get_round_or_404(slug)
    filters = Filters.from_args(request.args, round_)
    summary = filtered_summary(round_, filters) if filters else build_summary(round_)
    return Response(numbers_csv(summary, filters), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{round_.slug}-summary.csv"'})


@bp.get("/reports/<slug>/themes/<theme>")
@staff_only
def theme_comments(slug: str, theme: str):
    """The comments behind a theme's numbers, narrowed by the summary's filters (a matrix cell
    is a theme with a section or district filter)."""
    round_ = get_round_or_404(slug)
    if theme not in THEMES:
        abort(404)
    filters = Filters.from_args(request.args, round_)
    labelled = labels_for(filters.comments(round_))
    rows = [row for row in labelled if theme in row.themes]
    maybe = [row for row in labelled if theme not in row.themes and theme in row.uncertain]  # near the threshold
    pages = max(1, -(-len(rows) // DRILL_DOWN_PAGE))
    page = min(page_arg(), pages)
    shown = rows[(page - 1) * DRILL_DOWN_PAGE:page * DRILL_DOWN_PAGE]
    return render_template("reports/theme.html", round=round_, theme=theme, label=theme_label(theme), rows=shown,
                           total=len(rows), page=page, pages=pages, maybe=maybe if page == 1 else [], filters=filters,
                           can_choose=current_user.has_role(Role.OFFICIAL, Role.ADMIN),
                           chosen=choices(round_.id).get(theme, {}))


DRILL_DOWN_PAGE = 50  # comments a page: a theme of a 100,000-comment round would be tens of thousands


@bp.post("/reports/<slug>/quotes")
@officials_only
def choose_quote(slug: str):
    """Pin a comment as a quote for a theme, drop it, or undo either."""
    round_ = get_round_or_404(slug)
    form = QuoteChoiceForm()
    if not form.validate_on_submit() or form.theme.data not in THEMES:
        abort(400)
    theme = form.theme.data
    if not set_choice(round_.id, theme, form.comment_id.data, form.action.data, current_user):
        abort(404)
    flash(_(QUOTE_MESSAGES[form.action.data], id=form.comment_id.data, theme=theme_label(theme).lower()), "success")
    if form.back.data == "theme":
        return redirect(url_for(".theme_comments", slug=slug, theme=theme, _anchor=f"t{form.comment_id.data}"))
    return redirect(url_for(".summary", slug=slug, _anchor=f"theme-{theme}"))


QUOTE_MESSAGES = {
    "pin": N_("Comment %(id)d is pinned as a quote on %(theme)s."),
    "drop": N_("Comment %(id)d will not be quoted on %(theme)s."),
    "clear": N_("Comment %(id)d is back among the automatic quotes on %(theme)s."),
}


@bp.route("/reports/<slug>/plan", methods=["GET", "POST"])
@officials_only
def plan(slug: str):
    """Every theme's answer in one form, saved at once: saving never loses what was typed in another theme."""
    round_ = get_round_or_404(slug)
    themes = [t for t in build_summary(round_).themes if t.voices]
    existing = services.responses(round_)
    form = PlanForm()
    # A theme whose fields were not posted (it gained its first voice after the page was drawn) is left as it is.
    posted = {t.key for t in themes if f"{t.key}-status" in request.form}
    if request.method == "POST" and not posted:
        abort(400, description="The form sent no theme's fields: reload the plan and try again.")
    drafts = {t.key: ThemeResponseForm(formdata=None, prefix=t.key, what_we_heard=services.heard_text(t),
                                       department=round_.department) for t in themes if t.key not in existing}
    subforms = {}
    for t in themes:
        if t.key in posted:
            subforms[t.key] = ThemeResponseForm(prefix=t.key)
        elif t.key in existing:
            subforms[t.key] = ThemeResponseForm(obj=existing[t.key], formdata=None, prefix=t.key)
        else:
            subforms[t.key] = drafts[t.key]
    sections = [SelectChoice("", _("The whole policy"))] + [SelectChoice(s.number, f"{s.number}. {s.heading}") for s in round_.sections]
    for sub in subforms.values():
        sub.section_number.choices = sections
    if request.method == "POST":
        valid = [form.validate_on_submit()] + [subforms[key].validate() for key in posted]
        if all(valid):
            # A theme still as first drafted stays unsaved, so it still counts as unanswered.
            answers = {key: subforms[key].values() for key in posted
                       if key not in drafts or subforms[key].values() != drafts[key].values()}
            changed = services.save_plan(round_, answers, current_user)
            flash(ngettext("Saved: %(num)d theme changed. The plan is private until you publish it.",
                           "Saved: %(num)d themes changed. The plan is private until you publish it.", changed), "success")
            return redirect(url_for(".plan", slug=slug))
        if form.errors:  # the page's CSRF token expired: nothing is saved, and the text stays on the page
            flash(_("The form expired. Nothing was saved: check your text and save again."), "error")
    errors = [(t, subforms[t.key]) for t in themes if subforms[t.key].errors]
    return render_template("reports/plan.html", round=round_, themes=themes, form=form, subforms=subforms,
                           errors=errors, unsaved=request.method == "POST", versions=services.versions(round_),
                           found=privacy.plan_findings(existing))


@bp.route("/reports/<slug>/publish", methods=["GET", "POST"])
@officials_only
def publish(slug: str):
    """GET: the report as it would be published, the themes left unanswered, and the confirmation;
    POST: publish exactly the version number that preview showed, with its change note."""
    round_ = get_round_or_404(slug)
    versions = services.versions(round_)
    if request.method == "POST":  # the posted number only: a post without one is refused
        form = PublishForm()
    else:
        form = PublishForm(version=len(versions) + 1, change_note="" if versions else _("First publication."))
    if form.validate_on_submit():
        number = whole_number(form.version.data)
        if number is None:
            abort(400, description="The form lost the number of the version to publish: open the preview again.")
        try:
            version = services.publish(round_, current_user, form.change_note.data, number=number,
                                       details_confirmed=form.public_details.data)
        except privacy.PersonalDataProblem:  # the preview below lists what was found, beside the box to tick
            form.public_details.errors = [_("Take the personal data out of the plan, or tick this box.")]
        except services.ReportProblem as problem:
            flash(str(problem), "error")
            return redirect(url_for(".publish", slug=slug))
        else:
            if queue() is not None:  # without a queue, `flask send-notifications` (e.g. from cron) sends them
                enqueue(send_report_notices)
            flash(_("Version %(number)d of the report is public.", number=version.number), "success")
            return redirect(url_for(".public_report", slug=slug))
    if round_.status not in (RoundStatus.CLOSED, RoundStatus.REPORTED):
        return render_template("reports/publish.html", round=round_, form=None, versions=versions)
    content = services.content(round_)
    found = (privacy.plan_findings({t["key"]: t["response"] for t in content["themes"] if t["response"]})
             + privacy.findings_in(form.change_note.data, _("Change note"), form.change_note.id))
    number = len(versions) + 1
    form.version.data = str(number)  # the version this preview shows is the one the button publishes
    preview = SimpleNamespace(number=number, published_at=utcnow(), amended_at=None,
                              change_note=form.change_note.data or _("(the change note you write below)"))
    body = render_fragment("reports/_public_body.html", round=round_, version=preview, versions=versions,
                           report=with_current_quotes(content), themes=THEMES, diff_open=True, heading_shift=1,
                           diff=services.version_diff(versions[0].content if versions else None, content))
    return render_template("reports/publish.html", round=round_, form=form, versions=versions, number=number,
                           themes=content["themes"], unanswered=services.unanswered(content), body=body, found=found)


@bp.route("/reports/<slug>/published-text", methods=["GET", "POST"])
@officials_only
def published_text(slug: str):
    """Personal data in what the round has published (every version, progress update and draft
    action): the official ticks what the check found, or names what it missed, and it is taken out
    of all of it at once."""
    round_ = get_round_or_404(slug)
    items: dict[str, list[privacy.Finding]] = {}  # each value where it is
    for f in privacy.published_findings(round_):
        items.setdefault(f.value, []).append(f)
    form = RemovePublishedForm()
    form.found.choices = list(items)
    if form.validate_on_submit() and (values := form.values(privacy.published_text(round_))):
        privacy.remove_published(round_, values, current_user)
        flash(ngettext("Removed %(num)d item from everything the round published. Each changed version tells its readers it was amended.",
                       "Removed %(num)d items from everything the round published. Each changed version tells its readers it was amended.",
                       len(values)), "success")
        return redirect(url_for(".published_text", slug=slug))
    return render_template("reports/published_text.html", round=round_, form=form, items=items,
                           versions=services.versions(round_)), 422 if form.errors else 200


def _version_or_404(round_, number: int | None):
    versions = services.versions(round_)
    if not versions:
        abort(404)
    if number is None:
        return versions[0], versions
    return next((v for v in versions if v.number == number), None) or abort(404), versions


def _report_html(round_, version, versions) -> str:
    """A published version as every reader sees it, quotes as they are now: cached until the round
    changes (a quote hidden or redacted changes it)."""
    return round_fragment(round_, ("report", version.number, len(versions)), lambda: render_fragment(
        "reports/_public_body.html", round=round_, version=version, versions=versions,
        report=with_current_quotes(version.content), themes=THEMES, diff=_diff_from_previous(version, versions),
    ))


def _diff_from_previous(version, versions):
    previous = next((v for v in versions if v.number == version.number - 1), None)
    return services.version_diff(previous.content, version.content) if previous else None


@bp.get("/rounds/<slug>/report")
@bp.get("/rounds/<slug>/report/v<int:number>")
def public_report(slug: str, number: int | None = None):
    def render(round_) -> str:
        version, versions = _version_or_404(round_, number)
        return render_template("reports/public.html", round=round_, body=_report_html(round_, version, versions),
                               share=share.report_meta(round_, version, latest=number is None))

    return visitor_page(slug, {}, render)


@bp.get("/rounds/<slug>/report.pdf")
@limiter.limit(STORED_FILES)
def report_pdf(slug: str):
    """The latest version as PDF: the public page drawn with the print stylesheet."""
    round_ = get_public_round_or_404(slug)
    version, versions = _version_or_404(round_, None)
    try:
        pdf = services.stored_pdf(version, lambda: render_template(
            "reports/public.html", round=round_, body=_report_html(round_, version, versions)))
    except OSError:  # WeasyPrint's system libraries (Pango) are not installed on this server
        abort(503, description=_("PDF files cannot be made on this server; print the report page instead."))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{round_.slug}-v{version.number}.pdf"'})


# The pictures a report is shared as (reports.share): drawn once per version, edition and language.
FILE_KINDS = {  # endpoint -> (draw, type, file name after the slug and version, or None to show in place)
    "report_tile": (share.report_tile, "image/png", None),
    "infographic_pdf": (share.infographic_pdf, "application/pdf", "summary.pdf"),
    "infographic_png": (share.infographic_png, "image/png", "summary.png"),
}


def _shared_file(endpoint: str, slug: str, number: int | None) -> Response:
    draw, mimetype, name = FILE_KINDS[endpoint]
    round_ = get_public_round_or_404(slug)
    version, _versions = _version_or_404(round_, number)
    try:
        data = draw(round_, version)
    except OSError:  # WeasyPrint's system libraries (Pango) are not installed on this server
        abort(503, description=_("PDF files cannot be made on this server; print the report page instead."))
    headers = {"Content-Disposition": f'attachment; filename="{round_.slug}-v{version.number}-{name}"'} if name else {}
    return Response(data, mimetype=mimetype, headers=headers)


@bp.get("/rounds/<slug>/report/tile.png")
@bp.get("/rounds/<slug>/report/v<int:number>/tile.png")
@limiter.limit(STORED_FILES)
def report_tile(slug: str, number: int | None = None):
    """The picture a link to the report shows on social media: title, status and voices by theme."""
    return _shared_file("report_tile", slug, number)


@bp.get("/rounds/<slug>/report/infographic.pdf")
@bp.get("/rounds/<slug>/report/v<int:number>/infographic.pdf")
@limiter.limit(STORED_FILES)
def infographic_pdf(slug: str, number: int | None = None):
    """The report on one page, for community groups to print and pass on."""
    return _shared_file("infographic_pdf", slug, number)


@bp.get("/rounds/<slug>/report/infographic.png")
@bp.get("/rounds/<slug>/report/v<int:number>/infographic.png")
@limiter.limit(STORED_FILES)
def infographic_png(slug: str, number: int | None = None):
    """The one-page summary as a picture, to post or send."""
    return _shared_file("infographic_png", slug, number)


@bp.get("/rounds/<slug>/report/comments.csv")
@limiter.limit(HEAVY_DOWNLOADS)
def export_csv(slug: str):
    round_ = get_public_round_or_404(slug)
    version, _ = _version_or_404(round_, None)
    return Response(services.export_csv(round_), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{round_.slug}-v{version.number}-comments.csv"'})


@bp.get("/rounds/<slug>/report/report.json")
@limiter.limit(HEAVY_DOWNLOADS)
def export_json(slug: str):
    round_ = get_public_round_or_404(slug)
    version, _ = _version_or_404(round_, None)
    return Response(services.export_json(round_, version), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{round_.slug}-v{version.number}.json"'})

from . import action_views  # noqa: E402,F401  (its routes are on this blueprint)
