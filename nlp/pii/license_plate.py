"""Vehicle licence plates: after words that name a plate, or in a state's distinctive format."""

import re

from .shape import may_hold
from .starts import matches_at_words

KIND = "license_plate"
NEEDS_DIGIT = True
NAMED = re.compile(
    r"\b(?:plates?|tags?|licen[cs]e\s+plates?)(?:\s+(?:number|no\.?|#))?(?:\s+(?:is|was|of|read))?[\s:#]*"
    r"(?P<plate>(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}[ -]?[A-Z0-9]{2,4})\b"
)
NAMED_WORDS = ("plate", "tag", "licen")  # what NAMED starts with
# California-style "7ABC123" is distinctive enough to find without a word naming it.
CALIFORNIA = re.compile(r"\b\d[A-Z]{3}\d{3}\b")
CALIFORNIA_CUE = re.compile(r"\d[A-Z]{3}\d{3}")  # no word boundaries: four times faster to scan for


def find(text: str, shape: bytes | None = None):
    if "plate" in text or "tag" in text:  # a cheap test first (a licence plate is a plate)
        for match in matches_at_words(NAMED, NAMED_WORDS, text):
            yield match.start("plate"), match.end("plate")
    if may_hold(shape, b"0AAA000") and CALIFORNIA_CUE.search(text):  # cheap tests before the costly pattern
        for match in CALIFORNIA.finditer(text):
            yield match.start(), match.end()
