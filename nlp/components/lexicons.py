"""Evidence from phrase lists, counted per label in one pass of one PhraseMatcher:

- themes (doc._.theme_hits): the default lexicon plus officials' round-specific themes. Those
  have no trained model, so their score comes from these phrases alone; for the default themes
  the phrases add to what the trained classifier says.
- declared stances (doc._.stance_hits): "I support", "vote no", "mixed feelings". The stance
  classifier learns from few examples; explicit declarations are too important to leave to it,
  so the tagger adds these counts to its scores.
"""

import json
from pathlib import Path
from types import MappingProxyType

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..doc_data import DocValue

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"
DEFAULT_LEXICON = LEXICONS / "themes.json"
STANCE_LEXICON = LEXICONS / "stance.json"

THEME_HITS = DocValue("theme_hits", default=MappingProxyType({}))
STANCE_HITS = DocValue("stance_hits", default=MappingProxyType({}))


def load_custom_themes(path) -> list[dict]:
    """[{"key", "label", "description", "examples": [phrases]}] from a JSON file, checked."""
    themes = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(themes, list):
        raise ValueError("a themes file holds a JSON list of themes")
    for number, theme in enumerate(themes, start=1):
        if not isinstance(theme, dict) or not isinstance(theme.get("key"), str) or not theme.get("examples"):
            raise ValueError(f"theme {number} needs a \"key\" and a non-empty list of \"examples\"")
    return themes


@Language.factory("civic_lexicons", default_config={"lexicon_path": None})
def make_lexicons(nlp: Language, name: str, lexicon_path: str | None):
    return Lexicons(nlp, lexicon_path)


class Lexicons:
    def __init__(self, nlp: Language, lexicon_path: str | None):
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for key, phrases in json.loads(Path(lexicon_path or DEFAULT_LEXICON).read_text(encoding="utf-8")).items():
            self.add_phrases(key, phrases)
        # Stance phrases under their own match ids, so that no theme key can be taken for a stance.
        self.stance_of: dict[int, str] = {}
        for label, phrases in json.loads(STANCE_LEXICON.read_text(encoding="utf-8")).items():
            self.add_phrases(f"stance:{label}", phrases)
            self.stance_of[nlp.vocab.strings[f"stance:{label}"]] = label
        self.custom_keys: list[str] = []

    def add_phrases(self, key: str, phrases: list[str]) -> None:
        self.matcher.add(key, [self.nlp.make_doc(phrase.lower()) for phrase in phrases])

    def add_custom_themes(self, themes: list[dict]) -> None:
        for theme in themes:
            self.add_phrases(theme["key"], theme["examples"])
            if theme["key"] not in self.custom_keys:
                self.custom_keys.append(theme["key"])

    def __call__(self, doc: Doc) -> Doc:
        themes: dict[str, int] = {}
        stances: dict[str, int] = {}
        for match_id, _, _ in self.matcher(doc):
            stance = self.stance_of.get(match_id)
            if stance is None:
                key = self.nlp.vocab.strings[match_id]
                themes[key] = themes.get(key, 0) + 1
            else:
                stances[stance] = stances.get(stance, 0) + 1
        THEME_HITS.set(doc, themes)
        STANCE_HITS.set(doc, stances)
        return doc
