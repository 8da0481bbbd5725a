"""spaCy components and architectures of the civic pipeline, registered on import."""

from . import language, lexicons, norms, tfidf_logistic  # noqa: F401
