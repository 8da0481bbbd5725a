"""North American phone numbers in their usual written forms."""

import re

KIND = "phone"
NEEDS_DIGIT = True
PATTERN = re.compile(
    r"(?<![\w$.-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w-]|\.\d)"
)
# Three digits, at most two other characters, three digits: what every form above holds.
CUE = re.compile(r"\d{3}\D{0,2}\d{3}")


def find(text: str, words: frozenset | None = None):
    if not CUE.search(text):  # a cheap test before the costly pattern
        return
    for match in PATTERN.finditer(text):
        yield match.start(), match.end()
