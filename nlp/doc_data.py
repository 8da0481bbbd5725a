"""What the pipeline keeps on a Doc: its text, built once, and each component's result.

spaCy rebuilds doc.text from the tokens on every access (about 15 µs for a 60-word comment),
and the language, personal-data and near-duplicate steps each need it. The Tagger makes its
docs with make_doc below, which keeps the text it tokenized; text_of reads it back, and falls
back to doc.text for docs made elsewhere (nlp("...") in a test or a notebook).

Components keep their results in doc.user_data through a DocValue, readable by anyone as
doc._.<name>: spaCy's doc._ makes a new object on every access (a few µs each, four results
written and read per comment), a dict entry costs a tenth of that.
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


class DocValue:
    """One component's result on a Doc: set(doc, value), get(doc), and doc._.<name> to read it."""

    def __init__(self, name: str, default=None):
        self.key, self.default = ("civic", name), default
        if not Doc.has_extension(name):
            Doc.set_extension(name, getter=self.get)

    def get(self, doc: Doc):
        return doc.user_data.get(self.key, self.default)

    def set(self, doc: Doc, value) -> None:
        doc.user_data[self.key] = value
