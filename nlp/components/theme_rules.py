"""Theme evidence from phrase lists: the default lexicon plus officials' round-specific themes.

Counts matches per theme into doc._.theme_hits. Round-specific themes have no trained model,
so their score comes from these phrases alone; for the default themes the phrases add to what
the trained classifier says.
"""

import json
from pathlib import Path
from types import MappingProxyType

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..doc_data import DocValue

DEFAULT_LEXICON = Path(__file__).resolve().parent.parent / "lexicons" / "themes.json"

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


@Language.factory("civic_theme_rules", default_config={"lexicon_path": None})
def make_theme_rules(nlp: Language, name: str, lexicon_path: str | None):
    return ThemeRules(nlp, lexicon_path)


class ThemeRules:
    def __init__(self, nlp: Language, lexicon_path: str | None):
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        lexicon = json.loads(Path(lexicon_path or DEFAULT_LEXICON).read_text(encoding="utf-8"))
        for key, phrases in lexicon.items():
            self.add_phrases(key, phrases)
        self.custom_keys: list[str] = []

    def add_phrases(self, key: str, phrases: list[str]) -> None:
        self.matcher.add(key, [self.nlp.make_doc(phrase.lower()) for phrase in phrases])

    def add_custom_themes(self, themes: list[dict]) -> None:
        for theme in themes:
            self.add_phrases(theme["key"], theme["examples"])
            if theme["key"] not in self.custom_keys:
                self.custom_keys.append(theme["key"])

    def __call__(self, doc: Doc) -> Doc:
        hits: dict[str, int] = {}
        for match_id, _, _ in self.matcher(doc):
            key = self.nlp.vocab.strings[match_id]
            hits[key] = hits.get(key, 0) + 1
        THEME_HITS.set(doc, hits)
        return doc
