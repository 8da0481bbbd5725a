"""Admin forms for rounds, their policy text and their state."""

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, DateTimeLocalField, RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..i18n import Form
from ..timeutil import city_zone, from_local, local
from .models import ModerationMode

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
POPULATION_LINE = re.compile(r"^(?P<name>[^:]+):\s*(?P<count>[\d,]+)$")


def lines_of(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse_population(text: str | None) -> dict[str, int]:
    """"Northside: 12,400" per line -> {"Northside": 12400}; raises with the bad line's number."""
    figures = {}
    for number, line in enumerate(lines_of(text), start=1):
        match = POPULATION_LINE.match(line)
        if not match:
            raise ValidationError(f'Line {number} should look like "Northside: 12400".')
        figures[match.group("name").strip()] = int(match.group("count").replace(",", ""))
    return figures


class LinesField(TextAreaField):
    """A list (or a {name: number} dict) on the model, edited as one item per line."""

    def process_data(self, value):
        if isinstance(value, dict):
            value = [f"{name}: {count}" for name, count in value.items()]
        self.data = "\n".join(value) if isinstance(value, list) else value


class RoundForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address (slug)"),
        validators=[DataRequired(), Length(max=80), Regexp(SLUG_PATTERN, message=_l("Use lower-case letters, digits and single hyphens."))],
    )
    summary = TextAreaField(_l("Summary"), validators=[Length(max=2000)])
    department = StringField(_l("Responsible department"), validators=[Length(max=200)])
    moderation_mode = RadioField(
        _l("Moderation"),
        choices=[
            SelectChoice(ModerationMode.POST, _l("Publish comments at once; moderators can hide them later")),
            SelectChoice(ModerationMode.PRE, _l("Publish comments only after a moderator approves them")),
        ],
        default=ModerationMode.POST,
    )
    allow_anonymous = BooleanField(_l("Allow comments without an account"))
    # Typed and shown on the city's clock (its zone follows each label), stored in UTC.
    opens_at = DateTimeLocalField(_l("Opens"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    report_expected_at = DateTimeLocalField(_l("Report expected"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    districts = LinesField(_l("Districts or neighbourhoods, one per line"))
    district_population = LinesField(_l('Population per district, "Name: number" per line'))
    ask_age_band = BooleanField(_l("Ask for an age band"))
    ask_relationship = BooleanField(_l("Ask how the resident is connected to the city"))
    submit = SubmitField(_l("Save round"))

    TIMES = ("opens_at", "closes_at", "report_expected_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = city_zone().key
        for name in self.TIMES:
            field = self[name]
            field.label.text = f"{field.label.text} ({zone})"
            if not self.is_submitted() and field.data:  # the stored time, on the city's clock
                field.data = local(field.data).replace(tzinfo=None)

    def validate_district_population(self, field):
        parse_population(field.data)

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(gettext("The closing time must be after the opening time."))

    def values(self) -> dict:
        """The validated values, named as the model names them."""
        return {
            "title": self.title.data.strip(),
            "slug": self.slug.data.strip(),
            "summary": (self.summary.data or "").strip(),
            "department": (self.department.data or "").strip(),
            "moderation_mode": self.moderation_mode.data,
            "allow_anonymous": self.allow_anonymous.data,
            **{name: from_local(self[name].data) if self[name].data else None for name in self.TIMES},
            "districts": lines_of(self.districts.data),
            "district_population": parse_population(self.district_population.data),
            "ask_age_band": self.ask_age_band.data,
            "ask_relationship": self.ask_relationship.data,
        }


class ImportForm(Form):
    document = TextAreaField(_l("Policy text (Markdown or plain text)"), validators=[Length(max=200_000)])
    upload = FileField(_l("Or upload a .md or .txt file"), validators=[FileAllowed(["md", "markdown", "txt"], _l("Upload a .md or .txt file."))])
    note = StringField(_l("What changed and why (required once the round is public)"), validators=[Length(max=500)])
    confirm = BooleanField(_l("The preview is right: replace the sections"))
    submit = SubmitField(_l("Preview"))


class SectionForm(Form):
    heading = StringField(_l("Heading"), validators=[DataRequired(), Length(max=300)])
    body = TextAreaField(_l("Text"), validators=[Length(max=50_000)])
    note = StringField(_l("What changed and why (required once the round is public)"), validators=[Length(max=500)])
    submit = SubmitField(_l("Save section"))


class StatusForm(Form):
    submit = SubmitField(_l("Change status"))
