"""Split a policy document, Markdown or plain text, into numbered sections on its headings."""

import re
from dataclasses import dataclass

from flask_babel import gettext

MARKDOWN_HEADING = re.compile(r"^#{1,3}\s+(?P<title>.+?)\s*#*\s*$")
# Plain-text headings: "1. Purpose", "4.2 Scope", "Section 2 - Scope", "Section 3: Training".
NUMBERED_HEADING = re.compile(
    r"^(?i:section\s+)?(?P<number>\d+(?:\.\d+)*)\.?\s*(?:[-:\u2013\u2014]\s*)?(?P<title>[A-Z][^.!?]{0,118})$"
)
LEADING_NUMBER = re.compile(r"^(?:section\s+)?(?P<number>\d+(?:\.\d+)*)\.?\s*(?:[-:\u2013\u2014]\s*)?(?P<title>.*)$", re.I)


class ImportProblem(ValueError):
    """The document cannot be split; the message says why."""


@dataclass
class ParsedSection:
    number: str
    heading: str
    body: str


def _is_caps_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return 3 <= len(letters) and len(line) <= 120 and all(c.isupper() for c in letters)


def _heading_of(line: str, markdown: bool) -> str | None:
    stripped = line.strip()
    if not stripped:
        return None
    if markdown:
        match = MARKDOWN_HEADING.match(stripped)
        return match.group("title") if match else None
    if NUMBERED_HEADING.match(stripped) or _is_caps_heading(stripped):
        return stripped
    return None


def split_policy(text: str) -> list[ParsedSection]:
    """Sections in document order; numbers come from the heading ("3. Training") or the position."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ImportProblem(gettext("The document is empty."))
    markdown = any(MARKDOWN_HEADING.match(line.strip()) for line in text.split("\n"))
    chunks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.split("\n"):
        heading = _heading_of(line, markdown)
        if heading is not None:
            chunks.append((heading, []))
        else:
            chunks[-1][1].append(line)

    preamble = "\n".join(chunks[0][1]).strip()
    headed = chunks[1:]
    if not headed:
        raise ImportProblem(gettext(
            "No headings found. Start each section on its own line with a Markdown heading "
            '("## 1. Purpose"), a number ("1. Purpose") or a line in capitals.'
        ))
    sections = []
    used = set()
    for position, (heading, lines) in enumerate(headed, start=1):
        match = LEADING_NUMBER.match(heading)
        number, title = (match.group("number"), match.group("title").strip()) if match else ("", heading)
        if not number or number in used:
            number = str(position)
        used.add(number)
        body = "\n".join(lines).strip()
        if position == 1 and preamble:
            body = f"{preamble}\n\n{body}".strip()
        sections.append(ParsedSection(number=number, heading=(title or heading)[:300], body=body))
    return sections
