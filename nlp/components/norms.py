"""Lookup lemmas as token norms: the feature the classifiers and the lexicons read.

The table is spaCy's English lemma lookup table from spacy-lookups-data (installed with the
package, nothing is downloaded). spaCy's own lookup lemmatizer looks a word up as written, so
"Officers" or "TASERS" stay unlemmatized; here the lower-cased word is looked up, and the
result becomes the norm so that "Tasers", "taser" and "TASERS" are one feature.

The norm is set where spaCy keeps it, not on each token: on each word of the vocabulary
(once, when the word is first seen) and in the tokenizer's special cases ("n't", "'s"), which
give their tokens norms of their own. A comment then costs nothing here.
"""

from functools import lru_cache, partial

from spacy.attrs import NORM, ORTH
from spacy.lang.lex_attrs import LEX_ATTRS
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.strings import get_string_id
from spacy.tokens import Doc


@lru_cache(maxsize=1)
def lemma_table() -> dict[int, str]:
    """Word hash (spaCy's string id, as in token.lower) -> lemma."""
    return dict(load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup").items())


def _lemma_or(lemmas: dict[int, str], norm, string: str) -> str:
    """A new word's norm: its lower-cased form's lemma, or the norm spaCy would give it."""
    return lemmas.get(get_string_id(string.lower())) or norm(string)


@Language.factory("civic_norms")
def make_norms(nlp: Language, name: str):
    return LemmaNorms(nlp)


class LemmaNorms:
    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.lemmas = lemma_table()
        self._patched_rules = None
        self.install()

    def install(self) -> None:
        """Lemma norms for the vocabulary's words, new and known, and for the special cases.

        Run when the pipeline is made and again on its first comment, since spacy.load reads
        the tokenizer's special cases from disk after making the components.
        """
        vocab, tokenizer = self.nlp.vocab, self.nlp.tokenizer
        getter = vocab.lex_attr_getters.get(NORM, LEX_ATTRS[NORM])
        if not (isinstance(getter, partial) and getter.func is _lemma_or):
            vocab.lex_attr_getters[NORM] = partial(_lemma_or, self.lemmas, getter)
        for lexeme in vocab:
            lemma = self.lemmas.get(lexeme.lower)
            if lemma:
                lexeme.norm_ = lemma
        rules = {}
        for chunk, tokens in tokenizer.rules.items():
            rules[chunk] = [self._special_norm(dict(token)) for token in tokens]
        tokenizer.rules = rules  # the setter also empties the tokenizer's cache
        self._patched_rules = tokenizer.rules

    def _special_norm(self, token: dict) -> dict:
        if NORM in token:  # the tokenizer keeps its rules with attribute ids as keys
            token[NORM] = self.lemmas.get(get_string_id(token[ORTH].lower()), token[NORM])
        return token

    def ensure_installed(self) -> bool:
        """Install again if the tokenizer's special cases were loaded from disk since; True if so."""
        if self.nlp.tokenizer.rules is self._patched_rules:
            return False
        self.install()
        return True

    def __call__(self, doc: Doc) -> Doc:
        if self.ensure_installed():
            doc = self._set_norms(doc)  # tokenized before: its special cases kept their own norms
        return doc

    def _set_norms(self, doc: Doc) -> Doc:
        for token in doc:
            lemma = self.lemmas.get(token.lower)
            if lemma:
                token.norm_ = lemma
        return doc
