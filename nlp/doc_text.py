"""A Doc's text, built once.

spaCy rebuilds doc.text from the tokens on every access (about 15 µs for a 60-word comment),
and the language, personal-data and near-duplicate steps each need it. The Tagger makes its
docs with make_doc below, which keeps the text it tokenized; text_of reads it back, and falls
back to doc.text for docs made elsewhere (nlp("...") in a test or a notebook).
"""

from spacy.language import Language
from spacy.tokens import Doc

KEY = "civic_text"


def make_doc(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc.user_data[KEY] = text
    return doc


def text_of(doc: Doc) -> str:
    return doc.user_data.get(KEY) or doc.text
