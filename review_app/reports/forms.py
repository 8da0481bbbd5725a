"""Officials' forms: the response plan (one subform per theme, saved together), and publishing."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, URL, ValidationError

from ..i18n import Form
from .models import ResponseStatus

STATUS_LABELS = {ResponseStatus.PLANNED: _l("Planned"), ResponseStatus.IN_PROGRESS: _l("In progress"),
                 ResponseStatus.DONE: _l("Done"), ResponseStatus.NOT_ADOPTED: _l("Not adopted")}
FIELDS = ("what_we_heard", "what_we_will_do", "status", "reason", "department", "target_date", "policy_link")


class ThemeResponseForm(Form):
    """One theme's answer. Part of PlanForm's single <form>: its fields carry the theme as prefix,
    and the page's one CSRF token covers them all."""

    class Meta:
        csrf = False

    what_we_heard = TextAreaField(_l("What we heard"), validators=[Length(max=5000)])
    what_we_will_do = TextAreaField(_l("What we will do"), validators=[Length(max=5000)])
    status = SelectField(_l("Status"), choices=[SelectChoice("", _l("Not decided yet"))]
                         + [SelectChoice(s.value, STATUS_LABELS[s]) for s in ResponseStatus])
    reason = TextAreaField(_l("Why it is not adopted"), validators=[Length(max=5000)])
    department = StringField(_l("Owner (person or department)"), validators=[Length(max=200)])
    target_date = DateField(_l("Due date"), validators=[Optional()])
    policy_link = URLField(_l("Link to the changed policy text"), validators=[Optional(), URL(require_tld=False), Length(max=500)])

    def validate_reason(self, field):
        if self.status.data == ResponseStatus.NOT_ADOPTED and not (field.data or "").strip():
            raise ValidationError(_l("Say why it is not adopted: residents see the reason."))

    def values(self) -> dict:
        return {name: getattr(self, name).data or (None if name == "target_date" else "") for name in FIELDS}


class PlanForm(Form):
    """The page's own form: its CSRF token and the one submit that saves every theme."""

    submit = SubmitField(_l("Save all themes"))


class PublishForm(Form):
    version = HiddenField()  # the number the preview showed: a second click, or a colleague's publication meanwhile, is refused
    change_note = StringField(_l("What changed since the last version (residents see this)"),
                              validators=[DataRequired(_l("Write a change note: residents see it.")), Length(max=1000)])
    submit = SubmitField(_l("Publish"))


class QuoteChoiceForm(Form):
    """Buttons on the summary and a theme's comments; the theme is checked by the view."""
    theme = HiddenField(validators=[InputRequired()])
    comment_id = IntegerField(validators=[InputRequired()])
    action = HiddenField(validators=[AnyOf(["pin", "drop", "clear"])])  # the button pressed
    back = HiddenField(validators=[Optional(), AnyOf(["summary", "theme"])])  # the page to return to
