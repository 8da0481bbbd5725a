"""Email addresses."""

import re

KIND = "email"
PATTERN = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")


def find(text: str):
    for match in PATTERN.finditer(text):
        yield match.start(), match.end()
