"""spaCy components and architectures of the civic pipeline, registered on import."""

from . import language, norms, stance_cues, textcat_bow, theme_rules  # noqa: F401
