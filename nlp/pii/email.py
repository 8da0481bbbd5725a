"""Email addresses."""

import re

KIND = "email"
NEEDS_DIGIT = False
PATTERN = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")


def find(text: str, words: frozenset | None = None):
    if "@" not in text:  # a cheap test before the pattern
        return
    for match in PATTERN.finditer(text):
        yield match.start(), match.end()
