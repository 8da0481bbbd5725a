"""The fixed contract of ../shared/THEMES.md: theme keys, stance labels and PII kinds."""

THEMES = {
    "budget_reinvestment": "Budget and reinvestment",
    "alternative_response": "Alternative crisis response",
    "accountability_oversight": "Accountability and oversight",
    "use_of_force": "Use of force",
    "schools_youth": "Schools and youth",
    "community_trust": "Community trust and engagement",
    "racial_equity": "Racial equity and bias",
    "data_transparency": "Data and transparency",
    "surveillance_privacy": "Surveillance and privacy",
    "training_culture": "Training, hiring and culture",
    "violence_prevention": "Violence prevention and root causes",
    "crime_safety_concerns": "Crime and safety concerns",
    "process_feedback": "Feedback on the review process",
}
THEME_KEYS = tuple(THEMES)
STANCES = ("support", "oppose", "mixed", "unclear")
PII_KINDS = (
    "email", "phone", "street_address", "person_name", "badge_or_case_number", "license_plate", "government_id",
)
