"""Tell English comments from others with stop-word rates, so others go to a person, not the model."""

import re
from itertools import repeat

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
from spacy.lang.es.stop_words import STOP_WORDS as SPANISH
from spacy.language import Language
from spacy.tokens import Doc

from ..doc_data import DocValue, text_of

WORD = re.compile(r"[^\W\d_]+")
# For ASCII text: every byte but a letter becomes a space (bytes.translate: ten times str.translate's speed).
ASCII_NON_LETTERS = bytes(c if chr(c).isalpha() and c < 128 else ord(" ") for c in range(256))
# Letters English writing almost never uses: Vietnamese tones, Spanish ñ, and every non-Latin script.
FOREIGN_LETTER = re.compile(r"[^\x00-\u024f\u2000-\u206f]|[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹñ¿¡]", re.I)
# Somali and other Latin-script languages share few stop words with English; these catch the common ones.
OTHER_FUNCTION_WORDS = {"waa", "iyo", "inay", "waxaan", "ka", "ku", "la", "oo", "aan", "fadlan", "ee", "si"}

# One sum counts a comment's English and Spanish function words: an English one weighs 1, a
# Spanish one SPANISH_WEIGHT (a word of both, as "no", the two), so the sum's low 32 bits count
# the English words and the bits above the Spanish (one pass over the words, not two).
SPANISH_WEIGHT = 1 << 32
FUNCTION_WORD_WEIGHTS = {word: (word in ENGLISH) + SPANISH_WEIGHT * (word in SPANISH) for word in ENGLISH | SPANISH}
FUNCTION_WORD_WEIGHTS_AS_BYTES = {word.encode(): weight for word, weight in FUNCTION_WORD_WEIGHTS.items()}

LANG = DocValue("lang", default="en")

# Short comments have too few function words to count: a Spanish-only function word, a Spanish
# letter or one of the words short Spanish verdicts are made of (from the training comments:
# "A favor 👍", "no gracias", "voten q no", "Pésima idea.", "nel") tells them apart.
SPANISH_ONLY = frozenset(SPANISH - ENGLISH) | {"favor", "gracias", "voten", "vótenlo", "votenlo", "q", "nel", "loco",
                                               "pésima", "pesima", "apruébenla", "apruebenla", "convence", "wepa"}
SPANISH_LETTER = re.compile(r"[áéíóúñ¿¡]")
SHORT = 8  # words: up to this many, one Spanish-only word or letter is enough


def _short_or_tied(words: list, lowered: str) -> str:
    """Spanish when a word only Spanish uses or a Spanish letter shows; else English."""
    if any(word in SPANISH_ONLY for word in words) or SPANISH_LETTER.search(lowered):
        return "es"
    return "en"


def detect_language(text: str) -> str:
    """"en", "es", or "und" for another language. Short or ambiguous text counts as English unless a
    Spanish-only word or letter shows."""
    lowered = text.lower()
    if text.isascii():  # the same words as the pattern finds, as bytes, several times faster
        words = lowered.encode().translate(ASCII_NON_LETTERS).split()
        weights = FUNCTION_WORD_WEIGHTS_AS_BYTES
    else:
        words, weights = WORD.findall(lowered), FUNCTION_WORD_WEIGHTS
    if len(words) < 3:
        return _short_or_tied(_as_text(words), lowered)
    weight = sum(map(weights.get, words, repeat(0)))  # map: no Python frame per word
    english, spanish = weight % SPANISH_WEIGHT / len(words), weight // SPANISH_WEIGHT / len(words)
    if spanish > english + 0.1 and spanish > 0.2:  # "no", "me", "a" are function words in both
        return "es"
    if english >= 0.2 and not (spanish >= english and len(words) <= SHORT):
        return "en"
    # Few function words, or as many Spanish as English ones (the words of both, "no", "me", decide
    # nothing): another language must show itself.
    words = _as_text(words)
    other = sum(map(OTHER_FUNCTION_WORDS.__contains__, words)) / len(words)
    foreign_letters = 0 if text.isascii() else len(FOREIGN_LETTER.findall(text)) / len(text)
    if foreign_letters > 0.03 or other > 0.15:
        return "es" if spanish > 0.2 and foreign_letters <= 0.03 else "und"
    if len(words) <= SHORT:
        return _short_or_tied(words, lowered)
    return "es" if spanish > 0.2 and sum(map(SPANISH_ONLY.__contains__, words)) / len(words) > 0.15 else "en"


def _as_text(words: list) -> list[str]:
    return [word.decode() if isinstance(word, bytes) else word for word in words]


@Language.factory("civic_language")
def make_language_component(nlp: Language, name: str):
    def set_language(doc: Doc) -> Doc:
        LANG.set(doc, detect_language(text_of(doc)))
        return doc

    return set_language
