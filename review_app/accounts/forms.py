"""Forms for registration, sign-in and the account page."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..i18n import Form
from .passwords import password_problem

def _strong_password(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class RegisterForm(Form):
    email = EmailField(_l("Email address"), filters=[lambda v: v.strip() if v else v], validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), _strong_password])
    confirm = PasswordField(
        _l("Password again"), validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))]
    )
    submit = SubmitField(_l("Create account"))


class LoginForm(Form):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    submit = SubmitField(_l("Sign in"))


class ProfileForm(Form):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=80)])
    submit = SubmitField("Save name")


class PasswordChangeForm(Form):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired(), _strong_password])
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new_password", _l("The two passwords differ."))],
    )
    submit = SubmitField("Change password")


class RoleForm(Form):
    """One button per role on the admin users page; the role comes from an allowlist in the view."""

    submit = SubmitField("Save")


class BlockForm(Form):
    reason = StringField("Reason for blocking", validators=[DataRequired(), Length(max=500)])
    submit = SubmitField("Block account")
