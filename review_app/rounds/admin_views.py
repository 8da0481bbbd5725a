"""Admin pages: create and edit rounds, import policy text, move a round through its states."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..accounts.models import Role
from ..extensions import db
from ..labels import round_status_label
from ..reports import privacy
from ..security import roles_required
from . import services
from .forms import ImportForm, RoundForm, SectionForm, StatusForm
from .importer import ImportProblem, split_policy
from .models import STATUS_TRANSITIONS, RoundStatus, Section

bp = Blueprint("rounds_admin", __name__, url_prefix="/admin/rounds")


@bp.before_request
@roles_required(Role.ADMIN)
def _admins_only():
    """Every page here is for admins; checked once for the whole blueprint."""


@bp.get("/")
def index():
    return render_template("admin/rounds/index.html", rounds=services.all_rounds())


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _edit_round(None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    return _edit_round(services.get_round_or_404(slug))


def _edit_round(round_):
    form = RoundForm(obj=round_)
    if form.validate_on_submit():
        try:
            round_ = services.save_round(round_, form.values())
        except services.RoundProblem as problem:
            form.slug.errors.append(str(problem))
        else:
            flash(_("Round saved."), "success")
            return redirect(url_for(".manage", slug=round_.slug))
    status = 422 if form.errors else 200
    return render_template("admin/rounds/edit.html", form=form, round=round_), status


@bp.get("/<slug>")
def manage(slug: str):
    round_ = services.get_round_or_404(slug)
    return render_template(
        "admin/rounds/manage.html",
        round=round_,
        next_statuses=sorted(STATUS_TRANSITIONS[RoundStatus(round_.status)]),
        status_form=StatusForm(),
        found=_personal_data(round_),
    )


def _personal_data(round_) -> list:
    """What looks like personal data in the round's public text, each linked to its editor. A
    warning only: a policy may name an office's phone line, and the admin decides."""
    found = privacy.findings_in(f"{round_.title}\n{round_.summary or ''}", _("Title and summary"),
                                url_for(".edit", slug=round_.slug))
    for section in round_.sections:
        found += privacy.findings_in(f"{section.heading}\n{section.body}", lambda: f"{section.number}. {section.heading}",
                                     url_for(".edit_section", slug=round_.slug, section_id=section.id))
    return found


@bp.post("/<slug>/status/<target>")
def change_status(slug: str, target: str):
    round_ = services.get_round_or_404(slug)
    if not StatusForm().validate_on_submit():
        abort(400)
    try:
        services.change_status(round_, target)
    except services.RoundProblem as problem:
        flash(str(problem), "error")
    else:
        flash(_("The round is now %(status)s.", status=round_status_label(round_.status)), "success")
    return redirect(url_for(".manage", slug=slug))


@bp.route("/<slug>/import", methods=["GET", "POST"])
def import_policy(slug: str):
    round_ = services.get_round_or_404(slug)
    form = ImportForm()
    preview = None
    if form.validate_on_submit():
        text = form.document.data or ""
        if form.upload.data:
            try:
                text = form.upload.data.read().decode("utf-8")
            except UnicodeDecodeError:
                form.upload.errors.append(_("The file is not UTF-8 text."))
        if not form.upload.errors:
            try:
                preview = split_policy(text)
                form.document.data = text
                if form.confirm.data:
                    services.replace_sections(round_, preview, form.note.data, current_user.id)
                    flash(ngettext("%(num)d section saved.", "%(num)d sections saved.", len(preview)), "success")
                    return redirect(url_for(".manage", slug=slug))
            except (ImportProblem, services.RoundProblem) as problem:
                form.document.errors.append(str(problem))
    status = 422 if form.errors else 200
    return render_template("admin/rounds/import.html", form=form, round=round_, preview=preview), status


@bp.route("/<slug>/sections/<int:section_id>", methods=["GET", "POST"])
def edit_section(slug: str, section_id: int):
    round_ = services.get_round_or_404(slug)
    section = db.session.get(Section, section_id)
    if section is None or section.round_id != round_.id:
        abort(404)
    form = SectionForm(obj=section)
    if form.validate_on_submit():
        try:
            services.update_section(section, form.heading.data.strip(), form.body.data or "", form.note.data, current_user.id)
        except services.RoundProblem as problem:
            form.note.errors.append(str(problem))
        else:
            flash(_("Section saved."), "success")
            return redirect(url_for(".manage", slug=slug))
    status = 422 if form.errors else 200
    return render_template("admin/rounds/section.html", form=form, round=round_, section=section), status
