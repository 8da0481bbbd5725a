"""Officials' round-specific themes, found by their example phrases (one PhraseMatcher pass).

A round may add themes of its own to the default taxonomy (a --themes file, or the app's round
settings). Those have no trained model, so their score comes from these phrases alone: each
phrase found halves the remaining doubt (pipeline.py). The default themes are the classifiers'.
"""

import json
from pathlib import Path
from types import MappingProxyType

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..doc_data import DocValue

THEME_HITS = DocValue("theme_hits", default=MappingProxyType({}))


def load_custom_themes(path) -> list[dict]:
    """[{"key", "label", "description", "examples": [phrases]}] from a JSON file, checked."""
    themes = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(themes, list):
        raise ValueError("a themes file holds a JSON list of themes")
    for number, theme in enumerate(themes, start=1):
        if not isinstance(theme, dict) or not isinstance(theme.get("key"), str) or not theme.get("examples"):
            raise ValueError(f"theme {number} needs a \"key\" and a non-empty list of \"examples\"")
    return themes


@Language.factory("civic_lexicons")
def make_lexicons(nlp: Language, name: str):
    return Lexicons(nlp)


class Lexicons:
    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.custom_keys: list[str] = []

    def add_custom_themes(self, themes: list[dict]) -> None:
        for theme in themes:
            self.matcher.add(theme["key"], [self.nlp.make_doc(phrase.lower()) for phrase in theme["examples"]])
            if theme["key"] not in self.custom_keys:
                self.custom_keys.append(theme["key"])

    def __call__(self, doc: Doc) -> Doc:
        if self.custom_keys:
            themes: dict[str, int] = {}
            for match_id, _, _ in self.matcher(doc):
                key = self.nlp.vocab.strings[match_id]
                themes[key] = themes.get(key, 0) + 1
            THEME_HITS.set(doc, themes)
        return doc
