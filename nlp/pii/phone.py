"""North American phone numbers in their usual written forms."""

import re

from .shape import digit_count

KIND = "phone"
NEEDS_DIGIT = True
PATTERN = re.compile(
    r"(?<![\w$.-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w-]|\.\d)"
)
# Three digits, at most two other characters, three digits: what every form above holds.
CUE = re.compile(r"\d{3}\D{0,2}\d{3}")


def find(text: str, shape: bytes | None = None):
    if digit_count(shape) < 10 or not CUE.search(text):  # cheap tests before the costly pattern
        return
    for match in PATTERN.finditer(text):
        yield match.start(), match.end()
