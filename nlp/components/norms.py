"""Set each token's norm to its lower-cased dictionary form, the feature the classifiers read.

The lookup lemmatizer is case-sensitive ("Officers" stays "Officers"), so the lemma is looked
up again for the lower-cased word here.
"""

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("civic_norms")
def make_norms(nlp: Language, name: str):
    return Norms(nlp)


class Norms:
    def __init__(self, nlp: Language):
        self.nlp = nlp
        self._table = None

    def _lookup(self):
        if self._table is None:
            self._table = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup", {})
        return self._table

    def __call__(self, doc: Doc) -> Doc:
        table = self._lookup()
        for token in doc:
            lower = token.lower_
            token.norm_ = table.get(lower, lower)
        return doc
