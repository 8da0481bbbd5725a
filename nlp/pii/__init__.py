"""Personal-data recognizers, one module per kind, and the spaCy component that runs them.

Each module exposes KIND, NEEDS_DIGIT (whether every span it finds holds a digit) and
find(text, words) -> (start, end) character offsets, where words is the set of the text's
lower-case words: a recognizer tries its costly patterns that start with a cue word only if one
of its cue words is in it (a set intersection, where a case-insensitive alternation of words
tries every position of the text). Overlapping finds are resolved here once: the longer span
wins, then the kind listed first.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..doc_data import DocValue, text_of
from . import badge_or_case_number, email, government_id, license_plate, person_name, phone, street_address
from .cues import words_of

DIGIT = re.compile(r"\d")
# Order matters for ties: the more specific pattern first (a case number after "incident #" has
# the shape of a phone number).
RECOGNIZERS = (email, government_id, license_plate, badge_or_case_number, phone, street_address, person_name)


def find_pii(text: str) -> list[tuple[str, int, int]]:
    """Non-overlapping (kind, start, end) in text order."""
    found, has_digit = [], DIGIT.search(text) is not None
    words = words_of(text)
    for rank, recognizer in enumerate(RECOGNIZERS):
        if recognizer.NEEDS_DIGIT and not has_digit:  # a cheap test that spares many comments four recognizers
            continue
        for start, end in recognizer.find(text, words):
            found.append((end - start, -rank, recognizer.KIND, start, end))
    chosen, taken = [], []
    for _, _, kind, start, end in sorted(found, reverse=True):
        if all(end <= s or start >= e for s, e in taken):
            chosen.append((kind, start, end))
            taken.append((start, end))
    return sorted(chosen, key=lambda item: item[1])


PII = DocValue("pii", default=())


@Language.factory("civic_pii")
def make_pii_component(nlp: Language, name: str):
    return PiiComponent()


class PiiComponent:
    """Sets doc._.pii to exact character spans and doc.spans["pii"] to token-aligned spans."""

    def __call__(self, doc: Doc) -> Doc:
        found = find_pii(text_of(doc))
        PII.set(doc, found)
        spans = []
        for kind, start, end in found:
            span = doc.char_span(start, end, label=kind, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["pii"] = spans
        return doc
