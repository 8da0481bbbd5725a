"""Officials' forms: one theme's response, and publishing."""

from wtforms import DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, URL

from ..i18n import Form
from .models import ResponseStatus


class ResponseForm(Form):
    what_we_heard = TextAreaField("What we heard", validators=[Length(max=5000)])
    what_we_will_do = TextAreaField("What we will do, or why not", validators=[Length(max=5000)])
    status = SelectField("Status", choices=[SelectChoice(s.value, s.value.capitalize()) for s in ResponseStatus])
    department = StringField("Responsible department", validators=[Length(max=200)])
    target_date = DateField("Target date", validators=[Optional()])
    policy_link = URLField("Link to the changed policy text", validators=[Optional(), URL(require_tld=False), Length(max=500)])
    submit = SubmitField("Save this theme")

    def values(self) -> dict:
        return {name: getattr(self, name).data or ("" if name != "target_date" else None)
                for name in ("what_we_heard", "what_we_will_do", "status", "department", "target_date", "policy_link")}


class PublishForm(Form):
    change_note = StringField("What changed since the last version (residents see this)", validators=[Length(max=1000)])
    submit = SubmitField("Publish the report")


class QuoteChoiceForm(Form):
    """Buttons on the summary and a theme's comments; the theme is checked by the view."""
    theme = HiddenField(validators=[InputRequired()])
    comment_id = IntegerField(validators=[InputRequired()])
    action = HiddenField(validators=[AnyOf(["pin", "drop", "clear"])])  # the button pressed
    back = HiddenField(validators=[Optional(), AnyOf(["summary", "theme"])])  # the page to return to
