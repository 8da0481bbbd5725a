"""Street addresses with a house number: "1420 Elm Street", "88 Carver Ave, Apt 3B".

Intersections ("5th and Main") and street names without a number are not personal data.
"""

import re

from .shape import may_hold

KIND = "street_address"
NEEDS_DIGIT = True
SUFFIXES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter"
    "|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl|Alley|Row"
)
PATTERN = re.compile(
    r"(?<![\w$#.-])\d{1,5}[A-Z]?\s+(?:[NSEW]\.?\s+)?(?:(?:[A-Z0-9][\w'.-]*|of|the)\s+){0,3}?"
    rf"(?:{SUFFIXES})\b(?:,?\s+(?:Apt|Apartment|Unit|Suite|#)\.?\s*[\w-]+)?"
)


# A house number, a space, then a capital, a digit, "of" or "the": where an address can start.
CUE = re.compile(r"\d[A-Z]?\s+[A-Z0-9ot]")


def find(text: str, shape: bytes | None = None):
    if not (may_hold(shape, b"0 ") or may_hold(shape, b"0A ")) or not CUE.search(text):  # cheap tests first
        return
    for match in PATTERN.finditer(text):
        yield match.start(), match.end()
