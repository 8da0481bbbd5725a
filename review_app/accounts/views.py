"""Registration and email verification, sign-in, password reset, sign-out, the account page and
the admin's user list."""


import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..i18n import N_
from ..inputs import page_arg
from ..security import roles_required, safe_next_url
from ..timeutil import utcnow
from ..moderation import services as moderation
from . import data_rights, services, throttle, tokens
from .forms import (AdminEraseForm, AdminExportForm, BlockForm, EraseAccountForm, ForgotPasswordForm, LoginForm,
                    PasswordChangeForm, ProfileForm, RegisterForm, ResetPasswordForm, RoleForm, VerifyEmailForm)
from .models import Role, User

bp = Blueprint("accounts", __name__, url_prefix="/account")
admin_bp = Blueprint("accounts_admin", __name__, url_prefix="/admin/users")


def _refused(response) -> bool:
    """A sign-in answered with the form again: wrong password, or no email or password given."""
    return response.status_code == 422


def _signed_in(user: User, target: str | None = None, message: str | None = None):
    """Start the session (then say so: a new session drops earlier messages) and mark this
    browser as one the account signs in from."""
    services.start_session(user)
    if message:
        flash(message, "success")
    response = redirect(safe_next_url(target) or url_for("rounds.home"))
    return throttle.remember_device(response, user.id)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def register():
    form = RegisterForm()
    # Where the resident came from ("Create account" links carry it, and the form posts back to
    # this address): they go back there now, and again from the emailed link once confirmed.
    back_to = safe_next_url(request.args.get("next"))
    if form.validate_on_submit():
        services.sign_up(form.email.data, form.display_name.data, form.password.data, next_url=back_to)
        # The same answer whether or not the address has an account; the email tells the owner.
        flash(_("Check your email to finish creating your account: we have sent a link to %(email)s. "
                "It works for two days.", email=services.normalise_email(form.email.data)), "success")
        return redirect(back_to or url_for("rounds.home"))
    return render_template("accounts/register.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"], key_func=throttle.account_and_address, deduct_when=_refused)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, throttle.known_account_ids())
        except services.SignInDelayed as delay:
            form.password.errors.append(str(delay))
            return render_template("accounts/login.html", form=form), 429, {"Retry-After": str(delay.seconds)}
        except services.AccountError as error:
            form.password.errors.append(str(error))
        else:
            return _signed_in(user, request.args.get("next"))
    return render_template("accounts/login.html", form=form), 422 if form.errors else 200


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def verify_email():
    """The emailed link (token in the query string, which the request log leaves out). Opening it
    changes nothing, so mail scanners that follow links spend nothing; the form does it."""
    token = request.args.get("token", "")
    if tokens.read_token(token, tokens.VERIFY_EMAIL) is None:
        flash(_("This link has expired or has been used. Sign in to get a new one."), "error")
        return redirect(url_for("rounds.home"))
    form = VerifyEmailForm()
    if form.validate_on_submit():
        try:
            user = services.verify_email(token, form.password.data)
        except services.AccountError as error:
            form.password.errors.append(str(error))
        else:
            return _signed_in(user, request.args.get("next"),
                              message=_("Your email address is confirmed and your account is ready. You are signed in."))
    return render_template("accounts/verify.html", form=form), 422 if form.errors else 200


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account uses %(email)s, we have sent it a link to choose a new password. "
                "The link works for one hour.", email=services.normalise_email(form.email.data)), "success")
        return redirect(url_for(".login"))
    return render_template("accounts/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def reset_password():
    """The emailed link: a form for the new password (the token stays in the query string)."""
    user = tokens.read_token(request.args.get("token", ""), tokens.RESET_PASSWORD)
    if user is None:
        flash(_("This link has expired or has been used. Ask for a new one below."), "error")
        return redirect(url_for(".forgot_password"))
    form = ResetPasswordForm(account=user)
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        if user.is_blocked:
            flash(_("Your new password is saved, but this account is blocked: %(reason)s", reason=user.blocked_reason), "error")
            return redirect(url_for(".login"))
        return _signed_in(user, message=_("Your new password is saved. You are signed in, and signed out everywhere else."))
    return render_template("accounts/reset.html", form=form), 422 if form.errors else 200


@bp.post("/logout")
def logout():
    services.end_session(current_user)
    flash(_("You are signed out."), "success")
    return redirect(url_for("rounds.home"))


@bp.route("/", methods=["GET", "POST"])
@login_required
def account():
    profile = ProfileForm(prefix="profile", obj=current_user)
    password = PasswordChangeForm(prefix="password", account=current_user)
    if profile.submit.data and profile.validate_on_submit():
        services.rename(current_user, profile.display_name.data)
        flash(_("Your display name is saved."), "success")
        return redirect(url_for(".account"))
    if password.submit.data and password.validate_on_submit():
        try:
            services.change_password(current_user._get_current_object(), password.current_password.data, password.new_password.data)
        except services.AccountError as error:
            password.current_password.errors.append(str(error))
        else:
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for(".account"))
    status = 422 if (profile.errors or password.errors) else 200
    return render_template("accounts/account.html", profile=profile, password=password), status


def _json_download(data: dict, name: str) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{utcnow():%Y-%m-%d}.json"'})


@bp.get("/data.json")
@login_required
def my_data():
    """Everything held about the signed-in resident."""
    return _json_download(data_rights.export(current_user), "civic-review-my-data")


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = EraseAccountForm()
    if form.validate_on_submit():
        try:
            data_rights.erase_own(current_user, form.password.data, form.comments.data)
        except services.AccountError as error:
            form.password.errors.append(str(error))
        else:
            services.end_session(current_user)
            flash(_("Your account is deleted. Thank you for taking part."), "success")
            return redirect(url_for("rounds.home"))
    return render_template("accounts/delete.html", form=form), 422 if form.errors else 200


@admin_bp.get("/")
@roles_required(Role.ADMIN)
def users():
    query = request.args.get("q", "")[:254]
    return render_template(
        "accounts/admin_users.html",
        users=services.search_users(query, page_arg()),
        query=query,
        staff_roles=services.STAFF_ROLES,
        role_form=RoleForm(),
        block_form=BlockForm(),
        export_form=AdminExportForm(),
        erase_form=AdminEraseForm(),
    )


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@admin_bp.post("/<int:user_id>/roles/<role>")
@roles_required(Role.ADMIN)
def set_role(user_id: int, role: str):
    if role not in {str(r) for r in services.STAFF_ROLES} or not RoleForm().validate_on_submit():
        abort(400)
    granted = request.form.get("grant") == "1"
    try:
        services.set_role(_user_or_404(user_id), Role(role), granted, acting_admin=current_user)
    except services.AccountError as error:
        flash(str(error), "error")
    else:
        flash(_("Roles saved."), "success")
    return redirect(url_for(".users", q=request.args.get("q", "")))


MEASURES = {  # what the admin page's account buttons do, and what each says when done
    "block": (moderation.block_user, N_("%(email)s is blocked from commenting and supporting.")),
    "unblock": (moderation.unblock_user, N_("%(email)s can comment again.")),
    "suspend": (moderation.suspend_user, N_("%(email)s is signed out everywhere and cannot sign in.")),
    "unsuspend": (moderation.unsuspend_user, N_("%(email)s can sign in again.")),
}


@admin_bp.post("/<int:user_id>/<any(block, unblock, suspend, unsuspend):measure>")
@roles_required(Role.ADMIN)
def account_measure(user_id: int, measure: str):
    """Block from commenting, or suspend sign-in (admins only), and lift either; each logged."""
    form = BlockForm()
    user = _user_or_404(user_id)
    action, done = MEASURES[measure]
    if not form.validate_on_submit() and measure in ("block", "suspend"):
        flash(_("Give a reason."), "error")
        return redirect(url_for(".users", q=user.email))
    try:
        action(user, current_user, form.reason.data or "")
    except moderation.ModerationProblem as problem:
        flash(str(problem), "error")
    else:
        flash(_(done, email=user.email), "success")
    return redirect(url_for(".users", q=user.email))


@admin_bp.post("/<int:user_id>/data")
@roles_required(Role.ADMIN)
def export_user(user_id: int):
    """A resident's data, downloaded on their request (logged with the request's note)."""
    user = _user_or_404(user_id)
    form = AdminExportForm()
    if not form.validate_on_submit():
        flash(_("Note the request (date, how it reached you, its reference) before downloading."), "error")
        return redirect(url_for(".users", q=user.email))
    return _json_download(data_rights.export_on_request(user, current_user, form.note.data), f"civic-review-user-{user.id}")


@admin_bp.post("/<int:user_id>/erase")
@roles_required(Role.ADMIN)
def erase_user(user_id: int):
    user = _user_or_404(user_id)
    form = AdminEraseForm()
    if not form.validate_on_submit():
        flash(_("Choose what happens to the comments and note the request before erasing."), "error")
        return redirect(url_for(".users", q=user.email))
    if user.id == current_user.id:
        flash(_("Delete your own account from your account page."), "error")
        return redirect(url_for(".users"))
    data_rights.erase(user, form.comments.data, actor=current_user, note=form.note.data)
    flash(_("Account %(id)d is erased; the moderation log records the request.", id=user.id), "success")
    return redirect(url_for(".users"))
