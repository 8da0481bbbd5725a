"""Street addresses with a house number: "1420 Elm Street", "88 Carver Ave, Apt 3B".

Intersections ("5th and Main") and street names without a number are not personal data.
"""

import re

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
# What PATTERN needs after its house number, on the text's shape (shape.py): a capital, a digit, or
# "of " or "the " (two or three small letters and a space). A scan for a literal byte, ten times
# as fast as CUE's; CUE then runs on the few comments that pass.
SHAPE_CUE = re.compile(rb"0A? +(?:[A0]|aaa? )")


def find(text: str, shape: bytes | None = None):
    if shape is not None and not SHAPE_CUE.search(shape) or not CUE.search(text):  # cheap tests first
        return
    for match in PATTERN.finditer(text):
        yield match.start(), match.end()
