"""Labels for fixed keys (themes, stances, statuses, answers) in the interface's language.

nlp.THEMES holds the English labels the pipeline and the open data use; the copies here are
marked for translation (a test keeps them equal to nlp.THEMES), and theme_label() is the one
place that turns a key into the words a page shows.
"""

from flask_babel import gettext

from .i18n import N_

THEME_LABELS = {
    "budget_reinvestment": N_("Budget and reinvestment"),
    "alternative_response": N_("Alternative crisis response"),
    "accountability_oversight": N_("Accountability and oversight"),
    "use_of_force": N_("Use of force"),
    "schools_youth": N_("Schools and youth"),
    "community_trust": N_("Community trust and engagement"),
    "racial_equity": N_("Racial equity and bias"),
    "data_transparency": N_("Data and transparency"),
    "surveillance_privacy": N_("Surveillance and privacy"),
    "training_culture": N_("Training, hiring and culture"),
    "violence_prevention": N_("Violence prevention and root causes"),
    "crime_safety_concerns": N_("Crime and safety concerns"),
    "process_feedback": N_("Feedback on the review process"),
}

# A stance as a word in a list or a table ("support", "oppose" ...).
STANCE_LABELS = {"support": N_("support"), "oppose": N_("oppose"), "mixed": N_("mixed"), "unclear": N_("unclear")}

# A comment's status as a word for staff ("Comment 12 is now published.").
STATUS_LABELS = {
    "checking": N_("being checked"), "held": N_("held"), "pending": N_("pending"), "published": N_("published"),
    "hidden": N_("hidden"), "rejected": N_("rejected"), "withdrawn": N_("withdrawn"),
}


def theme_label(key: str) -> str:
    """The theme's name in the page's language, from its key or its English label (as stored in a
    published report); anything else is shown as it is."""
    if key in THEME_LABELS:
        return gettext(THEME_LABELS[key])
    return gettext(key) if key in THEME_LABELS.values() else key


def stance_label(key: str | None) -> str:
    return gettext(STANCE_LABELS[key]) if key in STANCE_LABELS else (key or "")


def status_label(key: str | None) -> str:
    return gettext(STATUS_LABELS[key]) if key in STATUS_LABELS else (key or "")


# A round's status as a word ("The round is now open.").
ROUND_STATUS_LABELS = {"draft": N_("draft"), "open": N_("open"), "closed": N_("closed"), "reported": N_("reported")}


def round_status_label(key: str | None) -> str:
    return gettext(ROUND_STATUS_LABELS[key]) if key in ROUND_STATUS_LABELS else (key or "")


# Answers to the optional questions, stored in English (rounds.models AGE_BANDS, RELATIONSHIPS).
ANSWER_LABELS = {
    "under 18": N_("Under 18"), "65 or older": N_("65 or older"),
    "live": N_("Live"), "work": N_("Work"), "study": N_("Study"), "business owner": N_("Business owner"),
    "officer or officer's family": N_("Officer or officer's family"),
}


def answer_label(value: str | None) -> str:
    """An answer as a form or a table shows it; anything else (a district, "18-24") as it is, capitalised."""
    return gettext(ANSWER_LABELS[value]) if value in ANSWER_LABELS else (value or "")[:1].upper() + (value or "")[1:]
