"""Moderators' forms and the resident's flag form."""

from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from nlp import STANCES, THEMES

from ..i18n import Form
from .models import FLAG_REASONS, REASON_LABELS, Action


class DecisionForm(Form):
    action = HiddenField(validators=[DataRequired()])
    # No reason is chosen in advance: an empty choice is refused.
    reason = SelectField("Reason", choices=[SelectChoice(k, v) for k, v in REASON_LABELS.items()],
                         validators=[DataRequired("Choose a reason.")])
    note = StringField("Note (required for \u201cother\u201d)", validators=[Optional(), Length(max=1000)])
    pii_confirmed = BooleanField("I have read the highlighted text: it is not personal data")
    submit = SubmitField("Decide")

    def validate_action(self, field):
        if field.data not in {Action.APPROVE, Action.HIDE, Action.REJECT, Action.RESTORE}:
            raise ValidationError("Unknown decision.")


class RedactForm(Form):
    text = TextAreaField("Text the public will see", validators=[DataRequired(), Length(max=6000)])
    note = StringField("Note for the log", validators=[Optional(), Length(max=1000)])
    submit = SubmitField("Publish the redacted text")


class ThemeForm(Form):
    themes = SelectMultipleField(
        "Themes", choices=[SelectChoice(k, v) for k, v in THEMES.items()],
        option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
    )
    stance = SelectField("Stance toward the draft", choices=[SelectChoice(s) for s in STANCES])
    submit = SubmitField("Save themes")


class FlagForm(Form):
    reason = RadioField("Why should moderators look at this comment?", choices=[SelectChoice(k, v) for k, v in FLAG_REASONS.items()],
                        validators=[DataRequired("Choose a reason.")])
    submit = SubmitField("Send to moderators")


class ButtonForm(Form):
    note = StringField("Note", validators=[Optional(), Length(max=1000)])
    submit = SubmitField("Send")
