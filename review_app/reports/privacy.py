"""Officials write public text too: the plan's answers, a version's change note, progress updates.
Before any of it goes public, the recognizers that hold residents' comments read it (nlp.pii, the
same rules). What they find is shown to the official, who takes it out or confirms that it is
public (a city office's phone line, a staff member named in their role): nothing goes out unseen.
"""

import re
from typing import NamedTuple

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from nlp.pii import find_pii
from sqlalchemy import delete, or_, select

from ..extensions import db
from ..labels import theme_label
from ..moderation.models import PII_KIND_LABELS
from ..timeutil import utcnow
from .models import ActionUpdate, OutboxMessage, ReportFile, ThemeResponse

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
    before: str = ""  # the words around it, for the official to judge it
    after: str = ""


CONTEXT = 40  # characters each side


def findings_in(text: str | None, where, anchor: str) -> list[Finding]:
    """where: a label, or a function that makes one; labels are translated only when something is
    found (the demo loader publishes outside any request, where there is no language to choose)."""
    spans = find_pii(text or "")
    if not spans:
        return []
    label = str(where() if callable(where) else where)
    return [Finding(label, anchor, gettext(PII_KIND_LABELS[kind]), text[start:end], *_around(text, start, end))
            for kind, start, end in spans]


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    """The words either side of a finding, cut at a word, with an ellipsis where the text goes on."""
    before, after = text[max(0, start - CONTEXT):start], text[end:end + CONTEXT]
    if start > CONTEXT:
        before = "…" + before.partition(" ")[2]
    if end + CONTEXT < len(text):
        after = after.rpartition(" ")[0] + "…"
    return re.sub(r"\s+", " ", before), re.sub(r"\s+", " ", after)


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


# ---- what is already public ------------------------------------------------------------------------
# Versions published before this check existed, or items confirmed as public by mistake, are found
# here, and an official takes them out of everything the round has published at once.

REMOVED = "[removed]"


def _published(round_) -> dict:
    """Everything officials wrote that residents can read for the round, as stored: its report
    versions (draft and final), progress updates on its actions, and its response review's
    sections (the draft actions as residents read them)."""
    from .actions import review_round
    from .services import versions

    review = review_round(round_)
    return {
        "versions": versions(round_),
        "updates": db.session.scalars(select(ActionUpdate).join(ThemeResponse, ActionUpdate.response_id == ThemeResponse.id)
                                      .where(ThemeResponse.round_id == round_.id).order_by(ActionUpdate.posted_at)).all(),
        "review": review,
    }


def published_findings(round_) -> list[Finding]:
    """What looks like personal data in everything the round has published; `anchor` is empty."""
    from ..templating import format_date

    stored, found = _published(round_), []
    for version in stored["versions"]:
        where = gettext("Version %(number)d", number=version.number)
        answers = {t["key"]: t["response"] for t in version.content.get("themes", []) if t.get("response")}
        found += [f._replace(where=f"{where}: {f.where}", anchor="") for f in plan_findings(answers)]
        found += findings_in(version.change_note, lambda: f"{where}: {gettext('Change note')}", "")
    for update in stored["updates"]:
        where = lambda: gettext("Progress update of %(date)s", date=format_date(update.posted_at))  # noqa: E731
        found += findings_in(update.body, where, "") + findings_in(update.indicator_value, where, "")
    if stored["review"] is not None:
        for section in stored["review"].sections:
            found += findings_in(section.body, lambda: gettext("Draft action %(number)s as residents review it",
                                                               number=section.number), "")
    return found


def _map_strings(value, change):
    """value (a version's content: dicts, lists and strings) with change() applied to each string."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: _map_strings(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_strings(item, change) for item in value]
    return value


def published_text(round_) -> str:
    """All of it as one text, to check that something an official names to remove is there."""
    stored, texts = _published(round_), []
    _map_strings([[v.content, v.change_note] for v in stored["versions"]]
                 + [[u.body, u.indicator_value] for u in stored["updates"]]
                 + [[s.heading, s.body] for s in (stored["review"].sections if stored["review"] else [])],
                 lambda text: texts.append(text) or text)
    return "\n".join(texts)


def remove_published(round_, values: list[str], official) -> list[str]:
    """Replace each value with REMOVED wherever the round has published it, and in the plan it
    publishes from, so no later version brings it back. A changed version is marked amended (its
    readers are told, and its stored files are dropped, to be drawn again); emails not yet sent
    are corrected too. Logged without the values. Returns what changed, e.g. ["version 2"]. Commits."""
    from ..fragment_cache import _bump
    from ..moderation.models import Action
    from ..moderation.services import log_action
    from .services import responses

    values = sorted({v for v in values if v}, key=len, reverse=True)  # a longer value first: it may hold a shorter one

    def remove(text: str) -> str:
        for value in values:
            text = text.replace(value, REMOVED)
        return text

    def scrub(value):
        return _map_strings(value, remove)

    def scrub_fields(row, names) -> bool:
        before = [getattr(row, name) for name in names]
        for name, text in zip(names, before):
            setattr(row, name, scrub(text))
        return before != [getattr(row, name) for name in names]

    stored, changed, now = _published(round_), [], utcnow()
    for version in stored["versions"]:
        content = scrub(version.content)
        if content != version.content or scrub(version.change_note) != version.change_note:
            version.content, version.change_note = content, scrub(version.change_note)
            version.amended_at = now
            version.amendment_note = "Personal data was removed from the city's text."
            db.session.execute(delete(ReportFile).where(ReportFile.version_id == version.id))
            changed.append(f"version {version.number}")
    if updated := sum(scrub_fields(update, ("body", "indicator_value")) for update in stored["updates"]):
        changed.append(f"{updated} progress update(s)")
    if planned := sum(scrub_fields(response, list(PLAN_LABELS)) for response in responses(round_).values()):
        changed.append(f"{planned} answer(s) of the plan")
    rounds = {round_.id}
    if (review := stored["review"]) is not None:
        if sum(scrub_fields(section, ("heading", "body")) for section in review.sections):
            changed.append("the draft actions residents review")
        for revision in review.revisions:
            revision.sections = scrub(revision.sections)
        rounds.add(review.id)
    unsent = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), or_(*[OutboxMessage.body.contains(v, autoescape=True) for v in values]))).all()
    for message in unsent:
        message.body = scrub(message.body)
    if unsent:
        changed.append(f"{len(unsent)} email(s) not sent yet")
    if changed:
        log_action(Action.REDACT_PUBLISHED, official, round_id=round_.id, reason="personal_data",
                   note=f"{len(values)} item(s) removed from " + ", ".join(changed))
        _bump(db.session, rounds, set())
    db.session.commit()
    return changed
