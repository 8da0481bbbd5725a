"""Lookup lemmas as token norms: the feature the classifiers and the lexicons read.

The table is spaCy's English lemma lookup table from spacy-lookups-data (installed with the
package, nothing is downloaded). spaCy's own lookup lemmatizer looks a word up as written, so
"Officers" or "TASERS" stay unlemmatized; here the lower-cased word is looked up, and the
result goes to token.norm_ so that "Tasers", "taser" and "TASERS" are one feature.
"""

from functools import lru_cache

import numpy
from spacy.attrs import LOWER, NORM
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.tokens import Doc


@lru_cache(maxsize=1)
def lemma_table() -> dict[int, str]:
    """Word hash (spaCy's string id, as in token.lower) -> lemma."""
    return dict(load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup").items())


@Language.factory("civic_norms")
def make_norms(nlp: Language, name: str):
    # Word hash -> its lemma's hash, each lemma added to the vocabulary once so token.norm_ reads it.
    lemma_ids = {word: nlp.vocab.strings.add(lemma) for word, lemma in lemma_table().items()}

    def set_norms(doc: Doc) -> Doc:
        # Through arrays, not Token objects: making a Token per word cost more than the lookup.
        # A word without a lemma keeps its norm (the lower-cased word, or spaCy's "n't" -> "not").
        norms = [lemma_ids.get(lower, norm) for lower, norm in doc.to_array([LOWER, NORM]).tolist()]
        doc.from_array([NORM], numpy.array(norms, dtype=numpy.uint64))
        return doc

    return set_norms
