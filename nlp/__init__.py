"""Civic Review's spaCy pipeline: themes, stance, personal data and near-duplicates of comments.

Usable on its own (no Flask):

    from nlp import load_pipeline
    tagger = load_pipeline()
    for result in tagger.tag_many([{"id": 1, "text": "Ban chokeholds."}]):
        print(result["themes"], result["stance"], result["pii"])
"""

from .duplicates import DuplicateIndex, find_duplicates
from .pipeline import Tagger, load_pipeline
from .reports import distinctive_phrases, ngram_counts, ngram_counts_by_group, representative_comments
from .taxonomy import PII_KINDS, STANCES, THEME_KEYS, THEMES

__all__ = [
    "DuplicateIndex", "PII_KINDS", "STANCES", "THEMES", "THEME_KEYS", "Tagger", "distinctive_phrases",
    "find_duplicates", "load_pipeline", "ngram_counts", "ngram_counts_by_group", "representative_comments",
]
