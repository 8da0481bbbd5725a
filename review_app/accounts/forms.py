"""Forms for registration, sign-in, email verification, password reset and the account page."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, PasswordField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..i18n import Form
from .passwords import password_problem
from .services import display_name_problem


def fair_display_name(form, field):
    """No disguised name and no staff member's (the account's own name stays its own)."""
    user = current_user if current_user.is_authenticated else None
    problem = display_name_problem(field.data or "", user)
    if problem:
        raise ValidationError(problem)



def _strong_password(form, field):
    problem = password_problem(field.data or "", form.personal_words())
    if problem:
        raise ValidationError(problem)


class _NewPasswordForm(Form):
    """A form that sets a password for `account` (None while registering): the password may not
    be built from the account's email address or name."""

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def personal_words(self) -> list[str]:
        return [self.account.email, self.account.display_name] if self.account is not None else []



class RegisterForm(_NewPasswordForm):
    email = EmailField(_l("Email address"), filters=[lambda v: v.strip() if v else v], validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=80), fair_display_name])
    password = PasswordField(_l("Password"), validators=[DataRequired(), _strong_password])
    confirm = PasswordField(
        _l("Password again"), validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))]
    )
    submit = SubmitField(_l("Create account"))

    def personal_words(self) -> list[str]:
        return [self.email.data or "", self.display_name.data or ""]


class LoginForm(Form):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    submit = SubmitField(_l("Sign in"))


class ProfileForm(Form):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=80), fair_display_name])
    submit = SubmitField(_l("Save name"))


class PasswordChangeForm(_NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), _strong_password])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", _l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class VerifyEmailForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    submit = SubmitField(_l("Confirm my email address"))


class ForgotPasswordForm(Form):
    email = EmailField(_l("Email address"), filters=[lambda v: v.strip() if v else v], validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Email me a link"))


class ResetPasswordForm(_NewPasswordForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), _strong_password])
    confirm = PasswordField(
        _l("New password again"), validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))]
    )
    submit = SubmitField(_l("Save my new password"))


class RoleForm(Form):
    """One button per role on the admin users page; the role comes from an allowlist in the view."""

    submit = SubmitField(_l("Save"))


class BlockForm(Form):
    """Blocking or suspending an account, and lifting either (a reason is required to set one)."""

    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Save"))


ERASE_CHOICE_LABELS = [
    SelectChoice("anonymise", _l("Keep my comments public without my name (they show as \u201cAnonymous\u201d and still count in the report)")),
    SelectChoice("withdraw", _l("Withdraw my comments (the public sees only that a comment was withdrawn by its author)")),
]


class EraseAccountForm(Form):
    """The holder's own request: their password confirms it is them."""

    comments = RadioField(_l("What should happen to your comments?"), choices=ERASE_CHOICE_LABELS,
                          validators=[DataRequired(_l("Choose what happens to your comments."))])
    password = PasswordField(_l("Your password, to confirm"), validators=[DataRequired()])
    submit = SubmitField(_l("Delete my account"))


class AdminEraseForm(Form):
    """An admin acting on a resident's request, which the note records."""

    comments = RadioField(_l("What the resident asked for their comments"), choices=ERASE_CHOICE_LABELS,
                          validators=[DataRequired("Choose what happens to the comments.")])
    note = StringField(_l("The request (date, how it reached you, its reference)"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Erase the account"))


class AdminExportForm(Form):
    note = StringField(_l("The request (date, how it reached you, its reference)"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Download the resident's data"))
