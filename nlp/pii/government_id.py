"""Social security numbers, and driver's licence or passport numbers named as such."""

import re

from .shape import may_hold
from .starts import matches_at_words

KIND = "government_id"
NEEDS_DIGIT = True
SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
NAMED_ID = re.compile(
    r"(?:driver'?s?\s+licen[cs]e|licen[cs]e|\bDL|passport|state\s+ID|ID\s+card)"
    r"(?:\s+(?:number|no\.?|#))?(?:\s+(?:is|was))?[\s:#]*(?P<id>[A-Z]{0,2}\d{5,9})\b",
    re.IGNORECASE,
)


# The words NAMED_ID starts with.
NAMED_ID_WORDS = ("driver", "licen", "dl", "passport", "state", "id")
FIVE_DIGITS = re.compile(r"\d{5}")


def find(text: str, shape: bytes | None = None):
    if may_hold(shape, b"000-00-0000") and "-" in text:
        for match in SSN.finditer(text):
            yield match.start(), match.end()
    if may_hold(shape, b"00000") and FIVE_DIGITS.search(text):  # five digits are rare: a cheap test first
        for match in matches_at_words(NAMED_ID, NAMED_ID_WORDS, text):
            yield match.start("id"), match.end("id")
