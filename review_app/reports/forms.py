"""Officials' forms: the response plan (one subform per theme, saved together), and publishing."""

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, EmailField, HiddenField, IntegerField, SelectChoice, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField, URLField)
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length, Optional, URL, ValidationError

from ..i18n import Form
from .actions import milestone_list
from .models import ResponseStatus
from .privacy import PLAN_LABELS, PUBLIC_DETAILS

STATUS_LABELS = {ResponseStatus.PLANNED: _l("Planned"), ResponseStatus.IN_PROGRESS: _l("In progress"),
                 ResponseStatus.DONE: _l("Done"), ResponseStatus.NOT_ADOPTED: _l("Not adopted")}
FIELDS = ("what_we_heard", "what_we_will_do", "status", "reason", "department", "target_date", "policy_link",
          "indicator", "baseline", "target", "data_source", "milestones", "change_reason", "section_number")


class ThemeResponseForm(Form):
    """One theme's answer. Part of PlanForm's single <form>: its fields carry the theme as prefix,
    and the page's one CSRF token covers them all."""

    class Meta:
        csrf = False

    what_we_heard = TextAreaField(PLAN_LABELS["what_we_heard"], validators=[Length(max=5000)])
    what_we_will_do = TextAreaField(PLAN_LABELS["what_we_will_do"], validators=[Length(max=5000)])
    status = SelectField(_l("Status"), choices=[SelectChoice("", _l("Not decided yet"))]
                         + [SelectChoice(s.value, STATUS_LABELS[s]) for s in ResponseStatus])
    reason = TextAreaField(PLAN_LABELS["reason"], validators=[Length(max=5000)])
    department = StringField(PLAN_LABELS["department"], validators=[Length(max=200)])
    target_date = DateField(_l("Due date"), validators=[Optional()])
    policy_link = URLField(_l("Link to the changed policy text"), validators=[Optional(), URL(require_tld=False), Length(max=500)])
    indicator = StringField(PLAN_LABELS["indicator"], validators=[Length(max=300)])
    baseline = StringField(PLAN_LABELS["baseline"], validators=[Length(max=100)])
    target = StringField(PLAN_LABELS["target"], validators=[Length(max=100)])
    data_source = URLField(_l("Link to the indicator's data"), validators=[Optional(), URL(require_tld=False), Length(max=500)])
    milestones = TextAreaField(PLAN_LABELS["milestones"], validators=[Length(max=3000)])
    section_number = SelectField(_l("The policy section this action changes"), choices=[SelectChoice("", _l("The whole policy"))], default="")
    change_reason = TextAreaField(PLAN_LABELS["change_reason"], validators=[Length(max=3000)])

    def validate_milestones(self, field):
        try:
            milestone_list(field.data)
        except ValueError as bad:
            raise ValidationError(_l("Start each milestone with its date, then say what happens: %(line)s", line=str(bad)[:80]))

    def validate_reason(self, field):
        if self.status.data == ResponseStatus.NOT_ADOPTED and not (field.data or "").strip():
            raise ValidationError(_l("Say why it is not adopted: residents see the reason."))

    def values(self) -> dict:
        """The fields as stored. Browsers send a textarea's line breaks as CRLF: stored as LF, so
        text sent back unchanged (milestones, one a line) is not a change."""
        values = {name: getattr(self, name).data or (None if name == "target_date" else "") for name in FIELDS}
        return {name: value.replace("\r\n", "\n") if isinstance(value, str) else value for name, value in values.items()}


class PlanForm(Form):
    """The page's own form: its CSRF token and the one submit that saves every theme."""

    submit = SubmitField(_l("Save all themes"))


class PublishForm(Form):
    version = HiddenField()  # the number the preview showed: a second click, or a colleague's publication meanwhile, is refused
    change_note = StringField(_l("What changed since the last version (residents see this)"),
                              validators=[DataRequired(_l("Write a change note: residents see it.")), Length(max=1000)])
    public_details = BooleanField(PUBLIC_DETAILS)
    submit = SubmitField(_l("Publish"))


class QuoteChoiceForm(Form):
    """Buttons on the summary and a theme's comments; the theme is checked by the view."""
    theme = HiddenField(validators=[InputRequired()])
    comment_id = IntegerField(validators=[InputRequired()])
    action = HiddenField(validators=[AnyOf(["pin", "drop", "clear"])])  # the button pressed
    back = HiddenField(validators=[Optional(), AnyOf(["summary", "theme"])])  # the page to return to


class ReviewForm(Form):
    """Put the draft plan to residents for comment until a day."""
    closes_on = DateField(_l("Residents can comment until (the end of this day)"),
                          validators=[InputRequired(_l("Choose the last day residents can comment."))])
    public_details = BooleanField(PUBLIC_DETAILS)
    submit = SubmitField(_l("Open the draft for residents' comments"))


class ActionUpdateForm(Form):
    """A progress update on one action of the published plan."""
    key = HiddenField()  # the same key on a second submit: the update (and its notices) is stored once
    status = SelectField(_l("Status now"), choices=[SelectChoice(s.value, STATUS_LABELS[s]) for s in ResponseStatus])
    body = TextAreaField(_l("What happened"), validators=[DataRequired(_l("Say what happened: followers read it.")), Length(max=3000)])
    indicator_value = StringField(_l("The indicator's value now"), validators=[Length(max=100)])
    measured_on = DateField(_l("Measured on"), validators=[Optional()])
    milestone = SelectField(_l("Milestone reached"), choices=[], validate_choice=False)
    public_details = BooleanField(PUBLIC_DETAILS)
    submit = SubmitField(_l("Post the update"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (self.indicator_value.data or "").strip() and self.measured_on.data is None and not self.measured_on.errors:
            self.measured_on.errors = [*self.measured_on.errors, _l("Say when the value was measured.")]
            return False
        return valid


class RemovePublishedForm(Form):
    """Take personal data out of what a round has published: items the check found (the view
    sets the choices), and any other text the official names."""
    found = SelectMultipleField(_l("Found by the check"), choices=[], option_widget=CheckboxInput(),
                                widget=ListWidget(prefix_label=False))
    other = TextAreaField(_l("Other text to remove, one item per line"), validators=[Length(max=3000)])
    submit = SubmitField(_l("Remove from everything published"))

    def values(self, published: str) -> list[str]:
        """What to remove; a line that is too short or not in the published text is an error naming it."""
        lines = [(n, line.strip()) for n, line in enumerate((self.other.data or "").splitlines(), start=1) if line.strip()]
        for n, line in lines:
            if len(line) < 3:
                self.other.errors = [*self.other.errors, _l("Line %(n)d is too short to remove safely: write the whole item.", n=n)]
            elif line not in published:
                self.other.errors = [*self.other.errors, _l("Line %(n)d (“%(text)s”) is not in anything published for this round: "
                                                            "copy it exactly as residents read it.", n=n, text=line)]
        values = [*(self.found.data or []), *(line for _n, line in lines)]
        if not values and not self.other.errors:
            self.found.errors = [*self.found.errors, _l("Tick an item, or write the text to remove.")]
        return [] if self.errors else values


class FollowForm(Form):
    """Follow an action: a signed-in resident's own address, or one typed in (confirmed by email)."""
    email = EmailField(_l("Your email"), validators=[Optional(), Email(_l("Enter an email address like name@example.org.")), Length(max=254)])
    submit = SubmitField(_l("Follow this action"))


class TokenForm(Form):
    """The button an emailed link leads to: opening the link changes nothing until it is pressed."""
    submit = SubmitField(_l("Confirm"))
