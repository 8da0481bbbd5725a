"""Officials write public text too: the plan's answers, a version's change note, progress updates.
Before any of it goes public, the recognizers that hold residents' comments read it (nlp.pii, the
same rules). What they find is shown to the official, who takes it out or confirms that it is
public (a city office's phone line, a staff member named in their role): nothing goes out unseen.
"""

from typing import NamedTuple

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from nlp.pii import find_pii

from ..labels import theme_label
from ..moderation.models import PII_KIND_LABELS

# The plan's fields residents read (a report, the tracker, its open data), with the plan form's labels.
PLAN_LABELS = {"what_we_heard": _l("What we heard"), "what_we_will_do": _l("What we will do"),
               "reason": _l("Why it is not adopted"), "department": _l("Owner (person or department)"),
               "indicator": _l("How success is measured (indicator)"), "baseline": _l("Baseline (the indicator today)"),
               "target": _l("Target"), "milestones": _l("Milestones"),
               "change_reason": _l("What changed since the draft, and why")}
PUBLIC_DETAILS = _l("I checked each item listed: it is public (for example a city office's phone line, or staff named in "
                    "their role) and may be published as written.")


class Finding(NamedTuple):
    where: str  # what the official reads: "Use of force, What we will do"
    anchor: str  # the id of the field that holds it (on the plan page or the form at hand), or its editor's path
    kind: str  # what it looks like: "a phone number"
    value: str


def findings_in(text: str | None, where, anchor: str) -> list[Finding]:
    """where: a label, or a function that makes one; labels are translated only when something is
    found (the demo loader publishes outside any request, where there is no language to choose)."""
    spans = find_pii(text or "")
    if not spans:
        return []
    label = str(where() if callable(where) else where)
    return [Finding(label, anchor, gettext(PII_KIND_LABELS[kind]), text[start:end]) for kind, start, end in spans]


def plan_findings(answers: dict) -> list[Finding]:
    """In the answers by theme: a report's (services.content, dicts) or the stored plan's (ThemeResponse rows)."""
    found = []
    for theme, answer in answers.items():
        for name, label in PLAN_LABELS.items():
            text = answer.get(name) if isinstance(answer, dict) else getattr(answer, name)
            found += findings_in(text, lambda: f"{theme_label(theme)}, {label}", f"{theme}-{name}")
    return found


class PersonalDataProblem(ValueError):
    """Public text holds what looks like personal data, and nobody has confirmed it may go out."""

    def __init__(self, found: list[Finding]):
        super().__init__(found)
        self.found = found

    def __str__(self) -> str:  # worded when read, in the reader's language (a CLI has none until then)
        return gettext("Personal data may be in the text: take it out, or confirm that each item is public. %(items)s",
                       items="; ".join(f"{f.where}: {f.kind} ({f.value})" for f in self.found))


def check(found: list[Finding], confirmed: bool) -> None:
    if found and not confirmed:
        raise PersonalDataProblem(found)
