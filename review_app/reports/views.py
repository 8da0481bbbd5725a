"""Officials' summary and plan pages; the public report and its open data."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from nlp import THEMES

from ..accounts.models import Role
from ..analysis.services import labels_for
from ..extensions import limiter
from ..fragment_cache import cached_fragment, render_fragment, round_fragment, visitor_page
from ..jobs import enqueue, queue, send_report_notices
from ..labels import theme_label
from ..rounds.services import get_public_round_or_404, get_round_or_404
from ..security import roles_required
from . import services
from .forms import PublishForm, ResponseForm
from .quotes import current_quotes, with_current_quotes
from .summary import CAMPAIGNS_LISTED, build_summary, published, stored_summary_version

bp = Blueprint("reports", __name__)
staff_only = roles_required(Role.OFFICIAL, Role.MODERATOR)
officials_only = roles_required(Role.OFFICIAL)


@bp.get("/reports/<slug>/summary")
@staff_only
def summary(slug: str):
    round_ = get_round_or_404(slug)

    def render():
        summary = build_summary(round_)
        quotes = current_quotes([q["id"] for t in summary.themes for q in t.quotes])
        return render_fragment("reports/_summary_body.html", summary=summary, round=round_, quotes=quotes,
                               campaigns_listed=CAMPAIGNS_LISTED)

    # The same for every official until the stored summary is rebuilt: rendered once per build.
    version = stored_summary_version(round_)
    body = render() if version is None else cached_fragment(round_.id, version, ("summary",), render)
    return render_template("reports/summary.html", round=round_, body=body)


@bp.get("/reports/<slug>/themes/<theme>")
@staff_only
def theme_comments(slug: str, theme: str):
    round_ = get_round_or_404(slug)
    if theme not in THEMES:
        abort(404)
    labelled = labels_for(published(round_.id))
    rows = [row for row in labelled if theme in row.themes]
    maybe = [row for row in labelled if theme not in row.themes and theme in row.uncertain]  # near the threshold
    return render_template("reports/theme.html", round=round_, theme=theme, label=theme_label(theme), rows=rows, maybe=maybe)


@bp.route("/reports/<slug>/plan", methods=["GET", "POST"])
@officials_only
def plan(slug: str):
    round_ = get_round_or_404(slug)
    summary = build_summary(round_)
    existing = services.responses(round_)
    theme = request.form.get("theme")
    if request.method == "POST" and theme not in THEMES:
        abort(400, description=_("Say which theme's response this is: the form lost its theme field."))
    if request.method == "POST":
        form = ResponseForm(prefix=theme)  # each theme's form has its own field names
        if form.validate_on_submit():
            services.save_response(round_, theme, form.values(), current_user)
            flash(_("Saved the response on %(theme)s. It is private until you publish.", theme=theme_label(theme).lower()), "success")
            return redirect(url_for(".plan", slug=slug, _anchor=f"theme-{theme}"))
        flash(_("Check the highlighted fields."), "error")
    forms = {}
    for item in summary.themes:
        response = existing.get(item.key)
        if request.method == "POST" and item.key == theme:
            forms[item.key] = form
        elif response is not None:
            forms[item.key] = ResponseForm(obj=response, formdata=None, prefix=item.key)
        else:
            forms[item.key] = ResponseForm(formdata=None, prefix=item.key, what_we_heard=services.heard_text(item),
                                           department=round_.department)
    return render_template("reports/plan.html", round=round_, summary=summary, forms=forms,
                           publish_form=PublishForm(), versions=services.versions(round_))


@bp.post("/reports/<slug>/publish")
@officials_only
def publish(slug: str):
    round_ = get_round_or_404(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = services.publish(round_, current_user, form.change_note.data)
    except services.ReportProblem as problem:
        flash(str(problem), "error")
        return redirect(url_for(".plan", slug=slug))
    if queue() is not None:  # without a queue, `flask send-notifications` (e.g. from cron) sends them
        enqueue(send_report_notices)
    flash(_("Version %(number)d of the report is public.", number=version.number), "success")
    return redirect(url_for(".public_report", slug=slug))


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
        report=with_current_quotes(version.content), themes=THEMES,
    ))


@bp.get("/rounds/<slug>/report")
@bp.get("/rounds/<slug>/report/v<int:number>")
def public_report(slug: str, number: int | None = None):
    def render(round_) -> str:
        version, versions = _version_or_404(round_, number)
        return render_template("reports/public.html", round=round_, body=_report_html(round_, version, versions))

    return visitor_page(slug, {}, render)


# Files drawn or assembled per request: each costs far more than a page, so a few a minute per address.
HEAVY_DOWNLOADS = "10 per minute;100 per hour"


@bp.get("/rounds/<slug>/report.pdf")
@limiter.limit(HEAVY_DOWNLOADS)
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
