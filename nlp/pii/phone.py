"""North American phone numbers in their usual written forms."""

import re

KIND = "phone"
PATTERN = re.compile(
    r"(?<![\w$.-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w-]|\.\d)"
)


def find(text: str):
    for match in PATTERN.finditer(text):
        yield match.start(), match.end()
