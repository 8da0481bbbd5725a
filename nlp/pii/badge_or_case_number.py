"""Officers' badge numbers and case, report or complaint numbers, recognised by what names them."""

import re

from .shape import may_hold
from .starts import matches_at_words

KIND = "badge_or_case_number"
NEEDS_DIGIT = True
BADGE = re.compile(
    r"\bbadge(?:\s+(?:number|no\.?|num))?(?:\s+(?:is|was))?[\s:#]*(?P<id>\d{2,7})\b", re.IGNORECASE
)
CASE = re.compile(
    r"\b(?:case|report|incident|complaint|file|reference|ticket|citation)"
    r"(?:\s+(?:number|no\.?|num))?(?:\s+(?:is|was))?[\s:#,]*(?P<id>\d{2,4}-\d{3,8}|[A-Z]{0,3}\d{5,10})\b",
    re.IGNORECASE,
)
# Case numbers written on their own: "2023-00481", "23-118842".
BARE_CASE = re.compile(r"(?<![\w$.-])(?:(?:19|20)\d{2}-\d{5,6}|\d{2}-\d{6})(?![\w-])")


CASE_WORDS = ("case", "report", "incident", "complaint", "file", "reference", "ticket", "citation")  # what CASE starts with
# Every number above holds five digits in a row or two digits, a hyphen and three digits.
FIVE_DIGITS = re.compile(r"\d{5}")
DASHED_DIGITS = re.compile(r"\d{2}-\d{3}")


def find(text: str, shape: bytes | None = None):
    lowered = text.lower()
    if may_hold(shape, b"00"):
        for match in matches_at_words(BADGE, ("badge",), text, lowered):
            yield match.start("id"), match.end("id")
    dashed = may_hold(shape, b"00-000") and "-" in text and DASHED_DIGITS.search(text) is not None
    if dashed or (may_hold(shape, b"00000") and FIVE_DIGITS.search(text) is not None):
        for match in matches_at_words(CASE, CASE_WORDS, text, lowered):
            yield match.start("id"), match.end("id")
    if dashed:
        for match in BARE_CASE.finditer(text):
            yield match.start(), match.end()
