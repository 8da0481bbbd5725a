"""Lookup lemmas as token norms: the feature the classifiers and the lexicons read.

The table is spaCy's English lemma lookup table from spacy-lookups-data (installed with the
package, nothing is downloaded). spaCy's own lookup lemmatizer looks a word up as written, so
"Officers" or "TASERS" stay unlemmatized; here the lower-cased word is looked up, and the
result goes to token.norm_ so that "Tasers", "taser" and "TASERS" are one feature.
"""

from functools import lru_cache

from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.tokens import Doc


@lru_cache(maxsize=1)
def lemma_table() -> dict[int, str]:
    """Word hash (spaCy's string id, as in token.lower) -> lemma."""
    return dict(load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup").items())


@Language.factory("civic_norms")
def make_norms(nlp: Language, name: str):
    table = lemma_table()

    def set_norms(doc: Doc) -> Doc:
        for token in doc:
            lemma = table.get(token.lower)
            if lemma is not None:
                token.norm_ = lemma
            # else the norm is already the lower-cased word (spaCy's default for English)
        return doc

    return set_norms
