"""The comment form, the demographic questions and the small button forms."""

import re
import secrets

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectChoice, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..accounts.forms import fair_display_name
from ..i18n import Form
from ..labels import ANSWER_LABELS
from ..rounds.models import AGE_BANDS, RELATIONSHIPS
from .models import Stance

STANCE_CHOICES = [
    SelectChoice("", _l("I'd rather not say")),
    SelectChoice(Stance.SUPPORT, _l("I support this draft")),
    SelectChoice(Stance.OPPOSE, _l("I oppose this draft")),
    SelectChoice(Stance.MIXED, _l("I have mixed views")),
    SelectChoice(Stance.UNCLEAR, _l("I'm not sure yet")),
]
NOT_SAYING = SelectChoice("", _l("Prefer not to say"))


def _within_comment_limit(form, field):
    limit = current_app.config["COMMENT_MAX_LENGTH"]
    if field.data and len(field.data) > limit:
        raise ValidationError(gettext(
            "Your comment is %(length)s characters long; the limit is %(limit)s. Shorten it, or split it into two comments.",
            length=f"{len(field.data):,}", limit=f"{limit:,}"))


class CommentForm(Form):
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(_l("Write your comment before sending it.")), _within_comment_limit])
    section_id = SelectField(_l("What is your comment about?"), coerce=str, validate_choice=False, default="")
    parent_id = HiddenField()
    origin = HiddenField(default="round")
    stance = RadioField(_l("Do you support this draft overall?"), choices=STANCE_CHOICES, default="", validators=[Optional()])
    display_name = StringField(_l("Name to show with your comment"), validators=[Optional(), Length(max=80), fair_display_name])
    email = EmailField(_l("Email, to hear when the report is out (optional)"), validators=[Optional(), Email(), Length(max=254)])
    # Two comments typed in one page view share nothing; a double click resends the same key.
    idempotency_key = HiddenField()
    # Left empty by people; bots fill every field. Hidden with CSS and from screen readers.
    website = StringField(_l("Leave this field empty"), validators=[Optional()])
    submit = SubmitField(_l("Send comment"))

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.idempotency_key.data:
            self.idempotency_key.data = secrets.token_urlsafe(24)
        # A callable: the sections load only if the field is drawn or checked (a cached form never is).
        self.section_id.choices = lambda: [SelectChoice("", _l("The whole policy"))] + [
            SelectChoice(str(s.id), gettext("Section %(number)s: %(heading)s", number=s.number, heading=s.heading))
            for s in (round_.sections if round_ is not None else [])
        ]

    def validate_idempotency_key(self, field):
        if not re.fullmatch(r"[\w-]{1,48}", field.data or "", re.ASCII):
            raise ValidationError(_l("The form expired. Copy your text, reload the page and send it again."))


class DemographicsForm(Form):
    district = SelectField(_l("Which district or neighbourhood do you live in?"), default="")
    age_band = SelectField(_l("Your age"), choices=[NOT_SAYING] + [SelectChoice(a, _l(ANSWER_LABELS[a]) if a in ANSWER_LABELS else a) for a in AGE_BANDS], default="")
    relationship_to_city = SelectField(
        _l("How are you connected to the city?"),
        choices=[NOT_SAYING] + [SelectChoice(r, _l(ANSWER_LABELS[r])) for r in RELATIONSHIPS],
        default="",
    )
    submit = SubmitField(_l("Save my answers"))

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.district.choices = [NOT_SAYING] + [SelectChoice(d) for d in (round_.districts if round_ else [])]


class ButtonForm(Form):
    """A CSRF-protected button (support, withdraw support)."""

    submit = SubmitField(_l("Send"))
