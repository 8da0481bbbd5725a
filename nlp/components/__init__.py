"""spaCy components and architectures of the civic pipeline, registered on import."""

from . import language, lexicons, norms, textcat_bow  # noqa: F401
