"""Phrases that declare a stance ("I support", "vote no", "mixed feelings"), counted per label.

The stance classifier learns from few examples; explicit declarations are too important to
leave to it, so the tagger adds these counts to its scores.
"""

import json
from pathlib import Path
from types import MappingProxyType

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..doc_data import DocValue

LEXICON = Path(__file__).resolve().parent.parent / "lexicons" / "stance.json"

STANCE_HITS = DocValue("stance_hits", default=MappingProxyType({}))


@Language.factory("civic_stance_cues")
def make_stance_cues(nlp: Language, name: str):
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, phrases in json.loads(LEXICON.read_text(encoding="utf-8")).items():
        matcher.add(label, [nlp.make_doc(p) for p in phrases])

    def count_cues(doc: Doc) -> Doc:
        hits: dict[str, int] = {}
        for match_id, _, _ in matcher(doc):
            label = nlp.vocab.strings[match_id]
            hits[label] = hits.get(label, 0) + 1
        STANCE_HITS.set(doc, hits)
        return doc

    return count_cues
