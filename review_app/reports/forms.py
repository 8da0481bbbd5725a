"""Officials' forms: one theme's response, and publishing."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import Length, Optional, URL

from ..i18n import Form
from .models import ResponseStatus


class ResponseForm(Form):
    what_we_heard = TextAreaField(_l("What we heard"), validators=[Length(max=5000)])
    what_we_will_do = TextAreaField(_l("What we will do, or why not"), validators=[Length(max=5000)])
    status = SelectField(_l("Status"), choices=[SelectChoice(s.value, _l(s.value)) for s in ResponseStatus])
    department = StringField(_l("Responsible department"), validators=[Length(max=200)])
    target_date = DateField(_l("Target date"), validators=[Optional()])
    policy_link = URLField(_l("Link to the changed policy text"), validators=[Optional(), URL(require_tld=False), Length(max=500)])
    submit = SubmitField(_l("Save this theme"))

    def values(self) -> dict:
        return {name: getattr(self, name).data or ("" if name != "target_date" else None)
                for name in ("what_we_heard", "what_we_will_do", "status", "department", "target_date", "policy_link")}


class PublishForm(Form):
    change_note = StringField(_l("What changed since the last version (residents see this)"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Publish the report"))
