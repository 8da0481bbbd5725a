"""Social security numbers, and driver's licence or passport numbers named as such."""

import re

from .shape import may_hold

KIND = "government_id"
NEEDS_DIGIT = True
SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
NAMED_ID = re.compile(
    r"(?:driver'?s?\s+licen[cs]e|licen[cs]e|\bDL|passport|state\s+ID|ID\s+card)"
    r"(?:\s+(?:number|no\.?|#))?(?:\s+(?:is|was))?[\s:#]*(?P<id>[A-Z]{0,2}\d{5,9})\b",
    re.IGNORECASE,
)


CUES = ("licen", "passport", "dl", "id")
FIVE_DIGITS = re.compile(r"\d{5}")


def find(text: str, shape: bytes | None = None):
    if may_hold(shape, b"000-00-0000") and "-" in text:
        for match in SSN.finditer(text):
            yield match.start(), match.end()
    # Cheap tests before the costly pattern: five digits are rare, "id" is in "did" and "said".
    if may_hold(shape, b"00000") and any(cue in text.lower() for cue in CUES) and FIVE_DIGITS.search(text):
        for match in NAMED_ID.finditer(text):
            yield match.start("id"), match.end("id")
