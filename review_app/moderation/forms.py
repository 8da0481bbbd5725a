"""Moderators' forms and the resident's flag form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from nlp import STANCES

from ..i18n import Form
from ..labels import STANCE_LABELS, THEME_LABELS
from .models import FLAG_REASONS, REASON_LABELS, Action


class DecisionForm(Form):
    action = HiddenField(validators=[DataRequired()])
    # No reason is chosen in advance: an empty choice is refused.
    reason = SelectField(_l("Reason"), choices=[SelectChoice(k, _l(v)) for k, v in REASON_LABELS.items()],
                         validators=[DataRequired(_l("Choose a reason."))])
    note = StringField(_l("Note (required for “other”)"), validators=[Optional(), Length(max=1000)])
    pii_confirmed = BooleanField(_l("I have read the highlighted text: it is not personal data"))
    submit = SubmitField(_l("Decide"))

    def validate_action(self, field):
        if field.data not in {Action.APPROVE, Action.HIDE, Action.REJECT, Action.RESTORE}:
            raise ValidationError(_l("Unknown decision."))


class RedactForm(Form):
    text = TextAreaField(_l("Text the public will see"), validators=[DataRequired(), Length(max=6000)])
    note = StringField(_l("Note for the log"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Publish the redacted text"))


class SpanForm(Form):
    """One highlighted span to remove: where the page showed it in the original, and its text."""
    start = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    end = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    text = HiddenField(validators=[DataRequired(), Length(max=1000)])


class BulkForm(Form):
    """One decision for the comments ticked in the queue; the template draws the fields."""
    ids = SelectMultipleField(coerce=int, validate_choice=False, validators=[DataRequired()])
    action = HiddenField(validators=[DataRequired()])
    reason = HiddenField(validators=[DataRequired()])
    note = StringField(validators=[Optional(), Length(max=1000)])


class ThemeForm(Form):
    themes = SelectMultipleField(
        _l("Themes"), choices=[SelectChoice(k, _l(v)) for k, v in THEME_LABELS.items()],
        option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
    )
    stance = SelectField(_l("Stance toward the draft"), choices=[SelectChoice(s, _l(STANCE_LABELS[s])) for s in STANCES])
    submit = SubmitField(_l("Save themes"))


class FlagForm(Form):
    reason = RadioField(_l("Why should moderators look at this comment?"), choices=[SelectChoice(k, _l(v)) for k, v in FLAG_REASONS.items()],
                        validators=[DataRequired(_l("Choose a reason."))])
    submit = SubmitField(_l("Send to moderators"))


class ButtonForm(Form):
    note = StringField(_l("Note"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Send"))
